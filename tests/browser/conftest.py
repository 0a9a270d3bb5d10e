"""Playwright against Debian's Chromium, driving the live server; never a downloaded browser."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect

# Playwright's sync API runs an event loop in this thread; Django refuses ORM calls while one
# runs unless told that this (test-only) use is safe.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

# expect() waits 5 s by default, short of what an htmx swap takes on a loaded 2-core machine
# (seen: the search-flow test timing out beside other suites); pages get the same 10 s.
expect.set_options(timeout=10_000)

CHROMIUM = Path("/usr/bin/chromium")
# Headless Chromium names itself "HeadlessChrome", which the role statistics count as a robot;
# the pages are driven as a person's desktop browser would be.
USER_AGENT = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36"
)
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="module")
def browser() -> Iterator:
    """Headless Chromium for this module; skipped without it, except in CI where it must run."""
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing: install it with `apt-get install -y chromium`."
        if os.environ.get("CI"):
            pytest.fail(f"CI must run the browser tests, but {message}")
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server) -> Iterator:
    """A fresh page with JavaScript on."""
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 1280, "height": 900}, user_agent=USER_AGENT
    )
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


@pytest.fixture
def page_without_js(browser, live_server) -> Iterator:
    """A fresh page with JavaScript off: the plain GET form must do everything."""
    context = browser.new_context(
        base_url=live_server.url,
        java_script_enabled=False,
        viewport={"width": 1280, "height": 900},
        user_agent=USER_AGENT,
    )
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()

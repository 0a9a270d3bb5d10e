"""The security suite's fixtures: Chromium as the browser tests launch it, and a page watcher."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.browser.conftest import browser  # noqa: F401 - the same Chromium, module-scoped
from tests.security.watch import Watch


@pytest.fixture
def visit(browser, live_server):  # noqa: F811 - the imported fixture is used here
    """visit(paths, user=None): load pages (logged in as user); what they did that they must not."""
    contexts = []

    def _visit(paths: list[str], *, user=None) -> list[str]:
        context = browser.new_context(base_url=live_server.url)
        context.set_default_timeout(15_000)
        contexts.append(context)
        if user is not None:
            client = Client()
            client.force_login(user)
            context.add_cookies(
                [
                    {
                        "name": "sessionid",
                        "value": client.cookies["sessionid"].value,
                        "url": live_server.url,
                    }
                ]
            )
        page = context.new_page()
        watch = Watch()
        watch.attach(page)
        for path in paths:
            watch.path = path
            response = page.goto(path, wait_until="load")
            if response is None or response.status >= 400:
                watch.add(f"answered {response and response.status}")
            # Focus and hover handlers only fire on interaction: tab a little and hover.
            page.keyboard.press("Tab")
            page.mouse.move(200, 200)
            page.mouse.move(600, 400)
        return watch.problems

    yield _visit
    for context in contexts:
        context.close()

"""Our own pages and the Django admin work in Chromium under the CSP, without a violation."""

from __future__ import annotations

import pytest
from django.test import Client
from playwright.sync_api import expect

from opportunities.models import Role
from tests import factories
from tests.security.project_urls import path_for, patterns
from tests.security.test_headers import site_rows
from tests.security.watch import Watch

pytestmark = pytest.mark.browser

PASSWORD = "correct-horse-battery"  # tests.factories.UserFactory's


@pytest.fixture
def page(browser, live_server):
    """A fresh page whose CSP violations, dialogs and page errors are collected."""
    context = browser.new_context(base_url=live_server.url)
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.watch = Watch()
    page.watch.attach(page)
    yield page
    context.close()


def test_admin_login_change_form_and_save_work_under_the_csp(page, transactional_db):
    admin = factories.UserFactory(
        username="root@example.com", email="root@example.com", is_staff=True, is_superuser=True
    )
    role = factories.RoleFactory(title="Prompt Engineer")

    page.goto("/admin/login/?next=/admin/")
    page.get_by_label("Username").fill(admin.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(
        page.get_by_role("heading", name="Taxonomy, companies, roles and sources")
    ).to_be_visible()

    page.goto(f"/admin/opportunities/role/{role.pk}/change/")
    title = page.locator("#id_title")
    expect(title).to_have_value("Prompt Engineer")
    title.fill("Senior Prompt Engineer")
    page.locator("input[name=_save]").click()
    expect(page.locator(".messagelist .success")).to_contain_text("changed successfully")

    assert Role.objects.get(pk=role.pk).title == "Senior Prompt Engineer"
    # The admin's own scripts (static files) ran: the change list's select-all checkbox works.
    page.locator("#action-toggle").check()
    expect(page.locator(".action-counter")).to_contain_text("1 of 1 selected")
    assert page.watch.problems == []


def test_htmx_search_works_under_the_csp_and_the_json_ld_causes_no_violation(
    page, transactional_db
):
    role = factories.RoleFactory(title="Clinical LLM Engineer", description="<p>Notes.</p>")
    factories.RoleFactory(title="Data Annotator")

    page.goto("/jobs/")
    page.evaluate("window.stillThisPage = true")
    # Typing fires htmx's keyup trigger; it swaps the results in without leaving the page.
    page.get_by_label("Search roles").press_sequentially("clinical")
    expect(page.locator("#search-results a", has_text="Data Annotator")).to_have_count(0)
    expect(page.locator("#search-results a", has_text="Clinical LLM Engineer")).to_have_count(1)
    assert "q=clinical" in page.url
    assert page.evaluate("window.stillThisPage") is True
    # No <style> element was injected for htmx's indicators.
    assert page.locator("head style").count() == 0

    page.goto(role.get_absolute_url())
    expect(page.locator('script[type="application/ld+json"]')).to_have_count(1)
    assert page.watch.problems == []


def _visitor(path: str) -> str | None:
    """Who sees the page behind a path: "admin", "developer", "recruiter" or None (anyone)."""
    if path.startswith("/admin/"):
        return "admin"
    if path.startswith("/me/"):
        return "developer"
    if path.endswith("/candidates/"):
        return "recruiter"
    return None


def test_every_html_page_loads_without_a_console_error(visit, transactional_db, enqueued):
    values, users = site_rows()
    clients = {None: Client()}
    for kind, user in users.items():
        clients[kind] = Client()
        clients[kind].force_login(user)
    pages: dict[str | None, list[str]] = {}
    for pattern in patterns():
        # The admin's add, change and list pages of every model stand for the rest of it.
        if pattern.name.startswith("admin:") and not pattern.name.endswith(
            ("_changelist", "_change", "_add", ":index")
        ):
            continue
        path = path_for(pattern, values)
        who = _visitor(path)
        response = clients[who].get(path)
        if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            pages.setdefault(who, []).append(path)
    assert sum(map(len, pages.values())) >= 40

    problems = []
    for who, paths in pages.items():
        problems += visit(paths, user=users.get(who))
    assert problems == [], "\n".join(problems[:10])

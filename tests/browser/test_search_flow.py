"""A developer finds a role through the search page, with JavaScript on and off."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests import factories

pytestmark = pytest.mark.browser

TARGET = "Clinical LLM Engineer"
APPLY_URL = "https://jobs.example.com/acme/clinical-llm-engineer"
# Screenshots for a person to look at after a run; the tests do not compare them.
SCREENSHOTS = Path(tempfile.gettempdir())


@pytest.fixture
def board(transactional_db):
    """Four LLM roles, each but one ruled out by exactly one filter, and a role without LLM."""
    healthcare = factories.IndustryFactory(name="Healthcare", slug="healthcare")
    media = factories.IndustryFactory(name="Media", slug="media")
    pytorch = factories.SkillFactory(name="PyTorch", slug="pytorch")
    jax = factories.SkillFactory(name="JAX", slug="jax")
    acme = factories.CompanyFactory(name="Acme Health AI", slug="acme-health-ai", verified=True)
    factories.RoleFactory(
        title=TARGET,
        company=acme,
        industry=healthcare,
        workplace="remote",
        country="DE",
        applicant_countries=["DE", "NL"],
        salary_min=95000,
        salary_max=130000,
        salary_currency="EUR",
        seniority="senior",
        apply_url=APPLY_URL,
        description="<p>Fine-tune LLMs on clinical notes.</p><ul><li>Evaluate them</li></ul>",
        skills=[pytorch],
    )
    factories.RoleFactory(
        title="LLM Engineer, Newsroom", industry=media, workplace="remote", skills=[pytorch]
    )
    factories.RoleFactory(
        title="LLM Engineer, Radiology",
        industry=healthcare,
        workplace="onsite",
        city="Boston",
        country="US",
        skills=[pytorch],
    )
    factories.RoleFactory(
        title="LLM Engineer, Triage", industry=healthcare, workplace="remote", skills=[jax]
    )
    factories.RoleFactory(
        title="Data Annotator", industry=healthcare, workplace="remote", skills=[pytorch]
    )


def expect_results(page: Page, *titles: str) -> None:
    """Wait until the result list shows exactly these roles, in any order."""
    links = page.locator("#search-results .role-title a")
    expect(links).to_have_count(len(titles))
    assert sorted(links.all_inner_texts()) == sorted(titles)


def checkbox(page: Page, label: str):
    """A filter checkbox by its label; the label also carries a count ("Healthcare 3")."""
    return page.get_by_role("checkbox", name=re.compile(rf"^{re.escape(label)}\b"))


def open_target_and_check_it(page: Page) -> None:
    page.get_by_role("link", name=TARGET).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TARGET)
    apply = page.get_by_role("link", name=re.compile("^Apply for this role"))
    expect(apply).to_be_visible()
    # The button goes through the counting redirect, which leads only to the role's own URL.
    expect(apply).to_have_attribute("href", re.compile(r"^/jobs/\d+/apply/$"))
    answer = page.request.get(apply.get_attribute("href"), max_redirects=0)
    assert answer.status == 302 and answer.headers["location"] == APPLY_URL


def test_search_narrow_and_open_a_role(page: Page, live_server, board):
    page.goto("/jobs/")
    page.get_by_label("Search roles").fill("LLM")
    page.get_by_label("Search roles").press("Enter")
    expect_results(
        page, TARGET, "LLM Engineer, Newsroom", "LLM Engineer, Radiology", "LLM Engineer, Triage"
    )

    checkbox(page, "Healthcare").check()
    expect_results(page, TARGET, "LLM Engineer, Radiology", "LLM Engineer, Triage")
    checkbox(page, "Remote").check()
    expect_results(page, TARGET, "LLM Engineer, Triage")
    checkbox(page, "PyTorch").check()
    expect_results(page, TARGET)

    # htmx keeps the address bar in step, so the search can be shared.
    for param in ("q=LLM", "industry=healthcare", "workplace=remote", "skill=pytorch"):
        assert param in page.url
    page.screenshot(path=SCREENSHOTS / "genai-jobs-search.png", full_page=True)

    open_target_and_check_it(page)
    page.screenshot(path=SCREENSHOTS / "genai-jobs-role.png", full_page=True)


def test_search_narrow_and_open_a_role_without_javascript(
    page_without_js: Page, live_server, board
):
    page = page_without_js
    page.goto("/jobs/")
    page.get_by_label("Search roles").fill("LLM")
    page.get_by_role("button", name="Search").click()
    expect_results(
        page, TARGET, "LLM Engineer, Newsroom", "LLM Engineer, Radiology", "LLM Engineer, Triage"
    )

    apply_filters = page.get_by_role("button", name="Apply filters")
    checkbox(page, "Healthcare").check()
    apply_filters.click()
    expect_results(page, TARGET, "LLM Engineer, Radiology", "LLM Engineer, Triage")
    checkbox(page, "Remote").check()
    apply_filters.click()
    expect_results(page, TARGET, "LLM Engineer, Triage")
    checkbox(page, "PyTorch").check()
    apply_filters.click()
    expect_results(page, TARGET)
    for param in ("q=LLM", "industry=healthcare", "workplace=remote", "skill=pytorch"):
        assert param in page.url

    open_target_and_check_it(page)

"""A recruiter signs up, sets up a company, writes, previews and submits a role; a curator
approves it; a developer finds it in search and clicks apply; the recruiter's list shows the
view and the click. With JavaScript on and off."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import pytest
from django.core import mail
from django.db.models import Sum
from playwright.sync_api import Page, expect

from opportunities.catalog.curators import curators_group_sync
from opportunities.models import Role, RoleStat
from tests import factories

pytestmark = pytest.mark.browser

TITLE = "Clinical Retrieval Engineer"
PASSWORD = "a sturdy pass phrase 91"
# Screenshots for a person to look at after a run; the tests do not compare them.
SCREENSHOTS = Path(tempfile.gettempdir())


@pytest.fixture
def board(transactional_db):
    factories.SkillFactory(name="Python", slug="python")
    factories.IndustryFactory(name="Healthcare", slug="healthcare")
    curator = factories.UserFactory(
        username="curator@example.com", email="curator@example.com", is_staff=True
    )
    curator.groups.add(curators_group_sync())
    return {"curator": curator}


def log_in(page: Page, email: str, password: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(password)
    page.locator("main").get_by_role("button", name="Log in").click()


def recruiter_posts_a_role(page: Page, *, js: bool) -> None:
    """Sign-up to submitted role, as a newcomer would click through it."""
    page.goto("/accounts/signup/")
    page.get_by_label("E-mail address").fill("rita@acme.example")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password again").fill(PASSWORD)
    page.get_by_label("I'm hiring").check()
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()

    link = re.search(r"http://\S+/accounts/signup/confirm/\S+", mail.outbox[-1].body).group(0)
    page.goto(re.sub(r"^http://[^/]+", "", link))
    page.get_by_role("button", name="Confirm and log in").click()
    expect(page.get_by_role("heading", name="Set up your company")).to_be_visible()

    page.get_by_label("Company name").first.fill("Acme Health AI")
    page.get_by_label("Website").fill("https://acme.example")
    page.get_by_role("button", name="Create company").click()
    expect(page.get_by_role("heading", name="New role at Acme Health AI")).to_be_visible()

    page.get_by_label("Title").fill(TITLE)
    page.get_by_label("Industry").select_option(label="Healthcare")
    description = "Build **retrieval** over clinical notes.\n\n- Evaluate with clinicians"
    if js:
        # Typing asks the server for fresh writing help, which htmx swaps into the panel.
        with page.expect_response(re.compile(r"/hiring/roles/advice/$")) as advice:
            page.get_by_label("Description").fill(description)
        assert advice.value.status == 200
    else:
        page.get_by_label("Description").fill(description)
    page.get_by_label("Skill 1", exact=True).fill("Python")
    page.get_by_label("Remote and open to applicants anywhere in the world").check()
    page.get_by_label("Lowest").fill("100000")
    page.get_by_label("Highest").fill("140000")
    page.get_by_label("Currency").select_option("USD")
    page.get_by_label("Apply link").fill("https://acme.example/jobs/retrieval")
    # The writing help renders beside the form as the recruiter types (htmx); without
    # JavaScript it comes with the page and again on the preview.
    if js:
        expect(page.locator("#advice-panel")).to_contain_text("never mentions Python")
    else:
        expect(page.locator("#advice-panel")).to_be_visible()
    page.screenshot(path=SCREENSHOTS / f"genai-jobs-role-form-js-{js}.png", full_page=True)
    page.get_by_role("button", name="Save and preview").click()

    expect(page.get_by_role("status").filter(has_text="Preview: draft")).to_be_visible()
    expect(page.get_by_role("heading", level=1, name=TITLE)).to_be_visible()
    assert '"@type": "JobPosting"' in page.content()
    expect(page.locator(".prose strong")).to_have_text("retrieval")
    expect(page.get_by_role("heading", name="Writing help")).to_be_visible()
    expect(page.get_by_text("never mentions Python")).to_be_visible()
    page.screenshot(path=SCREENSHOTS / f"genai-jobs-preview-js-{js}.png", full_page=True)
    page.get_by_role("button", name="Submit for review").click()
    expect(page.get_by_text("is waiting for a curator")).to_be_visible()
    page.screenshot(path=SCREENSHOTS / f"genai-jobs-hiring-js-{js}.png", full_page=True)


def curator_approves(page: Page) -> None:
    page.context.clear_cookies()
    log_in(page, "curator@example.com", "correct-horse-battery")
    page.goto("/moderation/")
    page.get_by_role("link", name=TITLE).click()
    expect(page.get_by_role("heading", name=re.compile("Decision on"))).to_be_visible()
    page.screenshot(path=SCREENSHOTS / "genai-jobs-moderation.png", full_page=True)
    page.get_by_label("Approve and publish").check()
    page.get_by_role("button", name="Record decision").click()
    expect(page.get_by_text("the recruiter has been told")).to_be_visible()
    assert "is live" in mail.outbox[-1].subject


def developer_finds_it(page: Page) -> None:
    page.context.clear_cookies()
    page.goto("/jobs/")
    page.get_by_label("Search roles").fill("retrieval")
    page.get_by_label("Search roles").press("Enter")
    page.locator("#search-results .role-title a", has_text=TITLE).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    apply = page.get_by_role("link", name=re.compile("^Apply for this role"))
    # The button counts the click on the way to the role's own apply link.
    expect(apply).to_have_attribute("href", re.compile(r"^/jobs/\d+/apply/$"))
    answer = page.request.get(apply.get_attribute("href"), max_redirects=0)
    assert answer.status == 302
    assert answer.headers["location"] == "https://acme.example/jobs/retrieval"


def recruiter_sees_the_view_and_the_click(page: Page) -> None:
    page.context.clear_cookies()
    log_in(page, "rita@acme.example", PASSWORD)
    page.goto("/hiring/")
    row = page.get_by_role("row").filter(has_text=TITLE)
    expect(row).to_contain_text("1 view · 1 apply click")
    page.screenshot(path=SCREENSHOTS / "genai-jobs-hiring-stats.png", full_page=True)


def what_the_board_recorded() -> tuple[str, dict[str, int], list[str]]:
    """The posted role's status, its counts by kind, and the subjects of the e-mails sent."""
    role = Role.objects.get(title=TITLE)
    counts = dict(
        RoleStat.objects.filter(role=role)
        .values_list("kind")
        .annotate(total=Sum("count"))
        .values_list("kind", "total")
    )
    return role.status, counts, [message.subject for message in mail.outbox]


def test_post_moderate_and_find_a_role(page: Page, live_server, board):
    recruiter_posts_a_role(page, js=True)
    curator_approves(page)
    developer_finds_it(page)
    recruiter_sees_the_view_and_the_click(page)

    status, counts, subjects = what_the_board_recorded()
    assert status == Role.Status.PUBLISHED
    assert (counts.get("view"), counts.get("apply_click")) == (1, 1)
    assert any("is live" in subject for subject in subjects)


def test_post_moderate_and_find_a_role_without_javascript(
    page_without_js: Page, live_server, board
):
    recruiter_posts_a_role(page_without_js, js=False)
    curator_approves(page_without_js)
    developer_finds_it(page_without_js)
    recruiter_sees_the_view_and_the_click(page_without_js)

    status, counts, subjects = what_the_board_recorded()
    assert status == Role.Status.PUBLISHED
    assert (counts.get("view"), counts.get("apply_click")) == (1, 1)
    assert any("is live" in subject for subject in subjects)

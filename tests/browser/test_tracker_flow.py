"""A developer runs a job search from the tracker, with JavaScript on and off: tracks a role
from the search, adds one from another site, moves both through the stages (by drag and by
buttons), sees a reminder, and takes the CSV and the calendar away."""

from __future__ import annotations

import csv
import io
import re
import tempfile
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone
from icalendar import Calendar
from playwright.sync_api import Page, expect

from opportunities.models import Stage, TrackedOpportunity
from opportunities.tracker import services
from opportunities.tracker.outside import OutsideRole
from tests import factories

pytestmark = pytest.mark.browser

BOARD_ROLE = "Clinical LLM Engineer"
OUTSIDE_URL = "https://careers.example.org/jobs/rag-researcher"
# A screenshot for a person to look at after a run; the test does not compare it.
SCREENSHOTS = Path(tempfile.gettempdir())


@pytest.fixture
def developer(transactional_db):
    factories.RoleFactory(title=BOARD_ROLE, company=factories.CompanyFactory(name="Acme Health AI"))
    factories.RoleFactory(title="Data Annotator")
    user = factories.UserFactory(username="searcher")
    # Applied three weeks ago and heard nothing since: the reminder to see.
    services.opportunity_create(
        user=user,
        title="Quiet Application",
        company_name="Silent Corp",
        stage=Stage.APPLIED,
        at=timezone.now() - timedelta(days=21),
    )
    return user


@pytest.fixture
def outside_page(monkeypatch):
    """The posting on another site, as the fetcher would read its JobPosting JSON-LD."""

    def read(url: str) -> OutsideRole:
        assert url == OUTSIDE_URL
        return OutsideRole(
            title="RAG Researcher",
            company_name="Example Org",
            location="Remote",
            description_html="<p>Research retrieval.</p>",
            canonical_url=OUTSIDE_URL,
            found_by="jsonld",
        )

    monkeypatch.setattr("opportunities.views.tracker.outside_role_from_url", read)


def sign_in(page: Page, live_server, user) -> None:
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}]
    )


def column(page: Page, stage: str):
    return page.locator(f'.tracker-column-list[data-stage="{stage}"]')


def card(page: Page, title: str):
    return page.locator(".tracker-card", has=page.get_by_role("link", name=title))


def drag(page: Page, source, target) -> None:
    """Press on the card, move over the column in small steps, and let go, as a hand would."""
    start, end = source.bounding_box(), target.bounding_box()
    page.mouse.move(start["x"] + 20, start["y"] + 10)
    page.mouse.down()
    page.mouse.move(end["x"] + 40, end["y"] + 20, steps=20)
    page.mouse.move(end["x"] + 40, end["y"] + 30, steps=5)
    page.mouse.up()


def move_by_button(page: Page, title: str, stage_label: str) -> None:
    entry = card(page, title)
    entry.get_by_label(re.compile(f"^Stage of {re.escape(title)}")).select_option(label=stage_label)
    entry.get_by_role("button", name=re.compile("^Move")).click()


def add_outside_role(page: Page) -> None:
    page.goto("/me/tracker/add/")
    page.get_by_label("Address of the job posting").fill(OUTSIDE_URL)
    page.get_by_role("button", name="Read the posting").click()
    expect(page.get_by_label("Title")).to_have_value("RAG Researcher")
    expect(page.get_by_label("Company")).to_have_value("Example Org")
    page.get_by_label("Tags").fill("rag, remote")
    page.get_by_role("button", name="Track it").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("RAG Researcher")


def export_and_calendar(page: Page) -> None:
    page.goto("/me/tracker/")
    with page.expect_download() as download:
        page.get_by_role("link", name="Export CSV").click()
    text = Path(download.value.path()).read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert {row["Title"] for row in rows} == {BOARD_ROLE, "RAG Researcher", "Quiet Application"}

    page.goto("/me/tracker/calendar/")
    page.get_by_role("button", name="Turn the calendar feed on").click()
    feed = page.get_by_label("Calendar address").input_value()
    calendar = Calendar.from_ical(page.request.get(feed).body())
    summaries = {str(event["SUMMARY"]) for event in calendar.walk("VEVENT")}
    assert "Send the take-home: RAG Researcher at Example Org" in summaries


def set_next_step(page: Page) -> None:
    page.goto("/me/tracker/")
    page.get_by_role("link", name="RAG Researcher").first.click()
    page.get_by_label("Next step", exact=True).fill("Send the take-home")
    page.get_by_label("Next step due").fill(timezone.localdate().isoformat())
    page.get_by_role("button", name="Save details").click()
    expect(page.get_by_text("Saved.", exact=True)).to_be_visible()


def test_the_tracker_with_javascript(page: Page, live_server, developer, outside_page):
    sign_in(page, live_server, developer)
    page.goto("/jobs/")
    target = page.locator(".role-card", has=page.get_by_role("link", name=BOARD_ROLE))
    target.get_by_role("button", name=re.compile("^Track")).click()
    expect(target.get_by_role("link", name=re.compile("Tracked"))).to_be_visible()
    assert page.url.endswith("/jobs/")  # htmx: the page stayed where it was

    add_outside_role(page)

    page.goto("/me/tracker/")
    expect(page.get_by_role("heading", name="Reminders")).to_be_visible()
    expect(page.get_by_text("no news since you applied")).to_be_visible()
    expect(column(page, "saved").locator(".tracker-card")).to_have_count(2)

    # Drag the outside role to "Applied".
    drag(page, card(page, "RAG Researcher"), column(page, "applied"))
    expect(page.locator("#board-status")).to_have_text("RAG Researcher moved to Applied.")
    expect(page.locator('[data-count-for="applied"]')).to_have_text("2")
    page.reload()
    expect(column(page, "applied").get_by_role("link", name="RAG Researcher")).to_be_visible()

    # And the board role along by the buttons, from the keyboard's reach.
    move_by_button(page, BOARD_ROLE, "Interviewing")
    expect(column(page, "interviewing").get_by_role("link", name=BOARD_ROLE)).to_be_visible()
    page.screenshot(path=SCREENSHOTS / "tracker-board.png", full_page=True)

    set_next_step(page)
    page.goto("/me/tracker/")
    expect(page.get_by_text("Send the take-home — due")).to_be_visible()
    export_and_calendar(page)
    entry = TrackedOpportunity.objects.get(title="RAG Researcher")
    assert list(entry.stage_changes.values_list("stage", flat=True)) == ["saved", "applied"]


def test_the_tracker_without_javascript(
    page_without_js: Page, live_server, developer, outside_page
):
    page = page_without_js
    sign_in(page, live_server, developer)
    page.goto("/jobs/")
    target = page.locator(".role-card", has=page.get_by_role("link", name=BOARD_ROLE))
    target.get_by_role("button", name=re.compile("^Track")).click()
    expect(page.get_by_text(f"Tracking “{BOARD_ROLE}”")).to_be_visible()
    assert page.url.endswith("/jobs/")
    expect(target.get_by_role("link", name=re.compile("Tracked"))).to_be_visible()

    add_outside_role(page)

    page.goto("/me/tracker/")
    expect(page.get_by_role("heading", name="Reminders")).to_be_visible()
    move_by_button(page, "RAG Researcher", "Applied")
    expect(page.get_by_text("“RAG Researcher” moved to Applied.")).to_be_visible()
    expect(column(page, "applied").get_by_role("link", name="RAG Researcher")).to_be_visible()
    move_by_button(page, BOARD_ROLE, "Offer")
    expect(column(page, "offer").get_by_role("link", name=BOARD_ROLE)).to_be_visible()

    set_next_step(page)
    export_and_calendar(page)

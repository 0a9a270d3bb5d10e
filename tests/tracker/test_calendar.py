"""The iCalendar feed: next steps and interviews, parsed back as a calendar app would."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from opportunities.tracker import services

pytestmark = pytest.mark.django_db


def test_the_feed_parses_back_with_next_steps_and_interviews(client, owner_client, developer):
    due = services.opportunity_create(
        user=developer,
        title="ML Engineer",
        company_name="Acme",
        next_step="Send the task",
        next_step_due=date(2030, 5, 6),
    ).opportunity
    at = (timezone.now() + timedelta(days=3)).replace(microsecond=0)
    services.interview_add(opportunity=due, at=at, kind="technical", with_whom="Two engineers")
    closed = services.opportunity_create(
        user=developer,
        title="Old",
        company_name="Gone",
        next_step="Nothing",
        next_step_due=date(2030, 5, 7),
    ).opportunity
    services.opportunity_move(user=developer, opportunity_id=closed.pk, stage="rejected")

    page = owner_client.post(reverse("tracker_calendar"), {"action": "rotate"})
    feed_url = page.context["feed_url"]
    assert feed_url.startswith("http://testserver/me/tracker/calendar/")
    response = client.get(feed_url.removeprefix("http://testserver"))
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)
    assert calendar["VERSION"] == "2.0" and "PRODID" in calendar
    events = {str(e["SUMMARY"]): e for e in calendar.walk("VEVENT")}
    assert set(events) == {
        "Send the task: ML Engineer at Acme",
        "Technical interview: ML Engineer at Acme",
    }
    step = events["Send the task: ML Engineer at Acme"]
    assert step.decoded("DTSTART") == date(2030, 5, 6)
    assert step.decoded("DTEND") == date(2030, 5, 7)
    interview = events["Technical interview: ML Engineer at Acme"]
    assert interview.decoded("DTSTART") == at
    assert str(interview["DESCRIPTION"]) == "With Two engineers"
    uids = [str(e["UID"]) for e in calendar.walk("VEVENT")]
    assert len(set(uids)) == 2 and all("DTSTAMP" in e for e in calendar.walk("VEVENT"))


def test_the_address_is_shown_once_and_can_be_rotated_or_revoked(client, owner_client):
    first = owner_client.post(reverse("tracker_calendar"), {"action": "rotate"}).context["feed_url"]
    assert first not in owner_client.get(reverse("tracker_calendar")).content.decode()
    second = owner_client.post(reverse("tracker_calendar"), {"action": "rotate"}).context[
        "feed_url"
    ]
    assert client.get(first.removeprefix("http://testserver")).status_code == 404
    assert client.get(second.removeprefix("http://testserver")).status_code == 200
    owner_client.post(reverse("tracker_calendar"), {"action": "revoke"})
    assert client.get(second.removeprefix("http://testserver")).status_code == 404
    assert (
        "Turn the calendar feed on"
        in owner_client.get(reverse("tracker_calendar")).content.decode()
    )

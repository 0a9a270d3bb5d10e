"""A developer's next steps and interviews as an iCalendar feed (RFC 5545)."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.utils import timezone
from icalendar import Calendar, Event

from opportunities.tracker.selectors import calendar_entries

INTERVIEW_LENGTH = timedelta(hours=1)
PRODID = "-//GenAI Jobs//Opportunity tracker//EN"


def _uid(kind: str, pk: int) -> str:
    host = settings.SITE_URL.split("//")[-1].split("/")[0] or "genai-jobs"
    return f"tracker-{kind}-{pk}@{host}"


def calendar_ics(*, user: AbstractBaseUser) -> bytes:
    """The user's open next steps (all-day, on their due date) and interviews (an hour each)."""
    entries, interviews = calendar_entries(user=user)
    now = timezone.now()
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", "GenAI Jobs tracker")
    for entry in entries:
        event = Event()
        event.add("uid", _uid("step", entry.pk))
        event.add("dtstamp", now)
        event.add("dtstart", entry.next_step_due)
        event.add("dtend", entry.next_step_due + timedelta(days=1))
        event.add(
            "summary", f"{entry.next_step or 'Next step'}: {entry.title} at {entry.company_name}"
        )
        event.add("url", settings.SITE_URL + entry.get_absolute_url())
        calendar.add_component(event)
    for interview in interviews:
        entry = interview.opportunity
        event = Event()
        event.add("uid", _uid("interview", interview.pk))
        event.add("dtstamp", now)
        event.add("dtstart", interview.at)
        event.add("dtend", interview.at + INTERVIEW_LENGTH)
        event.add(
            "summary",
            f"{interview.get_kind_display()} interview: {entry.title} at {entry.company_name}",
        )
        if interview.with_whom:
            event.add("description", f"With {interview.with_whom}")
        event.add("url", settings.SITE_URL + entry.get_absolute_url())
        calendar.add_component(event)
    return calendar.to_ical()

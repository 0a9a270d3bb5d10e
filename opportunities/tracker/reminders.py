"""Tracker reminders in the digest: next steps due and quiet applications, each sent once.

A reminder is about one thing: a next step due on a given day, or an application unmoved
since a given moment. TrackerReminder records (entry, kind, that day or moment), so a digest
never repeats one; a new due date or a new stage change makes a new reminder.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.utils import timezone

from opportunities.models import TrackedOpportunity, TrackerReminder
from opportunities.tracker.selectors import QUIET_DAYS, quiet_cutoff


@dataclass
class Reminder:
    opportunity: TrackedOpportunity
    kind: str  # TrackerReminder.Kind
    about: str
    text: str


def _about(reminder_kind: str, opportunity: TrackedOpportunity) -> str:
    if reminder_kind == TrackerReminder.Kind.DUE:
        return opportunity.next_step_due.isoformat()
    return opportunity.stage_changed_at.isoformat(timespec="seconds")


def reminders_unsent(*, user: AbstractBaseUser, now: datetime) -> list[Reminder]:
    """The user's reminders not yet sent: due or overdue next steps, then quiet applications."""
    today = timezone.localdate(now)
    entries = TrackedOpportunity.objects.of_user(user)
    candidates: list[Reminder] = []
    for opportunity in entries.due_by(today).order_by("next_step_due", "id"):
        when = (
            "due today"
            if opportunity.next_step_due == today
            else f"overdue since {opportunity.next_step_due:%d %b}"
        )
        candidates.append(
            Reminder(
                opportunity,
                TrackerReminder.Kind.DUE,
                _about(TrackerReminder.Kind.DUE, opportunity),
                f"{opportunity.next_step or 'Next step'} — {when}",
            )
        )
    for opportunity in entries.quiet_since(quiet_cutoff()).order_by("stage_changed_at", "id"):
        candidates.append(
            Reminder(
                opportunity,
                TrackerReminder.Kind.QUIET,
                _about(TrackerReminder.Kind.QUIET, opportunity),
                f"No news for {(now - opportunity.stage_changed_at).days} days "
                f"(at least {QUIET_DAYS}): time to follow up?",
            )
        )
    if not candidates:
        return []
    sent = set(
        TrackerReminder.objects.filter(
            opportunity__user=user, opportunity_id__in={r.opportunity.pk for r in candidates}
        ).values_list("opportunity_id", "kind", "about")
    )
    return [r for r in candidates if (r.opportunity.pk, r.kind, r.about) not in sent]


def reminders_record(*, reminders: list[Reminder], now: datetime) -> None:
    """Record these reminders as sent (twice is harmless)."""
    TrackerReminder.objects.bulk_create(
        [
            TrackerReminder(opportunity=r.opportunity, kind=r.kind, about=r.about, sent_at=now)
            for r in reminders
        ],
        ignore_conflicts=True,
    )

"""Reminders in the digest: next steps due and quiet applications, each sent once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from opportunities.alerts.digest import digest_send
from opportunities.alerts.selectors import digest_recipients
from opportunities.models import AlertPreference, TrackerReminder
from opportunities.tracker import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def entries(developer):
    now = timezone.now()
    due = services.opportunity_create(
        user=developer,
        title="Due today",
        company_name="A",
        next_step="Send portfolio",
        next_step_due=timezone.localdate(),
    ).opportunity
    overdue = services.opportunity_create(
        user=developer,
        title="Overdue",
        company_name="B",
        next_step="Call back",
        next_step_due=timezone.localdate() - timedelta(days=3),
    ).opportunity
    quiet = services.opportunity_create(
        user=developer,
        title="Quiet",
        company_name="C",
        stage="applied",
        at=now - timedelta(days=15),
    ).opportunity
    services.opportunity_create(
        user=developer, title="Fresh", company_name="D", stage="applied", at=now - timedelta(days=3)
    )
    services.opportunity_create(
        user=developer,
        title="Later",
        company_name="E",
        next_step="Later",
        next_step_due=timezone.localdate() + timedelta(days=2),
    )
    return {"due": due, "overdue": overdue, "quiet": quiet}


def test_the_digest_carries_each_reminder_once(developer, entries):
    assert developer.pk in digest_recipients(frequency="daily")
    now = timezone.now()
    digest_send(user=developer, frequency="daily", now=now)
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert "FROM YOUR TRACKER" in body
    overdue_since = (timezone.localdate() - timedelta(days=3)).strftime("%d %b")
    assert "Send portfolio — due today" in body
    assert f"Call back — overdue since {overdue_since}" in body
    assert "Quiet at C" in body and "No news for 15 days" in body
    assert "Fresh" not in body and "Later" not in body
    assert mail.outbox[0].subject == "3 tracker reminders from GenAI Jobs"
    assert TrackerReminder.objects.count() == 3

    digest_send(user=developer, frequency="daily", now=now + timedelta(hours=1))
    assert len(mail.outbox) == 1  # nothing new: nothing sent


def test_a_new_due_date_is_a_new_reminder(developer, entries):
    now = timezone.now()
    digest_send(user=developer, frequency="daily", now=now)
    services.opportunity_update(opportunity=entries["overdue"], next_step_due=timezone.localdate())
    digest_send(user=developer, frequency="daily", now=now + timedelta(days=1))
    assert len(mail.outbox) == 2
    assert "Overdue at B" in mail.outbox[1].body and "Quiet" not in mail.outbox[1].body


def test_reminders_follow_the_match_alert_frequency(developer, entries):
    AlertPreference.objects.create(user=developer, match_frequency="weekly")
    digest_send(user=developer, frequency="daily", now=timezone.now())
    assert mail.outbox == []
    digest_send(user=developer, frequency="weekly", now=timezone.now())
    assert len(mail.outbox) == 1 and "FROM YOUR TRACKER" in mail.outbox[0].body


def test_alerts_off_means_no_reminder_mail(developer, entries):
    AlertPreference.objects.create(user=developer, match_frequency="off")
    assert developer.pk not in digest_recipients(frequency="daily")
    digest_send(user=developer, frequency="daily", now=timezone.now())
    assert mail.outbox == []


def test_a_closed_application_has_no_reminder(developer, entries):
    for entry in entries.values():
        services.opportunity_move(user=developer, opportunity_id=entry.pk, stage="withdrawn")
    digest_send(user=developer, frequency="daily", now=timezone.now())
    assert mail.outbox == []

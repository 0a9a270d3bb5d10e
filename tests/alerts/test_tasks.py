"""Alert tasks: beat fans out one digest task per user; each is safe to redeliver."""

from __future__ import annotations

import pytest
from django.conf import settings

from opportunities.alerts import tasks as alert_tasks
from tests import factories

pytestmark = pytest.mark.django_db


def test_send_digests_task_fans_out_one_task_per_user(dev, monkeypatch, saved):
    other = factories.UserFactory()
    saved(dev, "q=a", "A", frequency="instant")
    saved(dev, "q=b", "B", frequency="instant")
    saved(other, "q=c", "C", frequency="instant")
    saved(factories.UserFactory(), "q=d", "D", frequency="daily")
    queued = []
    monkeypatch.setattr(
        alert_tasks.send_user_digest_task, "delay", lambda *args: queued.append(args)
    )
    assert alert_tasks.send_digests_task.run("instant") == 2
    assert sorted(queued) == sorted([(dev.pk, "instant"), (other.pk, "instant")])


def test_user_digest_task_is_acks_late_and_beat_schedule_is_set():
    assert alert_tasks.send_user_digest_task.acks_late is True
    schedule = settings.CELERY_BEAT_SCHEDULE
    entries = {
        entry["args"][0]: entry["schedule"]
        for entry in schedule.values()
        if entry["task"] == alert_tasks.send_digests_task.name
    }
    assert set(entries) == {"instant", "daily", "weekly"}
    assert entries["daily"].hour == {7} and entries["daily"].minute == {0}
    assert entries["weekly"].day_of_week == {1} and entries["weekly"].hour == {7}
    assert entries["instant"].minute == set(range(0, 60, 5))

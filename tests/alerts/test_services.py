"""Tests for opportunities.services.alerts and opportunities.tasks.alerts: digests."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from opportunities.alerts import services as alerts
from opportunities.alerts import tasks as alert_tasks
from opportunities.models import AlertDelivery, AlertPreference, Match, SavedSearch
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def dev(db):
    return factories.UserFactory(username="dev@example.com", email="dev@example.com")


def saved(user, query: str, name: str, frequency: str = "daily", age=timedelta(hours=2)):
    """A saved search made `age` ago, so roles published since then are new to it."""
    search = alerts.saved_search_create(user=user, query=query, name=name, frequency=frequency)
    SavedSearch.objects.filter(pk=search.pk).update(created_at=timezone.now() - age)
    search.refresh_from_db()
    return search


def run_beat(frequency: str) -> None:
    """What beat does: fan out, then each per-user task runs (here in this process)."""
    for user_id in alerts.digest_recipients(frequency=frequency):
        alert_tasks.send_user_digest_task.run(user_id, frequency)


def test_saved_search_create_keeps_the_query_without_paging(dev):
    search = alerts.saved_search_create(
        user=dev, query="?q=pytorch&workplace=remote&page=3&after=abc&industry="
    )
    assert search.query == "q=pytorch&workplace=remote"
    assert search.name == "pytorch"
    assert search.frequency == "daily"
    assert search.last_run_at is None


def test_role_fitting_a_saved_search_is_sent_once_with_the_reason(dev, mailoutbox):
    saved(dev, "q=pytorch&workplace=remote", "Remote PyTorch")
    role = factories.RoleFactory(title="PyTorch Inference Engineer", workplace="remote")
    factories.RoleFactory(title="Sales Lead", workplace="remote")  # does not fit

    run_beat("daily")

    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["dev@example.com"]
    assert message.subject == "1 new role for you on GenAI Jobs"
    assert "PyTorch Inference Engineer" in message.body
    assert "Fits your saved search “Remote PyTorch”" in message.body
    assert "Sales Lead" not in message.body
    html = message.alternatives[0][0]
    assert "PyTorch Inference Engineer" in html and "Remote PyTorch" in html
    assert settings.SITE_URL + role.get_absolute_url() in message.body
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message.extra_headers["List-Unsubscribe"].startswith(
        f"<{settings.SITE_URL}/alerts/unsubscribe/"
    )
    assert AlertDelivery.objects.get().role == role

    # Beat runs again (and again): nothing new, nothing sent.
    run_beat("daily")
    run_beat("daily")
    assert len(mailoutbox) == 1


def test_redelivered_task_sends_nothing_twice(dev, mailoutbox):
    saved(dev, "q=pytorch", "PyTorch")
    factories.RoleFactory(title="PyTorch Engineer")
    now = timezone.now()
    assert alerts.digest_send(user=dev, frequency="daily", now=now) == 1
    # The same message delivered again after a worker died (acks_late), with the same clock.
    assert alerts.digest_send(user=dev, frequency="daily", now=now) == 0
    assert len(mailoutbox) == 1


def test_role_is_never_sent_twice_across_searches_and_matches(dev, mailoutbox):
    saved(dev, "q=pytorch", "PyTorch anywhere")
    saved(dev, "workplace=remote", "Anything remote")
    role = factories.RoleFactory(title="PyTorch Engineer", workplace="remote")
    profile = factories.DeveloperProfileFactory(user=dev)
    Match.objects.create(profile=profile, role=role, score=95, explanation={})

    run_beat("daily")
    assert len(mailoutbox) == 1
    assert mailoutbox[0].body.count("PyTorch Engineer at") == 1
    assert AlertDelivery.objects.filter(user=dev, role=role).count() == 1

    # A later saved search fitting the same role does not bring it back either.
    saved(dev, "q=engineer", "Engineers", age=timedelta(hours=1))
    run_beat("daily")
    assert len(mailoutbox) == 1


def test_new_match_above_min_score_is_sent_with_its_reasons(dev, mailoutbox):
    pytorch = factories.SkillFactory(name="PyTorch", slug="pytorch")
    rag = factories.SkillFactory(name="RAG", slug="rag")
    factories.SkillFactory(name="Kubernetes", slug="kubernetes")
    profile = factories.DeveloperProfileFactory(user=dev)
    AlertPreference.objects.create(user=dev, match_frequency="weekly", min_score=80)
    good = factories.RoleFactory(title="RAG Engineer", skills=[pytorch, rag])
    weak = factories.RoleFactory(title="Data Analyst")
    Match.objects.create(
        profile=profile,
        role=good,
        score=92,
        explanation={
            "matched_required": ["pytorch", "rag"],
            "missing_required": ["kubernetes"],
            "factors": {"skills": 60},
        },
    )
    Match.objects.create(profile=profile, role=weak, score=60, explanation={})

    run_beat("daily")  # the developer chose weekly
    assert mailoutbox == []
    run_beat("weekly")
    assert len(mailoutbox) == 1
    body = mailoutbox[0].body
    assert "RAG Engineer" in body
    assert "92% match: PyTorch, RAG; missing: Kubernetes" in body
    assert "Data Analyst" not in body
    run_beat("weekly")
    assert len(mailoutbox) == 1


def test_profile_without_a_choice_gets_daily_match_alerts(dev, mailoutbox):
    profile = factories.DeveloperProfileFactory(user=dev)
    Match.objects.create(profile=profile, role=factories.RoleFactory(), score=75)
    assert alerts.digest_recipients(frequency="daily") == [dev.pk]
    run_beat("daily")
    assert len(mailoutbox) == 1


def test_frequency_off_sends_nothing(dev, mailoutbox):
    saved(dev, "q=pytorch", "PyTorch", frequency="off")
    profile = factories.DeveloperProfileFactory(user=dev)
    AlertPreference.objects.create(user=dev, match_frequency="off")
    role = factories.RoleFactory(title="PyTorch Engineer")
    Match.objects.create(profile=profile, role=role, score=99)

    for frequency in ("instant", "daily", "weekly", "off"):
        run_beat(frequency)
        alert_tasks.send_digests_task.run(frequency)
    assert mailoutbox == []
    assert alerts.digest_recipients(frequency="off") == []
    assert not AlertDelivery.objects.exists()


def test_roles_from_before_the_search_was_saved_are_not_sent(dev, mailoutbox):
    factories.RoleFactory(title="PyTorch Engineer", posted_at=timezone.now() - timedelta(days=3))
    SavedSearch.objects.filter(pk=saved(dev, "q=pytorch", "PyTorch", age=timedelta(0)).pk).update(
        created_at=timezone.now()
    )
    from opportunities.models import Role

    Role.objects.update(created_at=timezone.now() - timedelta(days=3))
    run_beat("daily")
    assert mailoutbox == []


def test_closed_roles_and_dismissed_matches_are_not_sent(dev, mailoutbox):
    saved(dev, "q=pytorch", "PyTorch")
    factories.RoleFactory(title="PyTorch Engineer", status="closed")
    profile = factories.DeveloperProfileFactory(user=dev)
    Match.objects.create(profile=profile, role=factories.RoleFactory(), score=90, dismissed=True)
    run_beat("daily")
    assert mailoutbox == []


def test_send_digests_task_fans_out_one_task_per_user(dev, monkeypatch):
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

"""Alert reads: who gets a digest, the match-alert setting, what a saved search finds."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from opportunities.alerts import selectors
from opportunities.alerts import tasks as alert_tasks
from opportunities.models import AlertDelivery, AlertPreference, Match, Role
from tests import factories

pytestmark = pytest.mark.django_db


def test_profile_without_a_choice_gets_daily_match_alerts(dev, mailoutbox, run_beat):
    profile = factories.DeveloperProfileFactory(user=dev)
    Match.objects.create(profile=profile, role=factories.RoleFactory(), score=75)
    assert selectors.digest_recipients(frequency="daily") == [dev.pk]
    run_beat("daily")
    assert len(mailoutbox) == 1


def test_frequency_off_sends_nothing(dev, mailoutbox, saved, run_beat):
    saved(dev, "q=pytorch", "PyTorch", frequency="off")
    profile = factories.DeveloperProfileFactory(user=dev)
    AlertPreference.objects.create(user=dev, match_frequency="off")
    role = factories.RoleFactory(title="PyTorch Engineer")
    Match.objects.create(profile=profile, role=role, score=99)

    for frequency in ("instant", "daily", "weekly", "off"):
        run_beat(frequency)
        alert_tasks.send_digests_task.run(frequency)
    assert mailoutbox == []
    assert selectors.digest_recipients(frequency="off") == []
    assert not AlertDelivery.objects.exists()


def test_digest_recipients_leave_out_inactive_users_and_users_without_email(saved):
    active = factories.UserFactory()
    inactive = factories.UserFactory(is_active=False)
    no_email = factories.UserFactory(email="")
    for user in (active, inactive, no_email):
        saved(user, "q=rag", "RAG", frequency="weekly")
    assert selectors.digest_recipients(frequency="weekly") == [active.pk]


def test_saved_search_list_is_the_users_own_by_name(dev, saved):
    beta = saved(dev, "q=b", "Beta")
    alpha = saved(dev, "q=a", "Alpha")
    saved(factories.UserFactory(), "q=c", "Aardvark")
    assert list(selectors.saved_search_list(user=dev)) == [alpha, beta]


def test_alert_preference_get_gives_unsaved_defaults_until_the_user_chooses(dev):
    default = selectors.alert_preference_get(user=dev)
    assert (default.pk, default.match_frequency, default.min_score) == (None, "daily", 70)
    AlertPreference.objects.create(user=dev, match_frequency="weekly", min_score=85)
    chosen = selectors.alert_preference_get(user=dev)
    assert (chosen.match_frequency, chosen.min_score) == ("weekly", 85)


def test_saved_search_new_roles_are_open_fitting_roles_new_in_the_window(dev, saved):
    search = saved(dev, "q=pytorch", "PyTorch")
    since = timezone.now() - timedelta(hours=1)
    new = factories.RoleFactory(title="PyTorch Engineer")
    factories.RoleFactory(title="PyTorch Researcher", status="closed")
    factories.RoleFactory(title="Sales Lead")
    old = factories.RoleFactory(title="PyTorch Veteran", posted_at=since - timedelta(days=2))
    Role.objects.filter(pk=old.pk).update(created_at=since - timedelta(days=2))
    assert selectors.saved_search_new_roles(search, since=since, until=timezone.now()) == [new]

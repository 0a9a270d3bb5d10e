"""Alert reads: who gets a digest at which frequency."""

from __future__ import annotations

import pytest

from opportunities.alerts import selectors
from opportunities.alerts import tasks as alert_tasks
from opportunities.models import AlertDelivery, AlertPreference, Match
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

"""The demo developer's tracker: a dozen entries across the stages, with history."""

from __future__ import annotations

import pytest
from django.utils import timezone

from opportunities.models import Stage, StageChange, TrackedOpportunity
from opportunities.tracker.demo import tracker_demo_seed
from opportunities.tracker.selectors import reminders
from tests import factories

pytestmark = pytest.mark.django_db


def test_the_demo_tracker_is_alive_and_seeded_once(developer):
    for n in range(8):
        factories.RoleFactory(title=f"Demo role {n}")
    assert tracker_demo_seed(user=developer, now=timezone.now()) == 12
    assert tracker_demo_seed(user=developer, now=timezone.now()) == 0
    entries = TrackedOpportunity.objects.filter(user=developer)
    assert entries.count() == 12
    assert set(entries.values_list("stage", flat=True)) == set(Stage.values)
    assert entries.filter(role__isnull=False).count() == 6
    assert StageChange.objects.filter(opportunity__user=developer).count() > 24
    found = reminders(user=developer)
    assert found.due and found.quiet

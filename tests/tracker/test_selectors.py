"""The tracker's reads other areas call: which roles a user tracks, and how many track a role."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from opportunities.tracker import services
from opportunities.tracker.selectors import tracked_role_ids, tracking_count
from tests import factories

pytestmark = pytest.mark.django_db


def test_tracking_count_counts_people_not_names(django_assert_num_queries):
    tracked, quiet = factories.RoleFactory(), factories.RoleFactory()
    for _ in range(3):
        services.opportunity_track_role(user=factories.UserFactory(), role=tracked.pk)
    with django_assert_num_queries(1):
        counts = tracking_count([tracked.pk, quiet.pk, tracked.pk])
    assert counts == {tracked.pk: 3, quiet.pk: 0}
    assert tracking_count([]) == {}


def test_tracked_role_ids_are_the_users_own(developer, other_developer):
    mine, theirs = factories.RoleFactory(), factories.RoleFactory()
    services.opportunity_track_role(user=developer, role=mine.pk)
    services.opportunity_track_role(user=other_developer, role=theirs.pk)
    assert tracked_role_ids(user=developer, role_ids=[mine.pk, theirs.pk]) == {mine.pk}
    assert tracked_role_ids(user=AnonymousUser(), role_ids=[mine.pk]) == set()

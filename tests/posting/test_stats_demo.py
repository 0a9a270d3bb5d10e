"""Tests for opportunities.posting.stats_demo: the demo recruiter's 30 days of history."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from opportunities.access import roles_of_recruiter
from opportunities.models import Role, RoleStat
from opportunities.posting.stats_demo import stats_demo_seed
from opportunities.posting.stats_selectors import role_stats_list
from tests import factories

pytestmark = pytest.mark.django_db

Kind = RoleStat.Kind
TODAY = datetime.date(2026, 11, 30)


@pytest.fixture
def recruiter(company):
    user = factories.UserFactory()
    factories.MembershipFactory(user=user, company=company)
    return user


def test_live_roles_get_a_month_of_views_and_clicks(recruiter, company):
    posted = timezone.make_aware(datetime.datetime(2026, 10, 1, 9))
    live = factories.RoleFactory(company=company, posted_at=posted)
    draft = factories.RoleFactory(company=company, status=Role.Status.DRAFT, posted_at=None)
    elsewhere = factories.RoleFactory(company=factories.CompanyFactory())

    written = stats_demo_seed(user=recruiter, today=TODAY)

    assert written == RoleStat.objects.count() > 0
    assert not RoleStat.objects.filter(role__in=[draft, elsewhere]).exists()
    [item, _] = role_stats_list(roles=roles_of_recruiter(recruiter), today=TODAY)
    assert item.role == live
    assert sum(1 for views in item.series[Kind.VIEW] if views) >= 25
    assert item.total_search_appearances > item.total_views > item.total_apply_clicks > 0


def test_history_starts_when_the_role_was_posted(recruiter, company):
    posted = timezone.make_aware(datetime.datetime(2026, 11, 25, 9))
    role = factories.RoleFactory(company=company, posted_at=posted)
    stats_demo_seed(user=recruiter, today=TODAY)
    days = set(RoleStat.objects.filter(role=role).values_list("day", flat=True))
    assert min(days) >= datetime.date(2026, 11, 25)
    assert max(days) <= TODAY


def test_a_second_run_adds_nothing_and_real_counts_are_kept(recruiter, company):
    role = factories.RoleFactory(company=company)
    RoleStat.objects.create(role=role, day=TODAY, kind=Kind.VIEW, count=3)
    assert stats_demo_seed(user=recruiter, today=TODAY) == 0
    posted = timezone.make_aware(datetime.datetime(2026, 11, 20, 9))
    other = factories.RoleFactory(company=company, posted_at=posted)
    first = stats_demo_seed(user=recruiter, today=TODAY)
    assert first > 0
    assert stats_demo_seed(user=recruiter, today=TODAY) == 0
    assert RoleStat.objects.get(role=role).count == 3
    assert RoleStat.objects.filter(role=other).count() == first

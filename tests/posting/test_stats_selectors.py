"""Tests for opportunities.posting.stats_selectors: series per day, totals, CSV rows, targets."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from opportunities.access import roles_of_recruiter
from opportunities.models import Match, Role, RoleStat, TrackedOpportunity
from opportunities.posting.stats import stats_record
from opportunities.posting.stats_selectors import (
    KINDS,
    role_apply_target,
    role_stats_get,
    role_stats_list,
    stats_csv_rows,
    stats_period,
)
from tests import factories

pytestmark = pytest.mark.django_db

Kind = RoleStat.Kind
TODAY = datetime.date(2026, 11, 30)


@pytest.fixture
def recruiter(company):
    user = factories.UserFactory()
    factories.MembershipFactory(user=user, company=company)
    return user


def days_ago(n: int) -> datetime.date:
    return TODAY - datetime.timedelta(days=n)


def test_the_period_is_the_last_days_oldest_first():
    period = stats_period(days=30, today=TODAY)
    assert len(period) == 30
    assert period[0] == days_ago(29)
    assert period[-1] == TODAY


def test_series_hold_each_days_count_and_leave_out_older_days(recruiter, company):
    role = factories.RoleFactory(company=company)
    stats_record(role.pk, Kind.VIEW, count=5, day=TODAY)
    stats_record(role.pk, Kind.VIEW, count=2, day=days_ago(29))
    stats_record(role.pk, Kind.VIEW, count=9, day=days_ago(30))  # before the period
    stats_record(role.pk, Kind.APPLY_CLICK, count=1, day=days_ago(3))
    stats_record(role.pk, Kind.TRACKER_SAVE, count=4, day=days_ago(3))

    [item] = role_stats_list(roles=roles_of_recruiter(recruiter), today=TODAY)

    assert item.role == role
    assert item.series[Kind.VIEW][-1] == 5
    assert item.series[Kind.VIEW][0] == 2
    assert item.total_views == 7
    assert item.total_apply_clicks == 1
    assert item.total_tracker_saves == 4
    assert item.total_search_appearances == 0
    day, counts = item.table()[3]
    assert day == days_ago(3)
    assert counts == [0, 0, 1, 4]
    chart = item.chart()
    assert chart["labels"][-1] == TODAY.isoformat()
    assert [dataset["key"] for dataset in chart["datasets"]] == list(KINDS)


def test_only_the_recruiters_companies_roles_are_listed(recruiter, company):
    mine = factories.RoleFactory(company=company, title="Mine")
    other_company = factories.CompanyFactory()
    theirs = factories.RoleFactory(company=other_company, title="Theirs")
    second = factories.CompanyFactory()
    factories.MembershipFactory(user=recruiter, company=second)
    also_mine = factories.RoleFactory(company=second, status=Role.Status.DRAFT)
    stats_record(theirs.pk, Kind.VIEW, day=TODAY)

    listed = role_stats_list(roles=roles_of_recruiter(recruiter), today=TODAY)

    assert [item.role for item in listed] == [mine, also_mine]  # published before draft
    assert role_stats_get(roles=roles_of_recruiter(recruiter), pk=theirs.pk) is None


def test_nobody_but_members_has_roles(role):
    assert not roles_of_recruiter(factories.UserFactory(is_staff=True, is_superuser=True)).exists()


def test_the_list_costs_four_queries_however_many_roles(recruiter, company):
    roles = factories.RoleFactory.create_batch(6, company=company)
    for role in roles:
        stats_record(role.pk, Kind.VIEW, day=TODAY)
    with CaptureQueriesContext(connection) as queries:
        listed = role_stats_list(roles=roles_of_recruiter(recruiter), today=TODAY)
    assert len(listed) == 6
    assert len(queries.captured_queries) == 4  # roles, counters, tracker saves, candidates


def test_tracker_saves_come_from_the_tracker_by_day_and_name_no_one(recruiter, company):
    role = factories.RoleFactory(company=company)
    other = factories.RoleFactory()  # another company's role: not counted here
    moment = datetime.datetime.combine(days_ago(2), datetime.time(12), tzinfo=datetime.UTC)
    for user in factories.UserFactory.create_batch(2):
        TrackedOpportunity.objects.create(user=user, role=role, title=role.title, company_name="x")
    TrackedOpportunity.objects.filter(role=role).update(created_at=moment)
    TrackedOpportunity.objects.create(
        user=factories.UserFactory(), role=other, title=other.title, company_name="y"
    )
    stats_record(role.pk, Kind.TRACKER_SAVE, day=days_ago(2))  # history from elsewhere adds

    (stats,) = role_stats_list(roles=roles_of_recruiter(recruiter), today=TODAY)
    rows = list(stats_csv_rows(roles=roles_of_recruiter(recruiter)))

    assert stats.series[Kind.TRACKER_SAVE][-3] == 3
    assert stats.totals[Kind.TRACKER_SAVE] == 3
    assert (role.pk, role.title, days_ago(2).isoformat(), "tracker_save", 1) in rows
    assert (role.pk, role.title, days_ago(2).isoformat(), "tracker_save", 2) in rows
    assert {row[0] for row in rows} == {role.pk}


def test_candidates_are_the_discoverable_matches(recruiter, company):
    role = factories.RoleFactory(company=company)
    for discoverable in (True, True, False):
        profile = factories.DeveloperProfileFactory(discoverable=discoverable)
        Match.objects.create(profile=profile, role=role, score=70)
    [item] = role_stats_list(roles=roles_of_recruiter(recruiter), today=TODAY)
    assert item.candidates == 2


def test_csv_rows_are_every_counter_of_the_roles(recruiter, company):
    role = factories.RoleFactory(company=company, title="LLM Engineer")
    other = factories.RoleFactory(company=factories.CompanyFactory())
    stats_record(role.pk, Kind.VIEW, count=3, day=days_ago(100))
    stats_record(role.pk, Kind.APPLY_CLICK, day=TODAY)
    stats_record(other.pk, Kind.VIEW, day=TODAY)
    rows = list(stats_csv_rows(roles=roles_of_recruiter(recruiter)))
    assert rows == [
        (role.pk, "LLM Engineer", days_ago(100).isoformat(), "view", 3),
        (role.pk, "LLM Engineer", TODAY.isoformat(), "apply_click", 1),
    ]


@pytest.mark.parametrize(
    ("fields", "target"),
    [
        ({"apply_url": "https://jobs.example.com/a?b=1"}, "https://jobs.example.com/a?b=1"),
        (
            {"apply_url": "https://jobs.example.com/a", "apply_email": "x@example.com"},
            "https://jobs.example.com/a",
        ),
        ({"apply_email": "hr+ml@example.com"}, "mailto:hr%2Bml@example.com?subject=Role"),
        ({"apply_url": "ftp://files.example.com/job"}, ""),
        (
            {"apply_url": "javascript:alert(1)", "apply_email": "x@example.com"},
            "mailto:x@example.com?subject=Role",
        ),
        ({}, ""),
    ],
)
def test_the_apply_target_is_only_the_roles_own_web_link_or_address(fields, target):
    values = {"apply_url": "", "apply_email": "", **fields}
    role = Role(title="Role", **values)
    assert role_apply_target(role=role) == target

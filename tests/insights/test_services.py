"""The rollups equal a direct count over the roles; the daily run equals a full rebuild."""

from __future__ import annotations

import datetime
import math
from collections import Counter

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from opportunities.insights import services
from opportunities.insights.buckets import MIN_SALARIES
from opportunities.models import (
    ExchangeRate,
    InsightCompanyMonth,
    InsightDay,
    InsightPairMonth,
    InsightRelated,
    InsightRising,
    InsightRole,
    InsightRoleSkill,
    InsightSalary,
    InsightSalaryMonth,
    InsightWeek,
    Role,
    RoleSkill,
)
from tests.factories import CompanyFactory, IndustryFactory, RoleFactory, SkillFactory

AS_OF = datetime.date(2026, 6, 17)
NOON = datetime.time(12, tzinfo=datetime.UTC)
BOARD = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
STATUSES = st.sampled_from(
    [Role.Status.PUBLISHED] * 3 + [Role.Status.CLOSED, Role.Status.EXPIRED, Role.Status.DRAFT]
)


PLAIN = {
    "posted": 3,
    "lasts": None,
    "status": Role.Status.PUBLISHED,
    "skills": {0, 1},
    "industry": 1,
    "workplace": "remote",
    "worldwide": False,
    "salary": None,
    "currency": "USD",
    "duplicate": False,
}


def at(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, NOON)


role_specs = st.fixed_dictionaries(
    {
        "posted": st.integers(0, 200),  # days before AS_OF
        "lasts": st.one_of(st.none(), st.integers(0, 120)),
        "status": STATUSES,
        "skills": st.sets(st.integers(0, 3), max_size=3),
        "industry": st.integers(0, 2),  # 0: none
        "workplace": st.sampled_from(["onsite", "hybrid", "remote"]),
        "worldwide": st.booleans(),
        "salary": st.one_of(st.none(), st.integers(20, 300).map(lambda k: k * 1000)),
        "currency": st.sampled_from(["USD", "EUR"]),
        "duplicate": st.booleans(),
    }
)


@pytest.fixture
def pools(db):
    return {
        "skills": [SkillFactory() for _ in range(4)],
        "industries": [None, IndustryFactory(), IndustryFactory()],
        "companies": [CompanyFactory(), CompanyFactory()],
    }


def role_make(spec: dict, pools: dict, previous: Role | None) -> Role:
    posted = AS_OF - datetime.timedelta(days=spec["posted"])
    end = None if spec["lasts"] is None else posted + datetime.timedelta(days=spec["lasts"])
    status = spec["status"]
    if status == Role.Status.EXPIRED and end is None:
        end = posted
    workplace = spec["workplace"]
    salary = spec["salary"]
    role = RoleFactory(
        company=pools["companies"][spec["posted"] % 2],
        industry=pools["industries"][spec["industry"]],
        workplace=workplace,
        worldwide=spec["worldwide"] and workplace == "remote",
        country="DE" if spec["posted"] % 3 else "US",
        seniority="senior" if spec["posted"] % 2 else "mid",
        status=status,
        posted_at=at(posted),
        expires_at=at(end) if end and status != Role.Status.CLOSED else None,
        closed_at=at(end) if end and status == Role.Status.CLOSED else None,
        salary_currency=spec["currency"] if salary else "",
        salary_yearly_min=salary,
        salary_yearly_max=salary + 10000 if salary else None,
        duplicate_of=previous if spec["duplicate"] and previous else None,
        skills=[pools["skills"][i] for i in sorted(spec["skills"])],
    )
    return role


def board_make(specs: list[dict], pools: dict) -> list[Role]:
    roles: list[Role] = []
    for spec in specs:
        canonical = next((r for r in roles if r.duplicate_of_id is None), None)
        roles.append(role_make(spec, pools, canonical))
    # Everything written so far is older than the first run's watermark.
    Role.objects.update(updated_at=timezone.now() - datetime.timedelta(days=2))
    return roles


def direct_open_spans() -> list[tuple[Role, datetime.date, datetime.date | None, set[int]]]:
    """Each posting's open span and skills, computed straight from the role table."""
    spans = []
    for role in Role.objects.filter(duplicate_of__isnull=True, posted_at__isnull=False):
        if role.status not in (Role.Status.PUBLISHED, Role.Status.CLOSED, Role.Status.EXPIRED):
            continue
        opened = role.posted_at.date()
        if role.status == Role.Status.CLOSED:
            end = role.closed_at or role.expires_at or role.updated_at
        elif role.status == Role.Status.EXPIRED:
            end = role.expires_at or role.closed_at or role.updated_at
        else:
            end = role.expires_at
        ended = end.date() if end else None
        if ended is not None and ended < opened:
            ended = opened
        skills = set(RoleSkill.objects.filter(role=role).values_list("skill_id", flat=True))
        spans.append((role, opened, ended, skills))
    return spans


def week_figures(skill_id: int, industry_id: int = 0, workplace: str = "") -> dict:
    return {
        row.week: (row.open_roles, row.new_roles)
        for row in InsightWeek.objects.filter(
            skill_id=skill_id, industry_id=industry_id, workplace=workplace
        )
    }


def in_slice(role: Role, industry_id: int, workplace: str) -> bool:
    if industry_id and role.industry_id != industry_id:
        return False
    if workplace == "worldwide":
        return role.worldwide
    return not workplace or role.workplace == workplace


@BOARD
@given(st.lists(role_specs, min_size=1, max_size=14))
def test_rollups_and_weekly_figures_equal_a_direct_count_over_the_roles(pools, specs):
    with transaction.atomic():
        board_make(specs, pools)
        services.insights_rebuild(as_of=AS_OF)
        spans = direct_open_spans()
        slices = [(0, ""), (0, "remote"), (0, "worldwide")] + [
            (industry.pk, "") for industry in pools["industries"] if industry
        ]
        for skill_id in [0, *(skill.pk for skill in pools["skills"])]:
            for industry_id, workplace in slices:
                figures = week_figures(skill_id, industry_id, workplace)
                for monday, (open_roles, new_roles) in figures.items():
                    end = min(monday + datetime.timedelta(days=6), AS_OF)
                    chosen = [
                        (opened, ended)
                        for role, opened, ended, skills in spans
                        if (skill_id == 0 or skill_id in skills)
                        and in_slice(role, industry_id, workplace)
                    ]
                    assert open_roles == sum(
                        1
                        for opened, ended in chosen
                        if opened <= end and (ended is None or ended > end)
                    ), (skill_id, industry_id, workplace, monday)
                    assert new_roles == sum(1 for opened, _ in chosen if monday <= opened <= end)
                # No week with open roles is missing from the series.
                expected_weeks = {
                    services.week_start(opened)
                    for role, opened, _, skills in spans
                    if (skill_id == 0 or skill_id in skills)
                    and in_slice(role, industry_id, workplace)
                }
                assert expected_weeks <= set(figures) or not expected_weeks
        # Pairs, companies and salaries per month, against the same direct reading.
        pairs, companies, salaries = Counter(), Counter(), Counter()
        for role, opened, _, skills in spans:
            month = opened.replace(day=1)
            for skill in skills:
                companies[(month, skill, role.company_id)] += 1
                pairs.update((month, skill, other) for other in skills if other != skill)
            if role.salary_currency:
                for skill in (0, *skills):
                    salaries[(month, skill, role.salary_currency)] += 1
        assert (
            Counter(
                {
                    (month, a, b): n
                    for month, a, b, n in InsightPairMonth.objects.values_list(
                        "month", "skill_id", "other_id", "count"
                    )
                }
            )
            == pairs
        )
        assert (
            Counter(
                {
                    (month, s, c): n
                    for month, s, c, n in InsightCompanyMonth.objects.values_list(
                        "month", "skill_id", "company_id", "count"
                    )
                }
            )
            == companies
        )
        stored = Counter()
        for month, skill, currency, n in InsightSalaryMonth.objects.values_list(
            "month", "skill_id", "currency", "count"
        ):
            stored[(month, skill, currency)] += n
        assert stored == salaries
        transaction.set_rollback(True)


def tables_snapshot() -> dict[str, Counter]:
    def rows(model, *fields):
        return Counter(model.objects.values_list(*fields))

    return {
        "history": rows(InsightRole, *services.HISTORY_COLUMNS),
        "history_skills": rows(InsightRoleSkill, "role_key", "skill_id"),
        "day": rows(InsightDay, *services.DAY_DIMS, "opened", "closed"),
        "salary": rows(InsightSalaryMonth, *services.SALARY_DIMS, "count"),
        "pairs": rows(InsightPairMonth, *services.PAIR_DIMS, "count"),
        "companies": rows(InsightCompanyMonth, *services.COMPANY_DIMS, "count"),
        "weeks": rows(
            InsightWeek, "skill_id", "industry_id", "workplace", "week", "open_roles", "new_roles"
        ),
        "rising": rows(InsightRising, "skill_id", "industry_id", "recent", "previous"),
        "salaries": rows(
            InsightSalary,
            "skill_id",
            "seniority",
            "country",
            "currency",
            "converted",
            "count",
            "p50",
        ),
        "related": rows(InsightRelated, "skill_id", "other_id", "roles"),
    }


changes = st.lists(
    st.tuples(
        st.sampled_from(["close", "skills", "delete", "duplicate", "salary", "new"]),
        st.integers(0, 50),
        role_specs,
    ),
    min_size=1,
    max_size=8,
)


@BOARD
@given(st.lists(role_specs, min_size=1, max_size=10), changes)
def test_the_daily_run_leaves_what_a_full_rebuild_leaves(pools, specs, edits):
    with transaction.atomic():
        roles = board_make(specs, pools)
        services.insights_rebuild(as_of=AS_OF - datetime.timedelta(days=1))
        for action, pick, spec in edits:
            role = Role.objects.filter(pk=roles[pick % len(roles)].pk).first()
            if action == "new" or role is None:
                roles.append(role_make(spec, pools, None))
            elif action == "close":
                role.status = Role.Status.CLOSED
                role.closed_at = at(AS_OF)
                role.save()
            elif action == "skills":
                RoleSkill.objects.filter(role=role).delete()
                for index in spec["skills"]:
                    RoleSkill.objects.create(role=role, skill=pools["skills"][index])
                role.save()
            elif action == "delete":
                Role.objects.filter(duplicate_of=role).update(
                    duplicate_of=None, updated_at=timezone.now()
                )
                role.delete()
            elif action == "duplicate":
                other = Role.objects.exclude(pk=role.pk).filter(duplicate_of__isnull=True).first()
                if other is not None and not Role.objects.filter(duplicate_of=role).exists():
                    role.duplicate_of = other
                    role.save()
            elif action == "salary":
                role.salary_currency = "EUR"
                role.salary_yearly_min = role.salary_yearly_max = (spec["salary"] or 50000) + 1
                role.save()
        run = services.insights_update(as_of=AS_OF)
        assert run.kind == "incremental"
        daily = tables_snapshot()
        services.insights_rebuild(as_of=AS_OF)
        assert tables_snapshot() == daily
        transaction.set_rollback(True)


def test_the_daily_run_reads_only_roles_changed_since_the_last_run(pools):
    roles = board_make([{**PLAIN, "posted": days} for days in range(5)], pools)
    services.insights_rebuild(as_of=AS_OF)
    roles[0].title = "Renamed"
    roles[0].save()
    run = services.insights_update(as_of=AS_OF)
    assert run.roles_read == 1
    # Within the watermark's overlap the role is read again, and that changes nothing.
    before = tables_snapshot()
    again = services.insights_update(as_of=AS_OF)
    assert again.roles_read == 1
    assert tables_snapshot() == before
    Role.objects.update(updated_at=timezone.now() - datetime.timedelta(days=1))
    assert services.insights_update(as_of=AS_OF).roles_read == 0


def test_a_posting_seen_on_two_sources_counts_once(pools):
    skill = pools["skills"][0]
    first = RoleFactory(posted_at=at(AS_OF), skills=[skill], industry=None)
    RoleFactory(posted_at=at(AS_OF), skills=[skill], industry=None, duplicate_of=first)
    services.insights_rebuild(as_of=AS_OF)
    week = InsightWeek.objects.get(
        skill_id=skill.pk, industry_id=0, workplace="", week=services.week_start(AS_OF)
    )
    assert (week.open_roles, week.new_roles) == (1, 1)
    assert InsightRole.objects.count() == 1


def test_history_outlives_a_deleted_role(pools):
    skill = pools["skills"][0]
    role = RoleFactory(posted_at=at(AS_OF - datetime.timedelta(days=30)), skills=[skill])
    services.insights_rebuild(as_of=AS_OF - datetime.timedelta(days=7))
    role.delete()
    services.insights_update(as_of=AS_OF)
    weeks = week_figures(skill.pk)
    month_ago = services.week_start(AS_OF - datetime.timedelta(days=30))
    assert weeks[month_ago] == (1, 1)  # still counted in the weeks it was open
    assert weeks[services.week_start(AS_OF)][0] == 0  # but no longer open
    services.insights_rebuild(as_of=AS_OF)
    assert week_figures(skill.pk)[month_ago] == (1, 1)


def direct_nearest_rank(values: list[int], fraction: float) -> int:
    ordered = sorted(values)
    return ordered[max(1, math.ceil(fraction * len(ordered))) - 1]


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.integers(30, 400).map(lambda k: k * 1000 + 1), min_size=1, max_size=45))
def test_salary_percentiles_follow_the_salaries_and_hide_small_samples(pools, salaries):
    with transaction.atomic():
        for amount in salaries:
            RoleFactory(
                posted_at=at(AS_OF),
                salary_currency="EUR",
                salary_yearly_min=amount,
                salary_yearly_max=amount,
                seniority="senior",
            )
        services.insights_rebuild(as_of=AS_OF)
        figure = InsightSalary.objects.get(
            skill_id=0, seniority="", country="", currency="EUR", converted=False
        )
        assert figure.count == len(salaries)
        if len(salaries) < MIN_SALARIES:
            assert (figure.p25, figure.p50, figure.p75) == (None, None, None)
        else:
            for fraction, value in ((0.25, figure.p25), (0.5, figure.p50), (0.75, figure.p75)):
                true = direct_nearest_rank(salaries, fraction)
                assert abs(value - true) / true < 0.011
        transaction.set_rollback(True)


def test_salaries_are_converted_only_with_a_rate_in_force(pools):
    for amount in range(60000, 60000 + 25 * 1000, 1000):
        RoleFactory(
            posted_at=at(AS_OF),
            salary_currency="EUR",
            salary_yearly_min=amount,
            salary_yearly_max=amount,
        )
    services.insights_rebuild(as_of=AS_OF)
    assert not InsightSalary.objects.filter(converted=True).exists()
    ExchangeRate.objects.create(
        currency="EUR", usd_per_unit="1.100000", valid_from=AS_OF.replace(day=1)
    )
    services.insights_rebuild(as_of=AS_OF)
    native = InsightSalary.objects.get(skill_id=0, seniority="", country="", currency="EUR")
    usd = InsightSalary.objects.get(
        skill_id=0, seniority="", country="", currency="USD", converted=True
    )
    assert usd.count == native.count == 25
    assert abs(usd.p50 - native.p50 * 1.1) / usd.p50 < 0.03

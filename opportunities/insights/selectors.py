"""Reading the insights: plain functions over the page-figure tables, returning plain data.

Every function here reads only the small tables the runs write (opportunities.insights.services),
never the role table, with one or two indexed queries each.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from typing import Any

from django.utils import timezone

from opportunities.insights.buckets import MIN_SALARIES, share_below
from opportunities.insights.services import RISING_DAYS, RISING_MIN_COUNT
from opportunities.models import (
    DeveloperProfile,
    Industry,
    InsightCompany,
    InsightRelated,
    InsightRising,
    InsightRun,
    InsightSalary,
    InsightWeek,
    Skill,
)

WEEKS_SHOWN = 26


def last_run() -> InsightRun | None:
    """The latest successful run (what the figures are as of)."""
    return InsightRun.objects.filter(succeeded=True).order_by("-started_at", "-id").first()


def _share(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def _since(weeks: int) -> datetime.date:
    """The first week worth reading for the last `weeks` (with a week's slack)."""
    return timezone.now().date() - datetime.timedelta(weeks=weeks + 1)


def _series(skill_ids: list[int], industry_id: int, workplace: str, weeks: int) -> dict:
    rows = (
        InsightWeek.objects.filter(
            skill_id__in=sorted({0, *skill_ids}),
            industry_id=industry_id,
            workplace=workplace,
            week__gte=_since(weeks),
        )
        .order_by("-week")
        .values_list("skill_id", "week", "open_roles", "new_roles")
    )
    by_skill: dict[int, dict[datetime.date, tuple[int, int]]] = defaultdict(dict)
    for skill_id, week, open_roles, new_roles in rows:
        by_skill[skill_id][week] = (open_roles, new_roles)
    shown = sorted(by_skill.get(0, {}))[-weeks:]
    return {"weeks": shown, "by_skill": by_skill}


def skill_trend(
    skill_id: int, *, industry_id: int = 0, workplace: str = "", weeks: int = WEEKS_SHOWN
) -> list[dict[str, Any]]:
    """Week by week: open and new postings asking for the skill, and their share of all
    postings open (or new) that week, in the slice given (industry 0 and workplace "": all)."""
    series = _series([skill_id], industry_id, workplace, weeks)
    totals = series["by_skill"].get(0, {})
    mine = series["by_skill"].get(skill_id, {})
    result = []
    for week in series["weeks"]:
        open_all, new_all = totals[week]
        open_roles, new_roles = mine.get(week, (0, 0))
        result.append(
            {
                "week": week,
                "open_roles": open_roles,
                "new_roles": new_roles,
                "all_open": open_all,
                "all_new": new_all,
                "open_share": _share(open_roles, open_all),
                "new_share": _share(new_roles, new_all),
            }
        )
    return result


def _skills(ids) -> dict[int, Skill]:
    return {
        skill.pk: skill
        for skill in Skill.objects.filter(pk__in=list(ids)).only("pk", "name", "slug", "category")
    }


def rising_skills(
    *, industry_id: int = 0, limit: int = 10, falling: bool = False
) -> list[dict[str, Any]]:
    """Skills whose new postings grew most (or fell most) in the last 90 days against the
    90 before, among those with at least RISING_MIN_COUNT in the earlier period."""
    order = "growth" if falling else "-growth"
    rows = list(
        InsightRising.objects.filter(industry_id=industry_id).order_by(order, "skill_id")[:limit]
    )
    skills = _skills(row.skill_id for row in rows)
    return [
        {
            "skill_id": row.skill_id,
            "name": skills[row.skill_id].name,
            "slug": skills[row.skill_id].slug,
            "recent": row.recent,
            "previous": row.previous,
            "growth": round(100 * row.growth, 1),
        }
        for row in rows
        if row.skill_id in skills and (row.growth < 0 if falling else row.growth > 0)
    ]


TREND_WORKPLACES = ("onsite", "hybrid", "remote", "worldwide")
TREND_WEEKS_MAX = 104


class SeriesRequestError(ValueError):
    """A series was asked for with an argument (`field`) it cannot take; the message says why."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def _industry_id(slug: str) -> int:
    if not slug:
        return 0
    found = Industry.objects.filter(slug=slug).values_list("pk", flat=True).first()
    if found is None:
        raise SeriesRequestError("industry", f"There is no industry “{slug}”.")
    return found


def skill_series(
    slug: str, *, industry: str = "", workplace: str = "", weeks: int = WEEKS_SHOWN
) -> dict[str, Any] | None:
    """A skill's weekly demand by slug, for the API and the assistants' tools: None for a skill
    the taxonomy does not have; SeriesRequestError for an unknown industry or workplace, both
    at once (the rollups keep them apart), or weeks outside 1-TREND_WEEKS_MAX."""
    skill = Skill.objects.active().filter(slug=slug).only("pk", "slug", "name").first()
    if skill is None:
        return None
    if workplace and workplace not in TREND_WORKPLACES:
        raise SeriesRequestError(
            "workplace", f"“{workplace}” is not a workplace: use {', '.join(TREND_WORKPLACES)}."
        )
    if industry and workplace:
        raise SeriesRequestError("workplace", "Choose an industry or a workplace, not both.")
    if not 1 <= weeks <= TREND_WEEKS_MAX:
        raise SeriesRequestError("weeks", f"weeks must be between 1 and {TREND_WEEKS_MAX}.")
    trend = skill_trend(
        skill.pk, industry_id=_industry_id(industry), workplace=workplace, weeks=weeks
    )
    return {
        "skill": {"slug": skill.slug, "name": skill.name},
        "industry": industry,
        "workplace": workplace,
        "weeks": trend,
    }


def rising_series(*, industry: str = "", falling: bool = False, limit: int = 10) -> dict[str, Any]:
    """The rising (or falling) skills by industry slug, with what the growth compares."""
    if not 1 <= limit <= 50:
        raise SeriesRequestError("limit", "limit must be between 1 and 50.")
    return {
        "industry": industry,
        "direction": "falling" if falling else "rising",
        "days": RISING_DAYS,
        "min_count": RISING_MIN_COUNT,
        "skills": rising_skills(industry_id=_industry_id(industry), limit=limit, falling=falling),
    }


def related_skills(skill_id: int, *, limit: int = 10) -> list[dict[str, Any]]:
    """The skills asked for most often beside this one, with how many postings ask for both."""
    rows = list(
        InsightRelated.objects.filter(skill_id=skill_id).order_by("-roles", "other_id")[:limit]
    )
    skills = _skills(row.other_id for row in rows)
    return [
        {
            "skill_id": row.other_id,
            "name": skills[row.other_id].name,
            "slug": skills[row.other_id].slug,
            "roles": row.roles,
            "share": round(100 * row.share, 1),
        }
        for row in rows
        if row.other_id in skills
    ]


def top_companies(skill_id: int, *, limit: int = 10) -> list[dict[str, Any]]:
    return [
        {"company_id": row.company_id, "name": row.company_name, "roles": row.roles}
        for row in InsightCompany.objects.filter(skill_id=skill_id).order_by(
            "-roles", "company_name"
        )[:limit]
    ]


def _salary_row(row: InsightSalary) -> dict[str, Any]:
    shown = row.count >= MIN_SALARIES
    return {
        "currency": row.currency,
        "converted": row.converted,
        "seniority": row.seniority,
        "country": row.country,
        "count": row.count,
        "p25": row.p25 if shown else None,
        "p50": row.p50 if shown else None,
        "p75": row.p75 if shown else None,
    }


def salary_percentiles(skill_id: int = 0) -> dict[str, list[dict[str, Any]]]:
    """The skill's (0: every role's) salary figures: overall, by seniority and by country,
    one currency at a time, plus US dollars converted where rates allow; the largest first."""
    rows = InsightSalary.objects.filter(skill_id=skill_id).order_by("-count", "currency")
    result: dict[str, list[dict[str, Any]]] = {"overall": [], "seniority": [], "country": []}
    for row in rows:
        part = "seniority" if row.seniority else "country" if row.country else "overall"
        result[part].append(_salary_row(row))
    return result


def salary_by_skill(
    *, currency: str = "USD", converted: bool = True, limit: int = 25
) -> list[dict[str, Any]]:
    """The skills with the most salaries stated, and their percentiles, in one currency."""
    rows = list(
        InsightSalary.objects.filter(
            seniority="", country="", currency=currency, converted=converted, skill_id__gt=0
        ).order_by("-count", "skill_id")[:limit]
    )
    skills = _skills(row.skill_id for row in rows)
    return [
        {**_salary_row(row), "name": skills[row.skill_id].name, "slug": skills[row.skill_id].slug}
        for row in rows
        if row.skill_id in skills
    ]


def salary_currencies() -> list[tuple[str, bool]]:
    """(currency, converted) pairs that have an all-roles figure, the most salaries first."""
    return list(
        InsightSalary.objects.filter(skill_id=0, seniority="", country="")
        .order_by("-count")
        .values_list("currency", "converted")
    )


def workplace_shares(*, weeks: int = WEEKS_SHOWN) -> list[dict[str, Any]]:
    """Week by week: the share of open postings that are remote, and open worldwide."""
    rows = InsightWeek.objects.filter(
        skill_id=0,
        industry_id=0,
        workplace__in=["", "remote", "worldwide"],
        week__gte=_since(weeks),
    ).values_list("workplace", "week", "open_roles")
    by_week: dict[datetime.date, dict[str, int]] = defaultdict(dict)
    for workplace, week, open_roles in rows:
        by_week[week][workplace] = open_roles
    result = []
    for week in sorted(week for week in by_week if "" in by_week[week])[-weeks:]:
        counts = by_week[week]
        result.append(
            {
                "week": week,
                "open_roles": counts[""],
                "remote": counts.get("remote", 0),
                "worldwide": counts.get("worldwide", 0),
                "remote_share": _share(counts.get("remote", 0), counts[""]),
                "worldwide_share": _share(counts.get("worldwide", 0), counts[""]),
            }
        )
    return result


def industry_series(*, weeks: int = WEEKS_SHOWN) -> dict[str, Any]:
    """Open postings per industry, week by week: {"weeks": [...], "industries": [{name, slug,
    open_roles: [...]}]}, the largest industry now first."""
    rows = InsightWeek.objects.filter(
        skill_id=0, industry_id__gt=0, workplace="", week__gte=_since(weeks)
    ).values_list("industry_id", "week", "open_roles")
    by_industry: dict[int, dict[datetime.date, int]] = defaultdict(dict)
    all_weeks: set[datetime.date] = set()
    for industry_id, week, open_roles in rows:
        by_industry[industry_id][week] = open_roles
        all_weeks.add(week)
    shown = sorted(all_weeks)[-weeks:]
    names = {
        industry.pk: industry for industry in Industry.objects.filter(pk__in=list(by_industry))
    }
    industries = [
        {
            "industry_id": industry_id,
            "name": names[industry_id].name,
            "slug": names[industry_id].slug,
            "open_roles": [series.get(week, 0) for week in shown],
        }
        for industry_id, series in by_industry.items()
        if industry_id in names
    ]
    industries.sort(
        key=lambda row: (-(row["open_roles"][-1] if row["open_roles"] else 0), row["name"])
    )
    return {"weeks": shown, "industries": industries}


def top_skills_series(
    *, industry_id: int = 0, workplace: str = "", count: int = 6, weeks: int = WEEKS_SHOWN
) -> dict[str, Any]:
    """The skills most asked for in open postings now, with their weekly share of open postings."""
    latest = (
        InsightWeek.objects.filter(industry_id=industry_id, workplace=workplace, skill_id=0)
        .order_by("-week")
        .values_list("week", flat=True)
        .first()
    )
    if latest is None:
        return {"weeks": [], "skills": []}
    leaders = list(
        InsightWeek.objects.filter(
            industry_id=industry_id, workplace=workplace, week=latest, skill_id__gt=0
        )
        .order_by("-open_roles", "skill_id")
        .values_list("skill_id", flat=True)[:count]
    )
    series = _series(leaders, industry_id, workplace, weeks)
    totals = series["by_skill"].get(0, {})
    skills = _skills(leaders)
    return {
        "weeks": series["weeks"],
        "skills": [
            {
                "skill_id": skill_id,
                "name": skills[skill_id].name,
                "slug": skills[skill_id].slug,
                "open_roles": [
                    series["by_skill"][skill_id].get(week, (0, 0))[0] for week in series["weeks"]
                ],
                "open_share": [
                    _share(series["by_skill"][skill_id].get(week, (0, 0))[0], totals[week][0])
                    for week in series["weeks"]
                ],
            }
            for skill_id in leaders
            if skill_id in skills
        ],
    }


# A developer's own view (the access check is the view's: opportunities/access.py).


def _change(trend: list[dict[str, Any]], weeks_back: int = 12) -> dict[str, Any]:
    if not trend:
        return {"now": None, "before": None, "change": None}
    now = trend[-1]["open_share"]
    before = (
        trend[-1 - weeks_back]["open_share"] if len(trend) > weeks_back else trend[0]["open_share"]
    )
    change = None if now is None or before is None else round(now - before, 1)
    return {"now": now, "before": before, "change": change, "open_roles": trend[-1]["open_roles"]}


def my_skills_trend(profile: DeveloperProfile) -> list[dict[str, Any]]:
    """Each of the developer's skills: its share of open postings now and 12 weeks ago."""
    skills = list(profile.skills.order_by("name").only("pk", "name", "slug"))
    series = _series([skill.pk for skill in skills], 0, "", WEEKS_SHOWN)
    totals = series["by_skill"].get(0, {})
    result = []
    for skill in skills:
        trend = [
            {
                "week": week,
                "open_roles": series["by_skill"].get(skill.pk, {}).get(week, (0, 0))[0],
                "open_share": _share(
                    series["by_skill"].get(skill.pk, {}).get(week, (0, 0))[0], totals[week][0]
                ),
            }
            for week in series["weeks"]
        ]
        result.append(
            {
                "skill_id": skill.pk,
                "name": skill.name,
                "slug": skill.slug,
                **_change(trend),
                "trend": trend,
            }
        )
    return result


def salary_floor_position(profile: DeveloperProfile) -> dict[str, Any] | None:
    """Where the developer's salary floor stands among the last year's postings at their
    seniority in their currency: how many pay less (by bucket), out of how many."""
    if not profile.salary_floor or not profile.seniority:
        return None
    currency = (profile.salary_currency or "USD").upper()
    row = (
        InsightSalary.objects.filter(
            skill_id=0, seniority=profile.seniority, country="", currency=currency
        )
        .order_by("converted")
        .first()
    )
    if row is None or row.count < MIN_SALARIES:
        return {
            "floor": profile.salary_floor,
            "currency": currency,
            "count": row.count if row else 0,
            "shown": False,
        }
    below, total = share_below([tuple(pair) for pair in row.buckets], profile.salary_floor)
    return {
        "floor": profile.salary_floor,
        "currency": currency,
        "seniority": profile.get_seniority_display(),
        "count": total,
        "below": below,
        "percent_below": _share(below, total),
        "p25": row.p25,
        "p50": row.p50,
        "p75": row.p75,
        "converted": row.converted,
        "shown": True,
    }


LEARN_ORDERS = ("together", "rising", "salary")


def skills_to_learn_next(
    profile: DeveloperProfile, *, limit: int = 8, order: str = "together"
) -> list[dict[str, Any]]:
    """Skills the developer lacks that postings asking for their skills also ask for, with
    the numbers behind each: ranked by that count ("together"), by rising demand ("rising")
    or by the salary difference against all roles ("salary")."""
    mine = set(profile.skills.values_list("pk", flat=True))
    if not mine:
        return []
    together: dict[int, int] = defaultdict(int)
    for other_id, roles in InsightRelated.objects.filter(skill_id__in=mine).values_list(
        "other_id", "roles"
    ):
        if other_id not in mine:
            together[other_id] += roles
    if not together:
        return []
    candidates = sorted(together, key=lambda pk: (-together[pk], pk))[: limit * 3]
    growth = dict(
        InsightRising.objects.filter(industry_id=0, skill_id__in=candidates).values_list(
            "skill_id", "growth"
        )
    )
    currency = (profile.salary_currency or "USD").upper()
    medians = {
        skill_id: (p50, count)
        for skill_id, p50, count in InsightSalary.objects.filter(
            skill_id__in=[0, *candidates], seniority="", country="", currency=currency
        )
        .order_by("-converted")
        .values_list("skill_id", "p50", "count")
    }
    overall = medians.get(0, (None, 0))[0]
    skills = _skills(candidates)
    result = []
    for skill_id in candidates:
        if skill_id not in skills:
            continue
        p50, count = medians.get(skill_id, (None, 0))
        difference = (
            p50 - overall
            if p50 is not None and overall is not None and count >= MIN_SALARIES
            else None
        )
        rise = growth.get(skill_id)
        result.append(
            {
                "skill_id": skill_id,
                "name": skills[skill_id].name,
                "slug": skills[skill_id].slug,
                "together": together[skill_id],
                "growth": None if rise is None else round(100 * rise, 1),
                "median": p50 if count >= MIN_SALARIES else None,
                "salary_count": count,
                "salary_difference": difference,
                "currency": currency,
            }
        )
    keys = {
        "together": lambda row: (-row["together"], row["name"]),
        "rising": lambda row: (row["growth"] is None, -(row["growth"] or 0), -row["together"]),
        "salary": lambda row: (
            row["salary_difference"] is None,
            -(row["salary_difference"] or 0),
            -row["together"],
        ),
    }
    result.sort(key=keys.get(order, keys["together"]))
    return result[:limit]


METHOD = {
    "rising_days": RISING_DAYS,
    "rising_min": RISING_MIN_COUNT,
    "min_salaries": MIN_SALARIES,
}

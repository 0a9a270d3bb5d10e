"""The insights pages' figures as tables: each one drawn as a chart, shown as a table and
offered as CSV, from the same rows (so the three never disagree)."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.core.cache import cache
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from opportunities.insights import selectors

NONE = "—"
SIGNED = re.compile(r"[+-][\d.,]+(%| [A-Z]{3})?")


@dataclass
class Table:
    name: str  # the CSV's file name and the chart's id
    title: str
    columns: list[str]
    rows: list[list[Any]]
    note: str = ""
    # {"kind": "line"|"bar", "labels": [...], "datasets": [{"label", "values"}]}; none: no chart
    chart: dict[str, Any] | None = None
    links: list[str | None] = field(default_factory=list)  # per row, the first cell's link

    @cached_property
    def html(self) -> SafeString:
        """The table's HTML, built here rather than by a template loop: the overview's
        thousand cells cost the template engine tens of milliseconds, this well under one."""
        head = "".join(f'<th scope="col">{escape(column)}</th>' for column in self.columns)
        links = self.links or [None] * len(self.rows)
        body = []
        for link, row in zip(links, self.rows, strict=True):
            first = escape(row[0]) if row else ""
            if link:
                first = f'<a href="{escape(link)}">{first}</a>'
            cells = "".join(f"<td>{escape(cell)}</td>" for cell in row[1:])
            body.append(f'<tr><th scope="row">{first}</th>{cells}</tr>')
        # Every value above went through escape().
        return mark_safe(
            f'<table class="data"><caption class="visually-hidden">{escape(self.title)}</caption>'
            f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
        )


def _week(value) -> str:
    return value.isoformat()


def _pct(value: float | None) -> str:
    return NONE if value is None else f"{value}%"


def _money(value: int | None) -> str:
    return NONE if value is None else f"{value:,}"


def csv_text(table: Table) -> str:
    """The table as CSV; a cell that a spreadsheet would run as a formula is quoted."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(table.columns)
    for row in table.rows:
        writer.writerow([_cell(cell) for cell in row])
    return out.getvalue()


def _cell(cell: Any) -> Any:
    # A signed figure such as "+12.5%" is data; any other text a spreadsheet would run as a
    # formula is quoted.
    if isinstance(cell, str) and cell[:1] in "=+-@\t\r" and not SIGNED.fullmatch(cell):
        return f"'{cell}"
    return cell


def _skill_link(slug: str) -> str:
    return reverse("skill_detail", kwargs={"slug": slug})


def overview_tables(
    *, industry_id: int = 0, workplace: str = "", currency: tuple[str, bool] | None = None
) -> list[Table]:
    """/insights/: demand per skill, rising and falling skills, remote and worldwide shares,
    roles per industry, and salary by skill."""
    tables: list[Table] = []
    top = selectors.top_skills_series(industry_id=industry_id, workplace=workplace)
    tables.append(
        Table(
            name="demand",
            title="Share of open roles asking for each of the most-asked skills, week by week",
            columns=["Week of", *(skill["name"] for skill in top["skills"])],
            rows=[
                [_week(week), *(_pct(skill["open_share"][i]) for skill in top["skills"])]
                for i, week in enumerate(top["weeks"])
            ],
            chart={
                "kind": "line",
                "unit": "%",
                "labels": [_week(week) for week in top["weeks"]],
                "datasets": [
                    {"label": s["name"], "values": s["open_share"]} for s in top["skills"]
                ],
            },
        )
    )
    for falling in (False, True):
        rising = selectors.rising_skills(industry_id=industry_id, falling=falling)
        tables.append(
            Table(
                name="falling" if falling else "rising",
                title=("Falling" if falling else "Rising")
                + " skills: new roles in the last 90 days against the 90 before",
                columns=["Skill", "New roles, last 90 days", "The 90 days before", "Change"],
                rows=[
                    [row["name"], row["recent"], row["previous"], f"{row['growth']:+}%"]
                    for row in rising
                ],
                links=[_skill_link(row["slug"]) for row in rising],
                note=f"Only skills with at least {selectors.RISING_MIN_COUNT} new roles "
                "in the earlier 90 days are ranked.",
                chart={
                    "kind": "bar",
                    "unit": "%",
                    "labels": [row["name"] for row in rising],
                    "datasets": [{"label": "Change", "values": [row["growth"] for row in rising]}],
                },
            )
        )
    shares = selectors.workplace_shares()
    tables.append(
        Table(
            name="remote",
            title="Share of open roles that are remote, and open to applicants worldwide",
            columns=[
                "Week of",
                "Open roles",
                "Remote",
                "Remote share",
                "Worldwide",
                "Worldwide share",
            ],
            rows=[
                [
                    _week(r["week"]),
                    r["open_roles"],
                    r["remote"],
                    _pct(r["remote_share"]),
                    r["worldwide"],
                    _pct(r["worldwide_share"]),
                ]
                for r in shares
            ],
            chart={
                "kind": "line",
                "unit": "%",
                "labels": [_week(r["week"]) for r in shares],
                "datasets": [
                    {"label": "Remote", "values": [r["remote_share"] for r in shares]},
                    {"label": "Worldwide", "values": [r["worldwide_share"] for r in shares]},
                ],
            },
        )
    )
    industries = selectors.industry_series()
    tables.append(
        Table(
            name="industries",
            title="Open roles per industry, week by week",
            columns=["Week of", *(row["name"] for row in industries["industries"])],
            rows=[
                [_week(week), *(row["open_roles"][i] for row in industries["industries"])]
                for i, week in enumerate(industries["weeks"])
            ],
            chart={
                "kind": "line",
                "labels": [_week(week) for week in industries["weeks"]],
                "datasets": [
                    {"label": r["name"], "values": r["open_roles"]}
                    for r in industries["industries"][:8]
                ],
            },
        )
    )
    code, converted = currency or ("USD", True)
    salaries = selectors.salary_by_skill(currency=code, converted=converted)
    tables.append(
        salary_table(
            "salaries",
            f"Yearly salary by skill, {code}"
            + (" (other currencies converted)" if converted else " only"),
            salaries,
            first="Skill",
            key="name",
        )
    )
    tables[-1].links = [_skill_link(row["slug"]) for row in salaries]
    return tables


def salary_table(
    name: str, title: str, rows: list[dict[str, Any]], *, first: str, key: str
) -> Table:
    return Table(
        name=name,
        title=title,
        columns=[first, "Currency", "25th percentile", "Median", "75th percentile", "Salaries"],
        rows=[
            [
                row[key] or "All",
                row["currency"] + (" (converted)" if row["converted"] else ""),
                _money(row["p25"]),
                _money(row["p50"]),
                _money(row["p75"]),
                row["count"],
            ]
            for row in rows
        ],
        note=f"Percentiles are shown only from {selectors.MIN_SALARIES} salaries or more.",
        chart={
            "kind": "bar",
            "labels": [row[key] or "All" for row in rows if row["p50"] is not None],
            "datasets": [
                {"label": "25th", "values": [row["p25"] for row in rows if row["p50"] is not None]},
                {
                    "label": "Median",
                    "values": [row["p50"] for row in rows if row["p50"] is not None],
                },
                {"label": "75th", "values": [row["p75"] for row in rows if row["p50"] is not None]},
            ],
        },
    )


def skill_tables(skill_id: int) -> list[Table]:
    """/skills/<slug>/: the skill's trend, salary, companies and related skills."""
    trend = selectors.skill_trend(skill_id)
    tables = [
        Table(
            name="trend",
            title="Share of open roles, and of new roles, asking for it, week by week",
            columns=[
                "Week of",
                "Open roles asking",
                "All open roles",
                "Share of open",
                "New roles asking",
                "All new roles",
                "Share of new",
            ],
            rows=[
                [
                    _week(r["week"]),
                    r["open_roles"],
                    r["all_open"],
                    _pct(r["open_share"]),
                    r["new_roles"],
                    r["all_new"],
                    _pct(r["new_share"]),
                ]
                for r in trend
            ],
            chart={
                "kind": "line",
                "unit": "%",
                "labels": [_week(r["week"]) for r in trend],
                "datasets": [
                    {"label": "Share of open roles", "values": [r["open_share"] for r in trend]},
                    {"label": "Share of new roles", "values": [r["new_share"] for r in trend]},
                ],
            },
        )
    ]
    salaries = selectors.salary_percentiles(skill_id)
    tables.append(
        salary_table(
            "salary",
            "Yearly salary of roles asking for it",
            salaries["overall"],
            first="Roles",
            key="seniority",
        )
    )
    tables.append(
        salary_table(
            "salary-seniority",
            "By seniority",
            salaries["seniority"],
            first="Seniority",
            key="seniority",
        )
    )
    tables.append(
        salary_table(
            "salary-country", "By country", salaries["country"], first="Country", key="country"
        )
    )
    companies = selectors.top_companies(skill_id)
    tables.append(
        Table(
            name="companies",
            title="Companies posting most roles asking for it (last 180 days)",
            columns=["Company", "Roles"],
            rows=[[row["name"], row["roles"]] for row in companies],
        )
    )
    related = selectors.related_skills(skill_id)
    tables.append(
        Table(
            name="related",
            title="Roles asking for it also ask for (last 180 days)",
            columns=["Skill", "Roles asking for both", "Share of its roles"],
            rows=[[row["name"], row["roles"], _pct(row["share"])] for row in related],
            links=[_skill_link(row["slug"]) for row in related],
            chart={
                "kind": "bar",
                "unit": "%",
                "labels": [row["name"] for row in related],
                "datasets": [
                    {"label": "Share of its roles", "values": [row["share"] for row in related]}
                ],
            },
        )
    )
    return tables


def my_tables(profile, *, order: str = "together") -> list[Table]:
    """/me/insights/: the developer's skills' trend and the skills to learn next."""
    mine = selectors.my_skills_trend(profile)
    learn = selectors.skills_to_learn_next(profile, order=order)
    weeks = [point["week"] for point in mine[0]["trend"]] if mine else []
    return [
        Table(
            name="my-skills",
            title="Your skills: share of open roles asking for each, now and 12 weeks ago",
            columns=[
                "Skill",
                "Open roles now",
                "Share now",
                "Share 12 weeks ago",
                "Change (points)",
            ],
            rows=[
                [
                    row["name"],
                    row.get("open_roles", 0),
                    _pct(row["now"]),
                    _pct(row["before"]),
                    NONE if row["change"] is None else f"{row['change']:+}",
                ]
                for row in mine
            ],
            links=[_skill_link(row["slug"]) for row in mine],
            chart={
                "kind": "line",
                "unit": "%",
                "labels": [_week(week) for week in weeks],
                "datasets": [
                    {"label": row["name"], "values": [p["open_share"] for p in row["trend"]]}
                    for row in mine[:8]
                ],
            },
        ),
        Table(
            name="learn-next",
            title="Skills to learn next",
            columns=[
                "Skill",
                "Roles asking for it beside your skills",
                "Change in new roles (90 days)",
                "Median salary",
                "Against the median of all roles",
                "Salaries",
            ],
            rows=[
                [
                    row["name"],
                    row["together"],
                    _pct(row["growth"]),
                    NONE if row["median"] is None else f"{row['median']:,} {row['currency']}",
                    NONE
                    if row["salary_difference"] is None
                    else f"{row['salary_difference']:+,} {row['currency']}",
                    row["salary_count"],
                ]
                for row in learn
            ],
            links=[_skill_link(row["slug"]) for row in learn],
            note="Roles asking for it beside your skills: postings of the last 180 days "
            "that ask for one of your skills and for this one.",
        ),
    ]


def charts_data(tables: list[Table]) -> dict[str, Any]:
    """What the page's script draws: each table's chart, by name."""
    return {table.name: table.chart for table in tables if table.chart and table.rows}


FIGURES_TTL = 26 * 60 * 60


def cached(run, key: str, build: Callable[[], list[Table]]) -> list[Table]:
    """The tables for `key` as of this run, built once per run: figures change only when a
    run rewrites them, so a run's own identity (id and finish time) keys the cache."""
    if run is None:
        return build()
    stamp = f"insights:{run.pk}:{run.finished_at.timestamp() if run.finished_at else 0}:{key}"
    figures = cache.get(stamp)
    if figures is None:
        figures = build()
        for table in figures:
            _ = table.html  # rendered before caching, so a hit costs no escaping
        cache.set(stamp, figures, FIGURES_TTL)
    return figures

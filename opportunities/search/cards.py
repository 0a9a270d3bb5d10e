"""What a role card shows (search, home and company pages), read in two plain SQL queries.

A page of model instances (role, company, industry, role skills and their skills: about 350
objects) and the template lookups through them cost more than the page's SQL; a card here is
one object whose fields are the strings the card prints, computed in one pass.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import quote

from django.conf import settings
from django.contrib.humanize.templatetags.humanize import intcomma
from django.db import connections
from django.urls import reverse
from django.utils import timezone

from opportunities.models import (
    YEARLY_FACTOR,
    Company,
    Industry,
    Role,
    RoleSkill,
    SalaryPeriod,
    Seniority,
    Skill,
    Workplace,
)

WORKPLACE_LABELS = dict(Workplace.choices)
SENIORITY_LABELS = dict(Seniority.choices)
PERIOD_LABELS = dict(SalaryPeriod.choices)
# Role columns after id, slug, title, the company's name, slug, verified and the industry's name.
_ROLE_COLUMNS = (
    "workplace",
    "worldwide",
    "seniority",
    "visa_sponsorship",
    "city",
    "region",
    "country",
    "salary_min",
    "salary_max",
    "salary_currency",
    "salary_period",
    "posted_at",
    "salary_yearly_min",
    "salary_yearly_max",
)


@dataclass(slots=True)
class CardSkill:
    slug: str
    name: str
    nice: bool  # nice to have rather than required


@dataclass(slots=True)
class RoleCard:
    """A role as its card shows it; `pk`, `title` and `posted_at` are the Role's fields."""

    pk: int
    title: str
    url: str
    company_name: str
    company_url: str
    company_verified: bool
    industry_name: str  # "" without an industry
    workplace: str
    workplace_label: str
    worldwide: bool
    seniority_label: str  # "" when not stated
    visa_sponsorship: bool
    location: str  # "Berlin, BE, DE" as Role.location_display writes it; "" when unknown
    salary: str  # salary_text: the role page's words too; "" without a salary
    posted_at: datetime | None
    salary_top: int | None = None  # the "highest salary" sort key, when sorting by it
    skills: list[CardSkill] = field(default_factory=list)


def _amount(value) -> str:
    return f"{value:,}" if type(value) is int else str(intcomma(value))


def salary_text(minimum, maximum, currency: str, period: str) -> str:
    """A salary in words, unescaped: the one source of the card's and the role page's
    (templates/catalog/_salary.html, through the `salary` filter)."""
    if minimum and maximum and minimum != maximum:
        text = f"{currency} {_amount(minimum)}\u2013{_amount(maximum)}"  # an en dash
    elif minimum:
        text = f"{currency} {_amount(minimum)}{'' if maximum else '+'}"
    else:
        text = f"up to {currency} {_amount(maximum)}"
    if period not in YEARLY_FACTOR:
        return text  # the posting did not say per what
    return f"{text} {PERIOD_LABELS.get(period, period)}"


def url_template(name: str, **markers: str) -> str:
    """reverse(name) as a str.format template: reversed once per page with markers in place of
    the arguments, instead of once per link (a reverse() costs ~20 µs)."""
    template = reverse(name, kwargs=markers).replace("{", "{{").replace("}", "}}")
    for key, marker in markers.items():
        if template.count(marker) != 1:
            raise ValueError(f"Cannot template the URL {name!r} on {key!r}.")
        template = template.replace(marker, "{" + key + "}")
    return template


def _slug(value: str) -> str:
    return quote(value, safe="-_")


_card_sql_by_vendor: dict[str, tuple[str, str]] = {}


def _card_sql(connection) -> tuple[str, str]:
    if connection.vendor not in _card_sql_by_vendor:
        _card_sql_by_vendor[connection.vendor] = _card_sql_build(connection.ops.quote_name)
    return _card_sql_by_vendor[connection.vendor]


def _card_sql_build(quote) -> tuple[str, str]:
    """The two card queries with an IN list to fill in, from the models' table and column names.

    Plain SQL: built through the ORM, the role query's 20 columns over two joins cost more
    to compile than to run (~1.5 ms a page).
    """

    def column(alias: str, model, name: str) -> str:
        return f"{alias}.{quote(model._meta.get_field(name).column)}"

    role_columns = ", ".join(
        [
            *(column("r", Role, name) for name in ("id", "slug", "title")),
            *(column("c", Company, name) for name in ("name", "slug", "verified")),
            column("i", Industry, "name"),
            *(column("r", Role, name) for name in _ROLE_COLUMNS),
        ]
    )
    table = {model: quote(model._meta.db_table) for model in (Role, Company, Industry)}
    roles = (
        f"SELECT {role_columns} FROM {table[Role]} r "  # noqa: S608 - names from the models
        f"INNER JOIN {table[Company]} c ON c.{quote('id')} = {column('r', Role, 'company')} "
        f"LEFT OUTER JOIN {table[Industry]} i ON i.{quote('id')} = {column('r', Role, 'industry')} "
        f"WHERE {column('r', Role, 'id')} IN ({{}})"
    )
    links = (
        f"SELECT {column('l', RoleSkill, 'role')}, {column('l', RoleSkill, 'kind')}, "  # noqa: S608
        f"{column('s', Skill, 'slug')}, {column('s', Skill, 'name')} "
        f"FROM {quote(RoleSkill._meta.db_table)} l INNER JOIN {quote(Skill._meta.db_table)} s "
        f"ON s.{quote('id')} = {column('l', RoleSkill, 'skill')} "
        f"WHERE {column('l', RoleSkill, 'role')} IN ({{}}) "
        # Required skills first, then nice-to-haves, each by name.
        f"ORDER BY CASE WHEN {column('l', RoleSkill, 'kind')} = '{RoleSkill.Kind.REQUIRED}' "
        f"THEN 0 ELSE 1 END, {column('s', Skill, 'name')}"
    )
    return roles, links


def role_cards(pks: list[int], *, using: str = "default") -> list[RoleCard]:
    """Cards for the roles with these ids, in this order (two queries)."""
    if not pks:
        return []
    connection = connections[using]
    roles_sql, links_sql = _card_sql(connection)
    placeholders = ", ".join(["%s"] * len(pks))
    role_url = url_template("role_detail", pk="9090909", slug="slug-marker")
    company_url = url_template("company_detail", slug="slug-marker")
    naive_times = settings.USE_TZ and connection.vendor != "postgresql"
    cards: dict[int, RoleCard] = {}
    with connection.cursor() as cursor:
        cursor.execute(roles_sql.format(placeholders), pks)
        rows = cursor.fetchall()
        for (
            pk,
            slug,
            title,
            company_name,
            company_slug,
            verified,
            industry_name,
            workplace,
            worldwide,
            seniority,
            visa,
            city,
            region,
            country,
            salary_min,
            salary_max,
            currency,
            period,
            posted_at,
            yearly_min,
            yearly_max,
        ) in rows:
            if naive_times and posted_at is not None and timezone.is_naive(posted_at):
                posted_at = timezone.make_aware(posted_at, connection.timezone)
            has_salary = salary_min is not None or salary_max is not None
            cards[pk] = RoleCard(
                pk=pk,
                title=title,
                url=role_url.format(pk=pk, slug=_slug(slug or "role")),
                company_name=company_name,
                company_url=company_url.format(slug=_slug(company_slug)),
                company_verified=bool(verified),
                industry_name=industry_name or "",
                workplace=workplace,
                workplace_label=WORKPLACE_LABELS.get(workplace, workplace),
                worldwide=bool(worldwide),
                seniority_label=SENIORITY_LABELS.get(seniority, seniority) if seniority else "",
                visa_sponsorship=bool(visa),
                location=", ".join(part for part in (city, region, country) if part),
                salary=salary_text(salary_min, salary_max, currency, period) if has_salary else "",
                posted_at=posted_at,
                # querysets.SALARY_TOP: Coalesce(salary_yearly_max, salary_yearly_min, 0).
                salary_top=next((v for v in (yearly_max, yearly_min) if v is not None), 0),
            )
        cursor.execute(links_sql.format(placeholders), pks)
        for role_id, kind, skill_slug, name in cursor.fetchall():
            if role_id in cards:
                cards[role_id].skills.append(
                    CardSkill(skill_slug, name, kind == RoleSkill.Kind.NICE)
                )
    return [cards[pk] for pk in pks if pk in cards]

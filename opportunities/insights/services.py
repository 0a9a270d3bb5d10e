"""Writing the insights: each posting's history, the rollups made from it, and page figures.

Two ways in, one result (docs/insights.md):

* `insights_rebuild` recomputes the history of every role still in the database and all the
  rollups from the history, in set-based SQL (INSERT ... SELECT ... GROUP BY);
* `insights_update`, the daily run, reads only the roles changed since the last run, diffs
  what each now contributes against its stored history and adds the difference to the rollups.

The rollups are a sum over history rows, so both leave the same tables. History rows have no
foreign key to Role: a deleted role's history stays (closed on the day its deletion was seen).
Both then rewrite the small page-figure tables the pages read.
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Case, Exists, F, IntegerField, OuterRef, Q, Sum, Value, When
from django.db.models.functions import Cast, Coalesce, Floor, Ln, TruncDate
from django.db.models.lookups import GreaterThan
from django.utils import timezone

from opportunities.insights.buckets import RATIO, bucket_of, bucket_value, percentiles
from opportunities.models import (
    Company,
    ExchangeRate,
    InsightCompany,
    InsightCompanyMonth,
    InsightDay,
    InsightPairMonth,
    InsightRelated,
    InsightRising,
    InsightRole,
    InsightRoleSkill,
    InsightRun,
    InsightSalary,
    InsightSalaryMonth,
    InsightWeek,
    Role,
    RoleQuerySet,
    RoleSkill,
)

# Statuses of roles that have been on the board: drafts, pending and rejected roles never were.
BOARD_STATUSES = (Role.Status.PUBLISHED, Role.Status.EXPIRED, Role.Status.CLOSED)
# Roles saved just before a run's start may commit after it reads; reading them again next
# time is harmless, since each is diffed against its stored history.
WATERMARK_OVERLAP = datetime.timedelta(minutes=15)
CHUNK = 5000
WEEKS_KEPT = 53  # a year of weeks: what the pages show, and a bound on the figures' size
RISING_DAYS = 90
RISING_MIN_COUNT = 10  # new postings in the earlier 90 days before a skill may rank
SALARY_MONTHS = 12
RELATED_DAYS = 180
RELATED_KEPT = 12
COMPANIES_KEPT = 10
WORKPLACE_SLICES = ("onsite", "hybrid", "remote", "worldwide")
CONVERTED_CURRENCY = "USD"
LOCK_ID = 0x1A5_1647

HISTORY_COLUMNS = (
    "role_key",
    "opened_on",
    "closed_on",
    "industry_id",
    "company_id",
    "workplace",
    "worldwide",
    "country",
    "seniority",
    "salary_yearly",
    "salary_currency",
    "salary_bucket",
)
DAY_DIMS = ("day", "skill_id", "industry_id", "workplace", "worldwide", "country")
SALARY_DIMS = ("month", "skill_id", "seniority", "country", "currency", "bucket")
PAIR_DIMS = ("month", "skill_id", "other_id")
COMPANY_DIMS = ("month", "skill_id", "company_id")

Progress = Callable[[str], None]


def _quiet(message: str) -> None:
    return None


# The history of a role, as the database computes it (so both ways in agree to the bucket).


def _day(field_name: str) -> TruncDate:
    return TruncDate(field_name, tzinfo=datetime.UTC)


def history_queryset(roles: RoleQuerySet | None = None):
    """Rows of HISTORY_COLUMNS for the roles (all by default) that have been on the board."""
    roles = Role.objects.all() if roles is None else roles
    opened = _day("posted_at")
    ended = Case(
        When(
            status=Role.Status.CLOSED,
            then=Coalesce(_day("closed_at"), _day("expires_at"), _day("updated_at")),
        ),
        When(
            status=Role.Status.EXPIRED,
            then=Coalesce(_day("expires_at"), _day("closed_at"), _day("updated_at")),
        ),
        default=_day("expires_at"),
    )
    yearly = Case(
        When(
            salary_yearly_min__isnull=False,
            salary_yearly_max__isnull=False,
            then=(F("salary_yearly_min") + F("salary_yearly_max")) / 2,
        ),
        default=Coalesce("salary_yearly_max", "salary_yearly_min"),
        output_field=IntegerField(),
    )
    paid = Q(salary_currency__gt="") & (Q(salary_yearly_min__gt=0) | Q(salary_yearly_max__gt=0))
    return (
        roles.filter(status__in=BOARD_STATUSES, duplicate_of__isnull=True, posted_at__isnull=False)
        .annotate(
            h_role_key=F("id"),
            h_opened_on=opened,
            h_ended=ended,
        )
        .annotate(
            h_closed_on=Case(
                When(GreaterThan(F("h_opened_on"), F("h_ended")), then=F("h_opened_on")),
                default=F("h_ended"),
            ),
            h_industry_id=Coalesce("industry_id", Value(0)),
            h_company_id=F("company_id"),
            h_workplace=F("workplace"),
            h_worldwide=F("worldwide"),
            h_country=F("country"),
            h_seniority=F("seniority"),
            h_salary_yearly=Case(When(paid, then=yearly), default=None),
            h_salary_currency=Case(When(paid, then=F("salary_currency")), default=Value("")),
        )
        .annotate(
            h_salary_bucket=Cast(
                Floor(Ln(F("h_salary_yearly")) / Ln(Value(RATIO))), output_field=IntegerField()
            ),
        )
        .order_by()
        .values_list(*(f"h_{name}" for name in HISTORY_COLUMNS))
    )


@dataclass(frozen=True)
class History:
    role_key: int
    opened_on: datetime.date
    closed_on: datetime.date | None
    industry_id: int
    company_id: int
    workplace: str
    worldwide: bool
    country: str
    seniority: str
    salary_yearly: int | None
    salary_currency: str
    salary_bucket: int | None
    skills: frozenset[int] = frozenset()


def _as_date(value) -> datetime.date | None:
    if value is None or isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(str(value)[:10])


def _history(values: tuple, skills: frozenset[int]) -> History:
    fields = dict(zip(HISTORY_COLUMNS, values, strict=True))
    fields["opened_on"] = _as_date(fields["opened_on"])
    fields["closed_on"] = _as_date(fields["closed_on"])
    fields["worldwide"] = bool(fields["worldwide"])
    return History(**fields, skills=skills)


# What a history row adds to each rollup.


@dataclass
class Deltas:
    day: Counter = field(default_factory=Counter)  # (DAY_DIMS, "opened"|"closed") -> n
    salary: Counter = field(default_factory=Counter)
    pair: Counter = field(default_factory=Counter)
    company: Counter = field(default_factory=Counter)

    def add(self, row: History, sign: int) -> None:
        place = (row.industry_id, row.workplace, row.worldwide, row.country)
        month = row.opened_on.replace(day=1)
        every = (0, *sorted(row.skills))
        for skill in every:
            self.day[((row.opened_on, skill, *place), "opened")] += sign
            if row.closed_on is not None:
                self.day[((row.closed_on, skill, *place), "closed")] += sign
            if row.salary_bucket is not None:
                key = (month, skill, row.seniority, row.country, row.salary_currency)
                self.salary[(*key, row.salary_bucket)] += sign
        for skill in row.skills:
            self.company[(month, skill, row.company_id)] += sign
            for other in row.skills:
                if other != skill:
                    self.pair[(month, skill, other)] += sign


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


_PG_TYPES = {
    "DateField": "date",
    "IntegerField": "integer",
    "BooleanField": "boolean",
    "CharField": "text",
    "FloatField": "double precision",
}


def _upsert_add(model, dims: tuple[str, ...], counts: dict[tuple, dict[str, int]]) -> None:
    """Add counts to the rows keyed by dims (created at zero when missing), then drop rows
    left at zero, so the table holds exactly what a rebuild would write."""
    if not counts:
        return
    table = _quote(model._meta.db_table)
    columns = list(next(iter(counts.values())))
    every = (*dims, *columns)
    names = ", ".join(_quote(name) for name in every)
    updates = ", ".join(
        f"{_quote(column)} = {table}.{_quote(column)} + EXCLUDED.{_quote(column)}"
        for column in columns
    )
    conflict = f"ON CONFLICT ({', '.join(_quote(d) for d in dims)}) DO UPDATE SET {updates}"
    rows = [(*key, *(values[c] for c in columns)) for key, values in counts.items()]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # One statement per chunk, a column per array: far cheaper than a row per statement.
            types = [_PG_TYPES[model._meta.get_field(name).get_internal_type()] for name in every]
            arrays = ", ".join(f"%s::{kind}[]" for kind in types)
            sql = f"INSERT INTO {table} ({names}) SELECT * FROM unnest({arrays}) {conflict}"
            for start in range(0, len(rows), CHUNK * 4):
                chunk = rows[start : start + CHUNK * 4]
                cursor.execute(sql, [list(column) for column in zip(*chunk, strict=True)])
        else:
            marks = ", ".join(["%s"] * len(every))
            sql = f"INSERT INTO {table} ({names}) VALUES ({marks}) {conflict}"
            for start in range(0, len(rows), CHUNK):
                cursor.executemany(sql, rows[start : start + CHUNK])
        zero = " AND ".join(f"{_quote(column)} = 0" for column in columns)
        cursor.execute(f"DELETE FROM {table} WHERE {zero}")


def _deltas_apply(deltas: Deltas) -> None:
    day: dict[tuple, dict[str, int]] = defaultdict(lambda: {"opened": 0, "closed": 0})
    for (key, column), n in deltas.day.items():
        if n:
            day[key][column] += n
    _upsert_add(InsightDay, DAY_DIMS, dict(day))
    for model, dims, counter in (
        (InsightSalaryMonth, SALARY_DIMS, deltas.salary),
        (InsightPairMonth, PAIR_DIMS, deltas.pair),
        (InsightCompanyMonth, COMPANY_DIMS, deltas.company),
    ):
        _upsert_add(model, dims, {key: {"count": n} for key, n in counter.items() if n})


# Reading and replacing history rows.


def _stored_history(keys: list[int]) -> dict[int, History]:
    skills: dict[int, set[int]] = defaultdict(set)
    for role_key, skill_id in InsightRoleSkill.objects.filter(role_key__in=keys).values_list(
        "role_key", "skill_id"
    ):
        skills[role_key].add(skill_id)
    return {
        values[0]: _history(values, frozenset(skills[values[0]]))
        for values in InsightRole.objects.filter(role_key__in=keys).values_list(*HISTORY_COLUMNS)
    }


def _current_history(role_ids: list[int]) -> dict[int, History]:
    rows = list(history_queryset(Role.objects.filter(pk__in=role_ids)))
    skills: dict[int, set[int]] = defaultdict(set)
    for role_id, skill_id in RoleSkill.objects.filter(
        role_id__in=[row[0] for row in rows]
    ).values_list("role_id", "skill_id"):
        skills[role_id].add(skill_id)
    return {row[0]: _history(row, frozenset(skills[row[0]])) for row in rows}


def _history_replace(keys: list[int], rows: Iterable[History]) -> None:
    InsightRoleSkill.objects.filter(role_key__in=keys).delete()
    InsightRole.objects.filter(role_key__in=keys).delete()
    rows = list(rows)
    InsightRole.objects.bulk_create(
        [InsightRole(**{name: getattr(row, name) for name in HISTORY_COLUMNS}) for row in rows],
        batch_size=1000,
    )
    InsightRoleSkill.objects.bulk_create(
        [InsightRoleSkill(role_key=row.role_key, skill_id=s) for row in rows for s in row.skills],
        batch_size=2000,
    )


def _orphans_open(as_of: datetime.date) -> list[int]:
    """Keys of history rows still open on `as_of` whose role is gone."""
    # NOT EXISTS, an anti-join: NOT IN over a million ids would not fit a hashed subplan.
    return list(
        InsightRole.objects.filter(Q(closed_on__isnull=True) | Q(closed_on__gt=as_of))
        .exclude(Exists(Role.objects.filter(pk=OuterRef("role_key"))))
        .values_list("role_key", flat=True)
    )


# The two ways in.


def _lock() -> None:
    """One run at a time: the second waits for the first, then finds nothing left to do."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_ID])


def _today() -> datetime.date:
    return timezone.now().astimezone(datetime.UTC).date()


def insights_update(
    *, as_of: datetime.date | None = None, progress: Progress = _quiet
) -> InsightRun:
    """The daily run: fold the roles changed since the last run into history and rollups."""
    as_of = as_of or _today()
    with transaction.atomic():
        _lock()
        last = InsightRun.objects.filter(succeeded=True).order_by("-started_at", "-id").first()
        if last is None or last.watermark is None:
            return _rebuild(as_of=as_of, progress=progress)
        started = timezone.now()
        changed = list(
            Role.objects.filter(updated_at__gt=last.watermark)
            .order_by()
            .values_list("pk", flat=True)
        )
        deltas = Deltas()
        for start in range(0, len(changed), CHUNK):
            keys = changed[start : start + CHUNK]
            old = _stored_history(keys)
            new = _current_history(keys)
            for row in old.values():
                deltas.add(row, -1)
            for row in new.values():
                deltas.add(row, +1)
            _history_replace(keys, new.values())
            progress(f"read {min(start + CHUNK, len(changed))} of {len(changed)} changed roles")
        orphans = _orphans_open(as_of)
        if orphans:
            old = _stored_history(orphans)
            closed = [
                History(**{**row.__dict__, "closed_on": max(as_of, row.opened_on)})
                for row in old.values()
            ]
            for row in old.values():
                deltas.add(row, -1)
            for row in closed:
                deltas.add(row, +1)
            _history_replace(orphans, closed)
        _deltas_apply(deltas)
        progress("rollups updated")
        figures_write(as_of=as_of, progress=progress)
        return InsightRun.objects.create(
            kind=InsightRun.Kind.INCREMENTAL,
            started_at=started,
            finished_at=timezone.now(),
            watermark=started - WATERMARK_OVERLAP,
            as_of=as_of,
            roles_read=len(changed) + len(orphans),
            succeeded=True,
        )


def insights_rebuild(
    *, as_of: datetime.date | None = None, progress: Progress = _quiet
) -> InsightRun:
    """Recompute every role's history and all rollups from scratch, in set-based SQL."""
    as_of = as_of or _today()
    with transaction.atomic():
        _lock()
        return _rebuild(as_of=as_of, progress=progress)


def _rebuild(*, as_of: datetime.date, progress: Progress) -> InsightRun:
    started = timezone.now()
    role = _quote(Role._meta.db_table)
    history = _quote(InsightRole._meta.db_table)
    history_skill = _quote(InsightRoleSkill._meta.db_table)
    role_skill = _quote(RoleSkill._meta.db_table)
    with connection.cursor() as cursor:
        # Every role still here is recomputed; deleted roles keep their history.
        cursor.execute(f"DELETE FROM {history_skill} WHERE role_key IN (SELECT id FROM {role})")
        cursor.execute(f"DELETE FROM {history} WHERE role_key IN (SELECT id FROM {role})")
        select, params = history_queryset().query.sql_with_params()
        columns = ", ".join(_quote(name) for name in HISTORY_COLUMNS)
        cursor.execute(f"INSERT INTO {history} ({columns}) {select}", params)
        cursor.execute(
            f"INSERT INTO {history_skill} (role_key, skill_id) "
            f"SELECT rs.role_id, rs.skill_id FROM {role_skill} rs "
            f"JOIN {history} h ON h.role_key = rs.role_id"
        )
        progress("history written")
        cursor.execute(
            f"UPDATE {history} SET closed_on = CASE WHEN opened_on > %s THEN opened_on ELSE %s END "
            f"WHERE (closed_on IS NULL OR closed_on > %s) "
            f"AND NOT EXISTS (SELECT 1 FROM {role} r WHERE r.id = {history}.role_key)",
            [as_of, as_of, as_of],
        )
        roles_read = InsightRole.objects.count()
        _rollups_rebuild(cursor)
    progress("rollups rebuilt")
    figures_write(as_of=as_of, progress=progress)
    return InsightRun.objects.create(
        kind=InsightRun.Kind.REBUILD,
        started_at=started,
        finished_at=timezone.now(),
        watermark=started - WATERMARK_OVERLAP,
        as_of=as_of,
        roles_read=roles_read,
        succeeded=True,
    )


def _month_sql(column: str) -> str:
    if connection.vendor == "postgresql":
        return f"CAST(date_trunc('month', {column}) AS date)"
    return f"date({column}, 'start of month')"


def _week_sql(column: str) -> str:
    """The Monday of the column's week."""
    if connection.vendor == "postgresql":
        return f"CAST(date_trunc('week', {column}) AS date)"
    return (
        f"date({column}, '-' || ((CAST(strftime('%%w', {column}) AS INTEGER) + 6) %% 7) || ' days')"
    )


def _rollups_rebuild(cursor) -> None:
    h = _quote(InsightRole._meta.db_table)
    hs = _quote(InsightRoleSkill._meta.db_table)
    tables = {
        model: _quote(model._meta.db_table)
        for model in (InsightDay, InsightSalaryMonth, InsightPairMonth, InsightCompanyMonth)
    }
    for table in tables.values():
        cursor.execute(f"DELETE FROM {table}")
    place = "h.industry_id, h.workplace, h.worldwide, h.country"
    # Each posting once per skill it asks for, and once under skill 0 ("every role").
    with_skills = (
        f"SELECT h.*, s.skill_id AS skill FROM {h} h JOIN {hs} s ON s.role_key = h.role_key "
        f"UNION ALL SELECT h.*, 0 AS skill FROM {h} h"
    )
    cursor.execute(
        f"INSERT INTO {tables[InsightDay]} "
        f"(day, skill_id, industry_id, workplace, worldwide, country, opened, closed) "
        f"SELECT e.day, e.skill, e.industry_id, e.workplace, e.worldwide, e.country, "
        f"SUM(e.o), SUM(e.c) FROM ("
        f"SELECT h.opened_on AS day, h.skill, {place}, 1 AS o, 0 AS c FROM ({with_skills}) h "
        f"UNION ALL SELECT h.closed_on, h.skill, {place}, 0, 1 FROM ({with_skills}) h "
        f"WHERE h.closed_on IS NOT NULL) e "
        f"GROUP BY e.day, e.skill, e.industry_id, e.workplace, e.worldwide, e.country"
    )
    month = _month_sql("h.opened_on")
    cursor.execute(
        f"INSERT INTO {tables[InsightSalaryMonth]} "
        f"(month, skill_id, seniority, country, currency, bucket, count) "
        f"SELECT {month}, h.skill, h.seniority, h.country, h.salary_currency, h.salary_bucket, "
        f"COUNT(*) FROM ({with_skills}) h WHERE h.salary_bucket IS NOT NULL "
        f"GROUP BY {month}, h.skill, h.seniority, h.country, h.salary_currency, h.salary_bucket"
    )
    cursor.execute(
        f"INSERT INTO {tables[InsightPairMonth]} (month, skill_id, other_id, count) "
        f"SELECT {month}, a.skill_id, b.skill_id, COUNT(*) FROM {h} h "
        f"JOIN {hs} a ON a.role_key = h.role_key JOIN {hs} b ON b.role_key = h.role_key "
        f"WHERE a.skill_id <> b.skill_id GROUP BY {month}, a.skill_id, b.skill_id"
    )
    cursor.execute(
        f"INSERT INTO {tables[InsightCompanyMonth]} (month, skill_id, company_id, count) "
        f"SELECT {month}, s.skill_id, h.company_id, COUNT(*) FROM {h} h "
        f"JOIN {hs} s ON s.role_key = h.role_key GROUP BY {month}, s.skill_id, h.company_id"
    )


# Page figures: small tables rewritten whole, so a page is a handful of indexed reads.


def _months_back(day: datetime.date, months: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 - months
    return datetime.date(index // 12, index % 12 + 1, 1)


def _replace(model, rows: list) -> None:
    """Empty the table and write these unsaved rows: on PostgreSQL one INSERT from column
    arrays per 20,000, which for a year of weekly figures is seconds less than bulk_create."""
    model.objects.all().delete()
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    kinds = [_PG_TYPES.get(f.get_internal_type()) for f in fields]
    if connection.vendor != "postgresql" or None in kinds:
        model.objects.bulk_create(rows, batch_size=5000)
        return
    table = _quote(model._meta.db_table)
    names = ", ".join(_quote(f.column) for f in fields)
    arrays = ", ".join(f"%s::{kind}[]" for kind in kinds)
    sql = f"INSERT INTO {table} ({names}) SELECT * FROM unnest({arrays})"
    with connection.cursor() as cursor:
        for start in range(0, len(rows), CHUNK * 4):
            chunk = rows[start : start + CHUNK * 4]
            cursor.execute(sql, [[getattr(row, f.attname) for row in chunk] for f in fields])


def figures_write(*, as_of: datetime.date, progress: Progress = _quiet) -> None:
    """Rewrite every page-figure table from the rollups, as of the day given."""
    weeks = _weeks(as_of)
    _replace(InsightWeek, weeks)
    progress(f"{len(weeks)} weekly figures")
    _replace(InsightRising, _rising(as_of))
    salaries = _salaries(as_of)
    _replace(InsightSalary, salaries)
    progress(f"{len(salaries)} salary figures")
    _replace(InsightRelated, _related(as_of))
    _replace(InsightCompany, _companies(as_of))
    progress("figures written")


def week_start(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def _weeks(as_of: datetime.date) -> list[InsightWeek]:
    table = _quote(InsightDay._meta.db_table)
    week = _week_sql("day")
    first_kept = week_start(as_of) - datetime.timedelta(weeks=WEEKS_KEPT - 1)
    slices = (
        ("0", "''", ""),
        ("industry_id", "''", "industry_id > 0"),
        ("0", "workplace", ""),
        ("0", "'worldwide'", "worldwide"),
    )
    result: list[InsightWeek] = []
    with connection.cursor() as cursor:
        for industry, workplace, condition in slices:
            where = f"day <= %s AND {condition}" if condition else "day <= %s"
            cursor.execute(
                f"SELECT skill_id, {industry}, {workplace}, {week}, SUM(opened), SUM(closed) "
                f"FROM {table} WHERE {where} GROUP BY 1, 2, 3, 4 "
                f"ORDER BY 1, 2, 3, 4",
                [as_of],
            )
            series: dict[tuple, dict[datetime.date, tuple[int, int]]] = defaultdict(dict)
            for skill_id, industry_id, place, monday, opened, closed in cursor.fetchall():
                series[(skill_id, industry_id, place)][_as_date(monday)] = (opened, closed)
            for (skill_id, industry_id, place), by_week in series.items():
                open_now = 0
                monday = min(by_week)
                while monday <= as_of:
                    opened, closed = by_week.get(monday, (0, 0))
                    open_now += opened - closed
                    if monday >= first_kept:
                        result.append(
                            InsightWeek(
                                skill_id=skill_id,
                                industry_id=industry_id,
                                workplace=place,
                                week=monday,
                                open_roles=open_now,
                                new_roles=opened,
                            )
                        )
                    monday += datetime.timedelta(weeks=1)
    return result


def _rising(as_of: datetime.date) -> list[InsightRising]:
    recent_from = as_of - datetime.timedelta(days=RISING_DAYS - 1)
    previous_from = recent_from - datetime.timedelta(days=RISING_DAYS)
    counts: dict[tuple[int, int], list[int]] = defaultdict(lambda: [0, 0])
    rows = (
        InsightDay.objects.filter(day__gte=previous_from, day__lte=as_of, skill_id__gt=0)
        .values_list("skill_id", "industry_id")
        .annotate(
            recent=Sum(Case(When(day__gte=recent_from, then="opened"), default=Value(0))),
            previous=Sum(Case(When(day__lt=recent_from, then="opened"), default=Value(0))),
        )
        .order_by()
    )
    for skill_id, industry_id, recent, previous in rows:
        for key in ((skill_id, 0), (skill_id, industry_id)) if industry_id else ((skill_id, 0),):
            counts[key][0] += recent
            counts[key][1] += previous
    return [
        InsightRising(
            skill_id=skill_id,
            industry_id=industry_id,
            recent=recent,
            previous=previous,
            growth=recent / previous - 1,
        )
        for (skill_id, industry_id), (recent, previous) in counts.items()
        if previous >= RISING_MIN_COUNT
    ]


def rates_by_month(
    months: Iterable[datetime.date], until: datetime.date
) -> dict[tuple[str, datetime.date], Decimal]:
    """(currency, month) -> US dollars per unit, the rate in force on the month's first day
    (or the earliest later rate within the month)."""
    rates: dict[str, list[tuple[datetime.date, Decimal]]] = defaultdict(list)
    for currency, valid_from, rate in (
        ExchangeRate.objects.filter(valid_from__lte=until)
        .order_by("valid_from")
        .values_list("currency", "valid_from", "usd_per_unit")
    ):
        rates[currency.upper()].append((valid_from, rate))
    result: dict[tuple[str, datetime.date], Decimal] = {}
    for month in months:
        month_end = _months_back(month, -1) - datetime.timedelta(days=1)
        for currency, dated in rates.items():
            in_force = [rate for valid_from, rate in dated if valid_from <= month]
            if not in_force:
                in_force = [rate for valid_from, rate in dated if valid_from <= month_end][:1]
            if in_force:
                result[(currency, month)] = in_force[-1]
    return result


def _salaries(as_of: datetime.date) -> list[InsightSalary]:
    since = _months_back(as_of, SALARY_MONTHS - 1)
    months = [_months_back(as_of, back) for back in range(SALARY_MONTHS)]
    rates = rates_by_month(months, as_of)
    rated = {currency for currency, _ in rates} | {CONVERTED_CURRENCY}
    base = InsightSalaryMonth.objects.filter(month__gte=since, month__lte=as_of)
    native: dict[tuple, Counter] = defaultdict(Counter)
    converted: dict[tuple, Counter] = defaultdict(Counter)
    for dims in (("skill_id",), ("skill_id", "seniority"), ("skill_id", "country")):
        # Each currency on its own needs no month; converting does (rates are dated), so
        # only the currencies with a rate are read month by month.
        for by_month in (False, True):
            part = base.filter(currency__in=rated) if by_month else base
            if len(dims) > 1:
                part = part.exclude(**{dims[1]: ""})  # unstated: only in the "all" figure
            columns = (*dims, "currency", *(("month",) if by_month else ()), "bucket")
            rows = (
                part.values_list(*columns)
                .annotate(n=Sum("count"))
                .order_by()
                .iterator(chunk_size=20000)
            )
            for row in rows:
                named = dict(zip(columns, row, strict=False))
                key = (named["skill_id"], named.get("seniority", ""), named.get("country", ""))
                currency, bucket, n = named["currency"], named["bucket"], row[-1]
                if not by_month:
                    native[(*key, currency)][bucket] += n
                    continue
                if currency == CONVERTED_CURRENCY:
                    rate: Decimal | None = Decimal(1)
                else:
                    rate = rates.get((currency, _as_date(named["month"])))
                if rate is not None:
                    amount = bucket_value(bucket) * float(rate)
                    if amount >= 1:
                        converted[(*key, CONVERTED_CURRENCY)][bucket_of(amount)] += n
    if set(rated) == {CONVERTED_CURRENCY}:
        converted.clear()  # no rates: dollars converted from nothing are the dollars alone
    result = []
    for is_converted, figures in ((False, native), (True, converted)):
        for (skill_id, seniority, country, currency), counts in figures.items():
            p25, p50, p75 = percentiles(counts.items())
            keep_buckets = skill_id == 0 and not country and p50 is not None
            result.append(
                InsightSalary(
                    skill_id=skill_id,
                    seniority=seniority,
                    country=country,
                    currency=currency,
                    converted=is_converted,
                    count=sum(counts.values()),
                    p25=p25,
                    p50=p50,
                    p75=p75,
                    buckets=sorted(counts.items()) if keep_buckets else [],
                )
            )
    return result


def _ranked_sql(table: str, other: str, since: datetime.date, kept: int):
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT skill_id, {other}, n FROM (SELECT skill_id, {other}, SUM(count) AS n, "
            f"ROW_NUMBER() OVER (PARTITION BY skill_id ORDER BY SUM(count) DESC, {other}) AS rn "
            f"FROM {table} WHERE month >= %s GROUP BY skill_id, {other}) ranked "
            f"WHERE rn <= %s",
            [since, kept],
        )
        return cursor.fetchall()


def _related(as_of: datetime.date) -> list[InsightRelated]:
    since = _months_back(as_of, RELATED_DAYS // 30 - 1)
    rows = _ranked_sql(_quote(InsightPairMonth._meta.db_table), "other_id", since, RELATED_KEPT)
    totals = dict(
        InsightDay.objects.filter(day__gte=since, day__lte=as_of, skill_id__gt=0)
        .values_list("skill_id")
        .annotate(n=Sum("opened"))
        .order_by()
    )
    return [
        InsightRelated(
            skill_id=skill_id,
            other_id=other,
            roles=n,
            share=n / totals[skill_id] if totals.get(skill_id) else 0.0,
        )
        for skill_id, other, n in rows
    ]


def _companies(as_of: datetime.date) -> list[InsightCompany]:
    since = _months_back(as_of, RELATED_DAYS // 30 - 1)
    rows = _ranked_sql(
        _quote(InsightCompanyMonth._meta.db_table), "company_id", since, COMPANIES_KEPT
    )
    names = dict(Company.objects.filter(pk__in={row[1] for row in rows}).values_list("pk", "name"))
    return [
        InsightCompany(
            skill_id=skill_id,
            company_id=company_id,
            company_name=names.get(company_id, "A company no longer listed"),
            roles=n,
        )
        for skill_id, company_id, n in rows
    ]

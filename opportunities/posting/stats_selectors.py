"""Reading role statistics for the recruiter's pages: series per day, totals, CSV rows."""

from __future__ import annotations

import datetime
import heapq
from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import quote

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db.models import Count, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone

from opportunities.models import Match, Role, RoleStat, TrackedOpportunity

Kind = RoleStat.Kind
KINDS: tuple[str, ...] = tuple(Kind.values)
KIND_LABELS = dict(Kind.choices)
DAYS = 30
URL_VALIDATOR = URLValidator(schemes=["http", "https"])
# The order roles are listed in: live ones first, then the ones on their way, then the past.
STATUS_ORDER = (
    Role.Status.PUBLISHED,
    Role.Status.PENDING,
    Role.Status.DRAFT,
    Role.Status.EXPIRED,
    Role.Status.CLOSED,
    Role.Status.REJECTED,
)


@dataclass
class RoleStats:
    """One role's counts over the period: a series per kind (one number a day) and totals."""

    role: Role
    days: list[datetime.date]
    series: dict[str, list[int]]
    candidates: int = 0
    tracking: int = 0  # developers tracking it now (a count, never who), when the caller asks
    totals: dict[str, int] = field(init=False)

    def __post_init__(self) -> None:
        self.totals = {kind: sum(values) for kind, values in self.series.items()}

    @property
    def total_views(self) -> int:
        return self.totals[Kind.VIEW]

    @property
    def total_search_appearances(self) -> int:
        return self.totals[Kind.SEARCH_APPEARANCE]

    @property
    def total_apply_clicks(self) -> int:
        return self.totals[Kind.APPLY_CLICK]

    @property
    def total_tracker_saves(self) -> int:
        return self.totals[Kind.TRACKER_SAVE]

    @property
    def chart_id(self) -> str:
        """The id of the json_script element that holds the chart's data."""
        return f"role-stats-{self.role.pk}"

    @property
    def any_counts(self) -> bool:
        return any(self.totals.values())

    def table(self) -> list[tuple[datetime.date, list[int]]]:
        """Newest day first: (day, [count of each kind in KINDS order])."""
        return [
            (day, [self.series[kind][index] for kind in KINDS])
            for index, day in reversed(list(enumerate(self.days)))
        ]

    def chart(self) -> dict:
        """What static/js/role-stats.js draws: day labels and one dataset per kind."""
        return {
            "labels": [day.isoformat() for day in self.days],
            "datasets": [
                {"key": kind, "label": KIND_LABELS[kind], "data": self.series[kind]}
                for kind in KINDS
            ],
        }


def stats_period(*, days: int = DAYS, today: datetime.date | None = None) -> list[datetime.date]:
    """The last `days` days, oldest first, today included."""
    today = today or timezone.localdate()
    return [today - datetime.timedelta(days=offset) for offset in range(days - 1, -1, -1)]


def _status_rank(role: Role) -> int:
    try:
        return STATUS_ORDER.index(role.status)
    except ValueError:
        return len(STATUS_ORDER)


def role_stats_list(
    *, roles: QuerySet[Role], days: int = DAYS, today: datetime.date | None = None
) -> list[RoleStats]:
    """Each role's statistics over the period, ordered by status then newest; four queries
    (roles, counters, tracker saves, candidate counts) however many roles there are."""
    period = stats_period(days=days, today=today)
    role_list = sorted(
        roles.select_related("company").order_by("-created_at", "-id"), key=_status_rank
    )
    if not role_list:
        return []
    ids = [role.pk for role in role_list]
    index = {day: position for position, day in enumerate(period)}
    series = {role_id: {kind: [0] * len(period) for kind in KINDS} for role_id in ids}
    counters = (
        RoleStat.objects.for_roles(ids)
        .since(period[0])
        .filter(day__lte=period[-1])
        .values_list("role_id", "day", "kind", "count")
    )
    for role_id, day, kind, count in counters:
        if kind in KINDS:
            series[role_id][kind][index[day]] = count
    for role_id, day, count in _tracker_saves(ids, since=period[0], until=period[-1]):
        series[role_id][Kind.TRACKER_SAVE][index[day]] += count
    candidates = dict(
        Match.objects.filter(role_id__in=ids)
        .discoverable()
        .order_by()
        .values("role_id")
        .annotate(n=Count("id"))
        .values_list("role_id", "n")
    )
    return [
        RoleStats(
            role=role, days=period, series=series[role.pk], candidates=candidates.get(role.pk, 0)
        )
        for role in role_list
    ]


def role_stats_get(
    *, roles: QuerySet[Role], pk: int, days: int = DAYS, today: datetime.date | None = None
) -> RoleStats | None:
    """One role's statistics, if it is among `roles`; None otherwise."""
    found = role_stats_list(roles=roles.filter(pk=pk), days=days, today=today)
    return found[0] if found else None


def _tracker_saves(
    role_ids, *, since: datetime.date | None = None, until: datetime.date | None = None
) -> QuerySet:
    """(role id, day, how many developers started tracking it that day) from the tracker
    itself, by role and day: tracking a role writes no counter, and no one is named."""
    saves = TrackedOpportunity.objects.filter(role_id__in=role_ids)
    if since is not None:
        saves = saves.filter(created_at__date__gte=since)
    if until is not None:
        saves = saves.filter(created_at__date__lte=until)
    return (
        saves.annotate(day=TruncDate("created_at"))
        .order_by("role_id", "day")
        .values_list("role_id", "day")
        .annotate(n=Count("id"))
    )


def stats_csv_rows(*, roles: QuerySet[Role]) -> Iterator[tuple[int, str, str, str, int]]:
    """Every count of these roles, as (role id, role title, day, kind, count), by role and day:
    the counters, and the tracker's saves a day.

    Read in chunks, so an export of years of counters is never all in memory.
    """
    counters = (
        RoleStat.objects.filter(role__in=roles.values("pk"))
        .order_by("role_id", "day", "kind")
        .values_list("role_id", "role__title", "day", "kind", "count")
    )
    titles = dict(roles.values_list("pk", "title"))
    saves = (
        (role_id, titles.get(role_id, ""), day, Kind.TRACKER_SAVE.value, count)
        for role_id, day, count in _tracker_saves(roles.values("pk")).iterator(chunk_size=2000)
    )
    merged = heapq.merge(
        counters.iterator(chunk_size=2000), saves, key=lambda row: (row[0], row[2], row[3])
    )
    for role_id, title, day, kind, count in merged:
        yield role_id, title, day.isoformat(), kind, count


def role_apply_target(*, role: Role) -> str:
    """The role's apply link (http or https) or a mailto: for its apply address; "" if neither
    is a valid one (a stored value is redirected to only once it passes the validators)."""
    try:
        if role.apply_url:
            URL_VALIDATOR(role.apply_url)
            return role.apply_url
    except ValidationError:
        pass
    try:
        if role.apply_email:
            validate_email(role.apply_email)
            return f"mailto:{quote(role.apply_email, safe='@')}?subject={quote(role.title)}"
    except ValidationError:
        pass
    return ""

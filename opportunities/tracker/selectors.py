"""The tracker's reads: the board, the table, one entry with its timeline, and counts."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.db import connection
from django.db.models import Count, F, Prefetch, Q, QuerySet, Window
from django.db.models.functions import RowNumber
from django.utils import timezone
from django.utils.timesince import timesince

from opportunities.models import (
    Contact,
    InterviewRound,
    Role,
    Stage,
    StageChange,
    TrackedOpportunity,
    TrackerCalendar,
)

# A board column shows the newest moves; the table holds them all.
COLUMN_LIMIT = 25
QUIET_DAYS = 14
# The tracker page lists the oldest reminders of each kind; the digest sends them all.
REMINDER_LIMIT = 10

# The table's sorts: ?sort= value → (label, ordering).
TABLE_SORTS = {
    "changed": ("Last change, newest first", ("-stage_changed_at", "-id")),
    "changed_asc": ("Last change, oldest first", ("stage_changed_at", "id")),
    "company": ("Company", ("company_name", "title", "id")),
    "title": ("Title", ("title", "id")),
    "stage": ("Stage", ("stage", "-stage_changed_at", "id")),
    "due": ("Next step due", (F("next_step_due").asc(nulls_last=True), "id")),
    "applied": ("Applied, newest first", (F("applied_at").desc(nulls_last=True), "-id")),
}

# What a card or row reads: the entry, and the status of its board role.
_LIST_FIELDS = (
    "id",
    "user_id",
    "role_id",
    "title",
    "company_name",
    "url",
    "location",
    "source",
    "tags",
    "next_step",
    "next_step_due",
    "stage",
    "stage_changed_at",
    "applied_at",
    "role__status",
    "role__expires_at",
)


def token_hash(token: str) -> str:
    """What is kept of a calendar secret."""
    return hashlib.sha256(token.encode()).hexdigest()


# What a board card reads (its board role's status is read apart, for all cards at once).
_CARD_FIELDS = tuple(name for name in _LIST_FIELDS if not name.startswith("role__"))


def _listed(queryset: QuerySet) -> QuerySet:
    return queryset.select_related("role").only(*_LIST_FIELDS)


def opportunities_of_user(*, user: AbstractBaseUser) -> QuerySet[TrackedOpportunity]:
    """Every entry of the user, for looking one up by id (someone else's is not there)."""
    return TrackedOpportunity.objects.of_user(user)


def opportunity_detail(*, user: AbstractBaseUser, pk: int) -> TrackedOpportunity | None:
    """One of the user's entries with its history, contacts and interviews."""
    return (
        TrackedOpportunity.objects.of_user(user)
        .select_related("role__company")
        .prefetch_related(
            Prefetch("stage_changes", queryset=StageChange.objects.order_by("at", "id")),
            "contacts",
            "interviews",
        )
        .filter(pk=pk)
        .first()
    )


@dataclass
class Column:
    stage: str
    label: str
    count: int
    cards: list[TrackedOpportunity] = field(default_factory=list)

    @property
    def more(self) -> int:
        return self.count - len(self.cards)


def _column_cards(user: AbstractBaseUser, stages: list[str]) -> list[TrackedOpportunity]:
    """The newest COLUMN_LIMIT entries of each stage, in one query.

    Where the database takes LIMIT inside UNION ALL (PostgreSQL), one index range per stage,
    so a column costs the same whatever the tracker's size; elsewhere a window function.
    """
    mine = TrackedOpportunity.objects.of_user(user).only(*_CARD_FIELDS)
    newest = (F("stage_changed_at").desc(), F("id").desc())
    if connection.features.supports_slicing_ordering_in_compound:
        parts = [mine.filter(stage=stage).order_by(*newest)[:COLUMN_LIMIT] for stage in stages]
        return list(parts[0].union(*parts[1:], all=True)) if len(parts) > 1 else list(parts[0])
    return list(
        mine.annotate(place=Window(RowNumber(), partition_by=[F("stage")], order_by=list(newest)))
        .filter(place__lte=COLUMN_LIMIT)
        .order_by("stage", "place")
    )


def board_columns(*, user: AbstractBaseUser) -> list[Column]:
    """One column per stage, each with its count and newest cards (three queries at most)."""
    counts = dict(
        TrackedOpportunity.objects.of_user(user)
        .order_by()
        .values_list("stage")
        .annotate(n=Count("id"))
    )
    columns = {
        stage: Column(stage=stage, label=label, count=counts.get(stage, 0))
        for stage, label in Stage.choices
    }
    stages = [stage for stage in Stage.values if counts.get(stage)]
    if not stages:
        return list(columns.values())
    cards = _column_cards(user, stages)
    # Whether each board role is still open, for "closed on the board".
    roles = Role.objects.only("id", "status", "expires_at").in_bulk(
        {card.role_id for card in cards if card.role_id}
    )
    newest = sorted(cards, key=lambda c: (c.stage_changed_at, c.pk), reverse=True)
    for card in newest:
        if card.role_id:
            card.role = roles.get(card.role_id)
        if card.stage in columns:
            columns[card.stage].cards.append(card)
    return list(columns.values())


def table_rows(
    *,
    user: AbstractBaseUser,
    stage: str = "",
    tag: str = "",
    company: str = "",
    q: str = "",
    sort: str = "changed",
) -> QuerySet[TrackedOpportunity]:
    """The user's entries, filtered and sorted as the table asks."""
    rows = _listed(TrackedOpportunity.objects.of_user(user))
    if stage:
        rows = rows.in_stage(stage)
    if tag:
        rows = rows.with_tag(tag)
    if company:
        rows = rows.filter(company_name__icontains=company)
    if q:
        rows = rows.filter(
            Q(title__icontains=q)
            | Q(company_name__icontains=q)
            | Q(notes__icontains=q)
            | Q(location__icontains=q)
            | Q(next_step__icontains=q)
        )
    return rows.order_by(*TABLE_SORTS.get(sort, TABLE_SORTS["changed"])[1])


def tags_of_user(*, user: AbstractBaseUser) -> list[str]:
    """Every tag the user has used, sorted (one query)."""
    tags: set[str] = set()
    for value in (
        TrackedOpportunity.objects.of_user(user)
        .exclude(tags="")
        .order_by()
        .values_list("tags", flat=True)
        .distinct()
    ):
        tags.update(value.split())
    return sorted(tags)


def tracked_role_ids(*, user: AbstractBaseUser, role_ids: Iterable[int]) -> set[int]:
    """Which of these board roles the user tracks (one query; none for a visitor)."""
    ids = list(role_ids)
    if not ids or not user.is_authenticated:
        return set()
    return set(
        TrackedOpportunity.objects.of_user(user)
        .filter(role_id__in=ids)
        .values_list("role_id", flat=True)
    )


def tracking_count(role_ids: Iterable[int]) -> dict[int, int]:
    """How many developers track each of these roles: all a recruiter may know (one query).

    Roles nobody tracks are present with 0.
    """
    ids = list(dict.fromkeys(role_ids))
    counts = dict.fromkeys(ids, 0)
    if ids:
        counts.update(
            TrackedOpportunity.objects.filter(role_id__in=ids)
            .order_by()
            .values_list("role_id")
            .annotate(n=Count("id"))
        )
    return counts


def tracked_summary(opportunity: TrackedOpportunity) -> str:
    """Where an entry stands, in words: "applied 12 days ago"."""
    label = Stage(opportunity.stage).label.lower()
    now = timezone.now()
    days = (timezone.localdate(now) - timezone.localdate(opportunity.stage_changed_at)).days
    if days <= 0:
        return f"{label} today"
    if days == 1:
        return f"{label} yesterday"
    if days < 60:
        return f"{label} {days} days ago"
    return f"{label} {timesince(opportunity.stage_changed_at, now).split(',')[0]} ago"


@dataclass
class Reminders:
    due: list[TrackedOpportunity]
    quiet: list[TrackedOpportunity]
    more: bool = False  # some were left out; the table sorted by due date shows them all

    def __bool__(self) -> bool:
        return bool(self.due or self.quiet)


def reminders(
    *, user: AbstractBaseUser, today: date | None = None, limit: int = REMINDER_LIMIT
) -> Reminders:
    """Next steps due today or overdue, and applications with no news for 14 days: the
    oldest `limit` of each (two queries)."""
    today = today or timezone.localdate()
    entries = TrackedOpportunity.objects.of_user(user).only(*_CARD_FIELDS)
    due = list(entries.due_by(today).order_by("next_step_due", "id")[: limit + 1])
    quiet = list(
        entries.quiet_since(quiet_cutoff()).order_by("stage_changed_at", "id")[: limit + 1]
    )
    return Reminders(
        due=due[:limit], quiet=quiet[:limit], more=len(due) > limit or len(quiet) > limit
    )


def quiet_cutoff():
    """The moment before which an application without news counts as quiet."""
    return timezone.now() - timedelta(days=QUIET_DAYS)


def calendar_user(*, token: str):
    """The user whose calendar feed this secret opens, or None."""
    if not token or len(token) > 100:
        return None
    found = (
        TrackerCalendar.objects.select_related("user").filter(token_hash=token_hash(token)).first()
    )
    return found.user if found is not None and found.user.is_active else None


def calendar_enabled(*, user: AbstractBaseUser) -> bool:
    return TrackerCalendar.objects.filter(user=user).exists()


def calendar_entries(*, user: AbstractBaseUser):
    """The user's open entries with a next step due, and every interview (two queries)."""
    entries = list(
        TrackedOpportunity.objects.of_user(user)
        .open()
        .filter(next_step_due__isnull=False)
        .only("id", "title", "company_name", "next_step", "next_step_due", "updated_at")
    )
    interviews = list(
        InterviewRound.objects.filter(opportunity__user=user)
        .select_related("opportunity")
        .order_by("at", "id")
    )
    return entries, interviews


def export_rows(*, user: AbstractBaseUser) -> QuerySet[TrackedOpportunity]:
    """Everything of the user's tracker, for the CSV export."""
    return (
        TrackedOpportunity.objects.of_user(user)
        .prefetch_related("stage_changes", "contacts", "interviews")
        .order_by("id")
    )


def stage_history(*, user: AbstractBaseUser) -> QuerySet[StageChange]:
    """Every stage change of the user's entries, oldest first, with the entry's source."""
    return (
        StageChange.objects.filter(opportunity__user=user)
        .order_by("opportunity_id", "at", "id")
        .values_list("opportunity_id", "stage", "at", "opportunity__source")
    )


def part_of(
    model: type[Contact] | type[InterviewRound], *, opportunity: TrackedOpportunity, pk: int
) -> Contact | InterviewRound | None:
    """One of this entry's contacts or interview rounds, or None (also for another entry's)."""
    return model.objects.filter(opportunity=opportunity, pk=pk).first()

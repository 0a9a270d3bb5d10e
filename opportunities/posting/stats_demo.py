"""Demo history for the recruiter's statistics page: 30 days of views, searches and clicks."""

from __future__ import annotations

import datetime
import random

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from opportunities.access import roles_of_recruiter
from opportunities.models import Role, RoleStat

Kind = RoleStat.Kind
# Roles that have been in front of developers; drafts and pending roles were never seen.
SHOWN = (Role.Status.PUBLISHED, Role.Status.EXPIRED, Role.Status.CLOSED)


def stats_demo_seed(
    *, user: AbstractBaseUser, days: int = 30, today: datetime.date | None = None
) -> int:
    """Give the user's roles that have been live `days` of made-up counts; the rows written.

    Deterministic (each role's figures come from a generator seeded with its title) and safe
    to rerun: a role that already has counters, demo or real, is left as it is.
    """
    today = today or timezone.localdate()
    roles = (
        roles_of_recruiter(user).filter(status__in=SHOWN).filter(stats__isnull=True).order_by("id")
    )
    rows: list[RoleStat] = []
    for role in roles:
        rows += _history(role, days=days, today=today)
    with transaction.atomic():
        RoleStat.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)
    return len(rows)


def _history(role: Role, *, days: int, today: datetime.date) -> list[RoleStat]:
    rng = random.Random(role.title)
    popularity = rng.uniform(6, 40)  # views on an ordinary weekday
    first = today - datetime.timedelta(days=days - 1)
    if role.posted_at:
        first = max(first, timezone.localdate(role.posted_at))
    last = today
    if role.closed_at:
        last = min(last, timezone.localdate(role.closed_at))
    if role.expires_at and role.status == Role.Status.EXPIRED:
        last = min(last, timezone.localdate(role.expires_at))
    rows = []
    day = first
    while day <= last:
        # Fewer people look at weekends; a new posting draws more than an old one.
        weekday = 0.55 if day.weekday() >= 5 else 1.0
        freshness = 1.6 if (day - first).days < 4 else 1.0
        views = max(0, round(popularity * weekday * freshness * rng.uniform(0.6, 1.4)))
        counts = {
            Kind.VIEW: views,
            Kind.SEARCH_APPEARANCE: round(views * rng.uniform(6, 14)),
            Kind.APPLY_CLICK: round(views * rng.uniform(0.02, 0.12)),
            Kind.TRACKER_SAVE: round(views * rng.uniform(0.0, 0.06)),
        }
        rows += [
            RoleStat(role=role, day=day, kind=kind, count=count)
            for kind, count in counts.items()
            if count
        ]
        day += datetime.timedelta(days=1)
    return rows

"""Counting what happens to a role: views, search appearances, apply clicks and tracker saves.

Every count is an upsert into one row per (role, day, kind) of RoleStat, never a row per event:
one statement adds to the day's counter, however many roles it touches (a search page's twenty
roles are one multi-row INSERT … ON CONFLICT DO UPDATE). Robots (by User-Agent, see
opportunities/data/bot_user_agents.txt) are never counted, and a person who opens the same
role page again, or clicks its apply button again, on the same day is counted once: the roles
already counted today are kept in a small signed cookie (so anonymous visitors need no session
row). `ROLE_STATS_ENABLED = False` switches all counting off.

Other areas count through `stats_record` (the tracker, when a developer saves a role).
"""

from __future__ import annotations

import datetime
import logging
import re
from collections.abc import Iterable
from pathlib import Path

from django.conf import settings
from django.core import signing
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from opportunities.models import Role, RoleStat

logger = logging.getLogger(__name__)

Kind = RoleStat.Kind
BOT_TOKENS_FILE = Path(__file__).resolve().parents[1] / "data" / "bot_user_agents.txt"

# The cookie that remembers which roles this browser was already counted for today.
SEEN_COOKIE = "role_seen"
SEEN_SALT = "opportunities.posting.stats.seen"
# Role ids kept per day and kind; past this the oldest are forgotten (and may count again),
# which keeps the cookie well under a kilobyte for a visitor who opens hundreds of roles.
SEEN_LIMIT = 60
_SEEN_CODES = {Kind.VIEW: "v", Kind.APPLY_CLICK: "a"}
# Rows per statement: four parameters each, well inside SQLite's 32,766 and PostgreSQL's 65,535.
_BATCH = 500


def _bot_pattern(path: Path) -> re.Pattern[str]:
    tokens = [
        line.strip().lower()
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]
    return re.compile("|".join(re.escape(token) for token in sorted(set(tokens))))


BOT_PATTERN = _bot_pattern(BOT_TOKENS_FILE)


def is_bot(user_agent: str) -> bool:
    """The User-Agent is a robot's (or missing, as only scripts leave it)."""
    agent = user_agent.strip().lower()
    return not agent or BOT_PATTERN.search(agent) is not None


def stats_enabled() -> bool:
    return getattr(settings, "ROLE_STATS_ENABLED", True)


def stats_today() -> datetime.date:
    """The day a count belongs to, in the site's time zone."""
    return timezone.localdate()


# --- The counter --------------------------------------------------------------------------


def stats_record(
    role_id: int, kind: str, *, count: int = 1, day: datetime.date | None = None
) -> None:
    """Add `count` to the role's counter of this kind for `day` (today by default).

    kind is one of RoleStat.Kind: "view", "search_appearance", "apply_click", "tracker_save".
    One statement; safe to call from any area (the tracker calls it with kind="tracker_save"
    when a developer saves a role). It counts unconditionally: robots and repeats are the
    caller's to leave out. Does nothing while ROLE_STATS_ENABLED is off.
    """
    stats_record_many([role_id], kind, count=count, day=day)


def stats_record_many(
    role_ids: Iterable[int], kind: str, *, count: int = 1, day: datetime.date | None = None
) -> None:
    """Add `count` to each role's counter of this kind for the day, in one statement.

    A role listed twice counts twice (summed before writing, since one INSERT may not touch a
    row twice). Rows go in role order, so concurrent counts lock rows in the same order and
    cannot deadlock each other.
    """
    if not stats_enabled() or count <= 0:
        return
    if kind not in Kind.values:
        raise ValueError(f"Unknown role statistic {kind!r}; one of {', '.join(Kind.values)}.")
    totals: dict[int, int] = {}
    for role_id in role_ids:
        totals[int(role_id)] = totals.get(int(role_id), 0) + count
    if not totals:
        return
    day = day or stats_today()
    rows = [(role_id, day, kind, n) for role_id, n in sorted(totals.items())]
    for start in range(0, len(rows), _BATCH):
        _upsert(rows[start : start + _BATCH])


def _upsert_sql(size: int) -> str:
    table = connection.ops.quote_name(RoleStat._meta.db_table)
    role, day, kind, count = (
        connection.ops.quote_name(RoleStat._meta.get_field(name).column)
        for name in ("role", "day", "kind", "count")
    )
    values = ", ".join(["(%s, %s, %s, %s)"] * size)
    # The same statement on SQLite (3.24+) and PostgreSQL: the conflict target is the
    # role_stat_unique constraint, and the existing row's count is named through its table.
    # Only quoted model names and placeholders are formatted in; every value is a parameter.
    return (
        f"INSERT INTO {table} ({role}, {day}, {kind}, {count}) VALUES {values} "  # noqa: S608
        f"ON CONFLICT ({role}, {day}, {kind}) "
        f"DO UPDATE SET {count} = {table}.{count} + excluded.{count}"
    )


def _upsert(rows: list[tuple[int, datetime.date, str, int]]) -> None:
    params: list = []
    for role_id, day, kind, n in rows:
        params += [role_id, connection.ops.adapt_datefield_value(day), kind, n]
    sql = _upsert_sql(len(rows))
    if connection.in_atomic_block:
        # Inside the caller's transaction a failure is the caller's to handle.
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
        return
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
    except DatabaseError:
        # A lost count (a locked SQLite file, a role deleted meanwhile) must never cost the
        # visitor the page; in autocommit the failed statement has rolled itself back.
        logger.warning("Role statistics not recorded for %d rows", len(rows), exc_info=True)


# --- Counting a visitor's requests --------------------------------------------------------


def _countable(request: HttpRequest) -> bool:
    """A person's real request: counting is on, a GET, not a robot, not a prefetch."""
    if not stats_enabled() or request.method != "GET":
        return False
    # Browsers mark speculative loads (link prefetch, prerender); the person may never look.
    purpose = request.headers.get("Sec-Purpose", "") or request.headers.get("Purpose", "")
    if "prefetch" in purpose.lower():
        return False
    return not is_bot(request.headers.get("User-Agent", ""))


def _seen_read(request: HttpRequest, day: datetime.date) -> list[str]:
    try:
        value = request.get_signed_cookie(SEEN_COOKIE, default="", salt=SEEN_SALT)
    except signing.BadSignature:
        return []
    stamp, _, tokens = value.partition("|")
    if stamp != day.isoformat() or not tokens:
        return []
    return tokens.split(".")


def _seen_write(response: HttpResponse, day: datetime.date, tokens: list[str]) -> None:
    response.set_signed_cookie(
        SEEN_COOKIE,
        f"{day.isoformat()}|{'.'.join(tokens)}",
        salt=SEEN_SALT,
        max_age=24 * 60 * 60,
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )


def _count_once(request: HttpRequest, response: HttpResponse, role: Role, kind: str) -> bool:
    """Count this person's `kind` on a published role, once a day; whether it counted."""
    if role.status != Role.Status.PUBLISHED or not _countable(request):
        return False
    # Staff looking at a role are moderating it, not applying to it.
    if request.user.is_authenticated and request.user.is_staff:
        return False
    day = stats_today()
    seen = _seen_read(request, day)
    token = f"{_SEEN_CODES[kind]}{role.pk}"
    if token in seen:
        return False
    stats_record(role.pk, kind, day=day)
    kept = [other for other in seen if other[0] == token[0]][-(SEEN_LIMIT - 1) :]
    kept += [other for other in seen if other[0] != token[0]][-SEEN_LIMIT:]
    _seen_write(response, day, [*kept, token])
    return True


def stats_count_view(*, request: HttpRequest, response: HttpResponse, role: Role) -> bool:
    """Count a person opening the role page (once a day per browser); whether it counted."""
    return _count_once(request, response, role, Kind.VIEW)


def stats_count_apply(*, request: HttpRequest, response: HttpResponse, role: Role) -> bool:
    """Count a person following the role's apply link (once a day per browser)."""
    return _count_once(request, response, role, Kind.APPLY_CLICK)


def stats_count_search(*, request: HttpRequest, role_ids: Iterable[int]) -> bool:
    """Count one appearance of each role on a results page a person was shown: one statement.

    Every page counts, a repeat of the same search too: each is a time the role was in front
    of someone. Only the roles of the page shown count, not the whole result.
    """
    ids = list(role_ids)
    if not ids or not _countable(request):
        return False
    stats_record_many(ids, Kind.SEARCH_APPEARANCE)
    return True

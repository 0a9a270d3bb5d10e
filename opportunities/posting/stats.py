"""Counting what happens to a role: views, search appearances, apply clicks and tracker saves.

Every count is an upsert into one row per (role, day, kind) of RoleStat, never a row per event:
one statement adds to the day's counter, however many roles it touches (a search page's twenty
roles are one multi-row INSERT … ON CONFLICT DO UPDATE). Robots (by User-Agent, see
opportunities/data/bot_user_agents.txt) are never counted, and a person who opens the same
role page again, or clicks its apply button again, on the same day is counted once: the roles
already counted today are kept in a small signed cookie (so anonymous visitors need no session
row). `ROLE_STATS_ENABLED = False` switches all counting off.

Other areas count through `stats_record`; tracker saves are read from the tracker itself.
"""

from __future__ import annotations

import atexit
import datetime
import functools
import logging
import re
import threading
import time
from collections.abc import Iterable
from pathlib import Path

from django.conf import settings
from django.core import signing
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from opportunities.catalog.selectors import role_state
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
    One statement; safe to call from any area. (Tracker saves are read from the tracker's own
    rows, posting.stats_selectors, so tracking a role writes no counter; the kind's counters
    hold history from elsewhere, such as the demo's.) It counts unconditionally: robots and
    repeats are the caller's to leave out. Does nothing while ROLE_STATS_ENABLED is off.
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
    _write([(role_id, day, kind, n) for role_id, n in sorted(totals.items())])


def _write(rows: list[tuple[int, datetime.date, str, int]]) -> None:
    """Upsert the rows, a batch a statement. In autocommit a failed batch is logged and
    dropped (a count must never cost a visitor the page); in a transaction it is raised."""
    for start in range(0, len(rows), _BATCH):
        batch = rows[start : start + _BATCH]
        if connection.in_atomic_block:
            _upsert(batch)
            continue
        try:
            _upsert(batch)
        except DatabaseError:
            # In autocommit the failed statement has rolled itself back.
            logger.warning("Role statistics not recorded for %d rows", len(batch), exc_info=True)


@functools.cache
def _upsert_sql(vendor: str, size: int) -> str:
    """The upsert of `size` rows (cached: a search page asks for the same one every time)."""
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
    sql = _upsert_sql(connection.vendor, len(rows))
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        # On its own (autocommit) the upsert is its own transaction, and its commit need not
        # wait for the WAL to reach the disk: a crash could lose the last moment's counts,
        # never corrupt them, and the page does not wait on a flush for a counter. Sent in the
        # same string (Django binds parameters client-side), so it stays one round trip.
        sql = "SET LOCAL synchronous_commit TO OFF; " + sql
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


# --- Search appearances, gathered before they are written ---------------------------------


class AppearanceBuffer:
    """Search appearances counted in this process, written together by one upsert a flush.

    A busy search page shows the same popular roles again and again; writing each page's
    twenty rows at once makes every one of them a row update per page (and on PostgreSQL a
    new row version each). Gathered here, a role's appearances of many pages become one
    update. The buffer is written when a page adds to it and ROLE_STATS_BUFFER_SECONDS have
    passed since it was last written (so after a quiet spell the first page writes at once),
    when it holds `limit` counters, and when the process exits; a process killed outright
    loses at most those seconds of appearances, which are estimates of attention anyway.
    """

    def __init__(self, *, limit: int = 2000):
        self.limit = limit
        self._lock = threading.Lock()
        self._counts: dict[tuple[int, datetime.date], int] = {}
        self._written: float | None = None  # time.monotonic() of the last write

    def add(
        self, role_ids: Iterable[int], *, day: datetime.date, interval: float
    ) -> list[tuple[int, datetime.date, str, int]]:
        """Count the roles; the rows to write now (all the buffer holds), or []."""
        with self._lock:
            for role_id in role_ids:
                key = (int(role_id), day)
                self._counts[key] = self._counts.get(key, 0) + 1
            due = self._written is None or time.monotonic() - self._written >= interval
            if not due and len(self._counts) < self.limit:
                return []
            return self._take()

    def take(self) -> list[tuple[int, datetime.date, str, int]]:
        """Everything the buffer holds, as rows to write, emptying it."""
        with self._lock:
            return self._take()

    def _take(self) -> list[tuple[int, datetime.date, str, int]]:
        rows = sorted(
            (role_id, day, Kind.SEARCH_APPEARANCE, n) for (role_id, day), n in self._counts.items()
        )
        self._counts = {}
        self._written = time.monotonic()
        return rows


APPEARANCES = AppearanceBuffer()


def stats_flush() -> int:
    """Write the search appearances this process still holds; how many counters it wrote."""
    rows = APPEARANCES.take()
    if rows:
        _write_buffered(rows)
    return len(rows)


def _write_buffered(rows: list[tuple[int, datetime.date, str, int]]) -> None:
    """Write gathered rows, leaving out roles deleted since they were counted."""
    if connection.in_atomic_block:
        # Foreign keys are checked at commit: a deleted role's row would fail the caller's
        # whole transaction, so only roles that exist are written (one more query a flush).
        _write(_existing(rows))
        return
    for start in range(0, len(rows), _BATCH):
        batch = rows[start : start + _BATCH]
        try:
            _upsert(batch)
        except DatabaseError:
            # Rolled back on its own; write again what still has a role.
            _write(_existing(batch))


def _existing(rows: list[tuple[int, datetime.date, str, int]]):
    ids = set(Role.objects.filter(pk__in={row[0] for row in rows}).values_list("pk", flat=True))
    return [row for row in rows if row[0] in ids]


def _flush_at_exit() -> None:
    try:
        stats_flush()
    # At exit there is nobody left to tell but the log, whatever went wrong.
    except Exception:
        logger.warning("Search appearances lost at exit", exc_info=True)


atexit.register(_flush_at_exit)


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
    """Count this person's `kind` on an open role, once a day; whether it counted."""
    if role_state(role) != "open" or not _countable(request):
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
    """Count one appearance of each role on a results page a person was shown.

    Every page counts, a repeat of the same search too: each is a time the role was in front
    of someone. Only the roles of the page shown count, not the whole result. Gathered in
    APPEARANCES and written at most every ROLE_STATS_BUFFER_SECONDS, in one statement for
    all the pages since (0 writes each page's roles at once, also one statement).
    """
    ids = list(role_ids)
    if not ids or not _countable(request):
        return False
    interval = getattr(settings, "ROLE_STATS_BUFFER_SECONDS", 0)
    if interval <= 0:
        stats_record_many(ids, Kind.SEARCH_APPEARANCE)
        return True
    rows = APPEARANCES.add(ids, day=stats_today(), interval=interval)
    if rows:
        _write_buffered(rows)
    return True

"""PostgreSQL full-text search: stored, GIN-indexed vectors and newest-first windows."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connections
from django.db.models import DateTimeField, ExpressionWrapper, F, Q, QuerySet, Value

from opportunities.search.backends.base import SearchBackend, parse_websearch, websearch_text

SEARCH_CONFIG = "english"
# Text found in at least this share of roles: newest matches are found by walking the date index.
WALK_SHARE = 0.1
# Below it they are read from a window of the newest roles (a share of all roles); at least
# this large a window is the whole table, and a phrase or exclusion starts with at most this.
WHOLE_WINDOW = 0.5
UNSURE_WINDOW = 0.05
# A window is sized to hold this many times the matches wanted, by the planner's estimate
# (widening reads only the roles it adds, so a short window costs little).
MARGIN = 1.2
# Up to this many estimated matches are read whole (bitmap, then sorted): no window.
FEW_MATCHES = 5_000
# The most rows a window returns so that a narrower search's sample is read with it.
NARROW_CAP = 4_000
# How long a process trusts what it read of the planner's statistics.
STATS_SECONDS = 300.0


class PostgresSearchBackend(SearchBackend):
    """Stored, GIN-indexed tsvectors filled by a trigger; websearch_to_tsquery for queries."""

    def _query(self, text: str) -> SearchQuery:
        # Parsed here, as on every backend, then written back for websearch_to_tsquery: a
        # hyphen inside a word and symbol names (C++, .NET) then mean the same everywhere.
        return SearchQuery(_websearch(text), search_type="websearch", config=SEARCH_CONFIG)

    def match(self, queryset: QuerySet, text: str) -> QuerySet:
        query = self._query(text)
        if parse_websearch(text).excluded:
            return queryset.filter(search_vector=query)
        # Without exclusions a hit in the small in-row vector (title, skills, company) is a
        # hit in the full one, whose 3 KB are read from TOAST only when the small one misses.
        # Both have GIN indexes, so rare terms still use a bitmap of the two.
        return queryset.filter(Q(search_head=query) | Q(search_vector=query))

    def rank(self, queryset: QuerySet, text: str) -> QuerySet:
        # The small vector (title A, skills B, company C) lives in the row: ranking reads it
        # instead of the 2-3 KB full vector in TOAST, so a description-only hit ranks 0.
        return queryset.annotate(rank=SearchRank(F("search_head"), self._query(text))).order_by(
            "-rank", "-posted_at", "-id"
        )

    def is_searchable(self, queryset: QuerySet, text: str) -> bool:
        return _searchable(queryset.db, _websearch(text))

    def estimate_count(self, queryset: QuerySet) -> int | None:
        # Only the row estimate is read: selecting the id alone saves compiling every column.
        plan = json.loads(queryset.order_by().values("pk").explain(format="json"))
        return int(plan[0]["Plan"]["Plan Rows"])

    def newest_sample(
        self,
        queryset: QuerySet,
        text: str,
        columns: tuple[str, ...],
        limit: int,
        *,
        ranked: bool = False,
        narrow: Callable[[list[tuple]], list[tuple]] | None = None,
        estimate: Callable[[], int | None] | None = None,
        narrow_estimate: Callable[[], int | None] | None = None,
    ) -> list[tuple]:
        # Walking the date index newest first tests each role's text on the way: cheap while
        # matches are dense ("python": ~700 rows read for 500 matches), but for a term in 3 %
        # of roles it reads ~15,000 rows, most with a 3 KB vector out of line (120 ms). Then
        # the text index and the date index are read together instead, as one bitmap, within
        # a window of the newest roles sized to hold about 1.2 times the matches wanted: only
        # those matches are read from the table (rag OR langchain: 120 → 6 ms). A window
        # that holds too few is widened from what it did hold, reading only the older roles it
        # adds; the newest matches of a window that holds limit+1 are the newest matches of
        # all, as every role outside it is older.
        if not text:
            return super().newest_sample(queryset, text, columns, limit)
        # With `narrow` a window returns all its matches (up to NARROW_CAP) so that the
        # narrower search's sample comes from the same read instead of a second search.
        wanted = NARROW_CAP if narrow is not None else limit + 1
        matched = self.match(queryset, text)
        if ranked:
            columns = (*columns, "rank")
        stats = _role_stats(queryset.db)
        estimated = estimate() if estimate is not None else self.estimate_count(matched)
        share = estimated / stats.rows if stats.rows and estimated is not None else 1.0
        if share >= WALK_SHARE:
            return self._rows(matched, text, columns, limit, ranked, by_date_index=True)
        # A few thousand matches are cheaper to read whole than to cut by date.
        window = MARGIN * (limit + 1) / estimated if estimated > FEW_MATCHES else WHOLE_WINDOW
        if narrow is not None and estimated > FEW_MATCHES:
            narrower = narrow_estimate() if narrow_estimate is not None else None
            # Sized for the narrower search too, unless its rows are so few among these
            # that such a window would hold more than NARROW_CAP rows.
            if narrower and estimated * MARGIN * (limit + 1) <= NARROW_CAP * narrower:
                window = max(window, MARGIN * (limit + 1) / narrower)
        parsed = parse_websearch(text)
        if parsed.excluded or any(" " in term for group in parsed.groups for term in group):
            # Phrases and exclusions: the planner's estimate can be 10x off (780 for ~10,000).
            window = min(window, UNSURE_WINDOW)
        # The whole-vector condition alone, so PostgreSQL can AND its index with the date's.
        exact = queryset.filter(search_vector=self._query(text))
        rows: list[tuple] = []
        # A wider window reads only what the last one did not: the roles older than its
        # start, which all come after its rows in the order.
        older_than: datetime | None = None
        while True:
            since = stats.posted_since(window) if window < WHOLE_WINDOW else None
            if since is not None and older_than is not None and since >= older_than:
                window *= 2  # the histogram cannot cut this finely: widen before reading
                continue
            part = exact
            if older_than is not None:
                part = part.filter(posted_at__lt=older_than)
            if since is not None:
                # Roles without a date come first newest first, so the first window has them.
                part = part.filter(
                    Q(posted_at__gte=since)
                    if older_than is not None
                    else Q(posted_at__gte=since) | Q(posted_at__isnull=True)
                )
            rows += self._rows(
                part, text, columns, wanted - len(rows) - 1, ranked, by_date_index=False
            )
            if since is None or len(rows) >= wanted:
                return rows
            held = len(rows)
            if narrow is not None and held > limit:
                passing = len(narrow(rows))
                # So few pass that NARROW_CAP rows would not hold limit+1: the caller reads
                # the narrower search's sample apart.
                if passing > limit or passing * NARROW_CAP < (limit + 1) * held:
                    return rows
                held = passing
            elif held > limit:
                return rows
            older_than = since
            window *= 1.5 * (limit + 1) / held if held else 8

    def _rows(self, queryset, text, columns, limit, ranked, *, by_date_index: bool):
        if ranked:
            queryset = self.rank(queryset, text)
        if by_date_index:
            order = F("posted_at").desc()
        else:
            # An expression the date index cannot give: PostgreSQL reads the bitmap and sorts.
            order = ExpressionWrapper(
                F("posted_at") + Value(timedelta(0)), output_field=DateTimeField()
            ).desc()
        return list(queryset.order_by(order, "-pk").values_list(*columns)[: limit + 1])


@dataclass(frozen=True)
class _RoleStats:
    """What the planner's statistics say of the role table: its rows and the dates that cut
    its posted_at values into equal shares, oldest first (empty before the first ANALYZE)."""

    rows: float
    bounds: tuple[datetime, ...]

    def posted_since(self, share: float) -> datetime | None:
        """A date such that about `share` of the roles were posted on or after it (None: all)."""
        if len(self.bounds) < 2:
            return None
        steps = len(self.bounds) - 1
        position = steps * (1 - share)
        if position <= 0:
            return None
        if position >= steps - 1:
            # Within the newest share of the histogram: interpolate between its two bounds.
            newest, before = self.bounds[-1], self.bounds[-2]
            return newest - (newest - before) * (steps - position)
        return self.bounds[int(position)]


_STATS: dict[str, tuple[float, _RoleStats]] = {}


def _role_stats(using: str) -> _RoleStats:
    """The role table's statistics, read at most every STATS_SECONDS per process."""
    now = time.monotonic()
    cached = _STATS.get(using)
    if cached is not None and now - cached[0] < STATS_SECONDS:
        return cached[1]
    with connections[using].cursor() as cursor:
        cursor.execute(
            "SELECT c.reltuples, s.histogram_bounds::text::timestamptz[] FROM pg_class c "
            "LEFT JOIN pg_stats s ON s.schemaname = current_schema() "
            "AND s.tablename = c.relname AND s.attname = 'posted_at' "
            "WHERE c.oid = 'opportunities_role'::regclass"
        )
        reltuples, bounds = cursor.fetchone()
    stats = _RoleStats(rows=max(float(reltuples), 0.0), bounds=tuple(bounds or ()))
    _STATS[using] = (now, stats)
    return stats


@lru_cache(maxsize=4096)
def _websearch(text: str) -> str:
    return websearch_text(parse_websearch(text))


@lru_cache(maxsize=4096)
def _searchable(using: str, text: str) -> bool:
    """Whether PostgreSQL finds words in `text`: it depends on the text alone (and the fixed
    configuration), and a search asks twice, so each text is asked once per process."""
    with connections[using].cursor() as cursor:
        cursor.execute(
            "SELECT numnode(websearch_to_tsquery(%s::regconfig, %s)) > 0",
            [SEARCH_CONFIG, text],
        )
        return bool(cursor.fetchone()[0])

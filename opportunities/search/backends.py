"""Search backends: one small interface, a PostgreSQL backend and a portable fallback.

settings.SEARCH_BACKEND names a backend class by dotted path, or "auto" (the default) for
the PostgreSQL backend on PostgreSQL and the portable one anywhere else.
"""

from __future__ import annotations

import json
import re
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from datetime import timedelta
from functools import cache, lru_cache

from django.conf import settings
from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connections
from django.db.models import (
    Case,
    DateTimeField,
    ExpressionWrapper,
    F,
    IntegerField,
    Q,
    QuerySet,
    Value,
    When,
)
from django.utils.module_loading import import_string

SEARCH_CONFIG = "english"
# Up to this many estimated text matches, newest-first pages read them from the text indexes.
FEW_MATCHES = 10_000


class SearchBackend(ABC):
    """What the search service needs from a full-text engine."""

    @abstractmethod
    def match(self, queryset: QuerySet, text: str) -> QuerySet:
        """Roles matching the web-search style `text` ("a phrase" -excluded this OR that)."""

    @abstractmethod
    def rank(self, queryset: QuerySet, text: str) -> QuerySet:
        """The same roles, annotated with `rank` and ordered best first."""

    def is_searchable(self, queryset: QuerySet, text: str) -> bool:
        """False when `text` has no words the engine can look for ("the", "-")."""
        return bool(parse_websearch(text).groups)

    def estimate_count(self, queryset: QuerySet) -> int | None:
        """A cheap estimate of the number of rows, or None when the database cannot give one."""
        return None

    def newest_matches_first(self, queryset: QuerySet) -> QuerySet:
        """Text matches (``match``'s result, perhaps filtered further), newest first."""
        return queryset.order_by("-posted_at", "-pk")


class PostgresSearchBackend(SearchBackend):
    """Stored, GIN-indexed tsvectors filled by a trigger; websearch_to_tsquery for queries."""

    def _query(self, text: str) -> SearchQuery:
        return SearchQuery(text, search_type="websearch", config=SEARCH_CONFIG)

    def match(self, queryset: QuerySet, text: str) -> QuerySet:
        query = self._query(text)
        if parse_websearch(text).excluded or "-" in text:
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
        return _searchable(queryset.db, text)

    def estimate_count(self, queryset: QuerySet) -> int | None:
        # Only the row estimate is read: selecting the id alone saves compiling every column.
        plan = json.loads(queryset.order_by().values("pk").explain(format="json"))
        return int(plan[0]["Plan"]["Plan Rows"])

    def newest_matches_first(self, queryset: QuerySet) -> QuerySet:
        # Newest first, PostgreSQL walks the date index and tests each role's text on the way:
        # cheap while matches are dense, but a term found in ~1 % of roles, mostly in
        # descriptions, reads thousands of 3 KB vectors from TOAST before it has a page
        # (780 ms for "quantization" at 1M roles). For those few matches, ordering by an
        # expression the date index cannot give makes it read the text indexes' bitmap and
        # sort the matches instead (44 ms). Measured crossover: ~10,000 matches.
        estimated = self.estimate_count(queryset)
        if estimated is not None and estimated <= FEW_MATCHES:
            not_indexed = ExpressionWrapper(
                F("posted_at") + Value(timedelta(0)), output_field=DateTimeField()
            )
            return queryset.order_by(not_indexed.desc(), "-pk")
        return super().newest_matches_first(queryset)


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


@dataclass
class ParsedQuery:
    """A web-search query: every group must match (a group is terms joined by OR), none of
    the excluded terms may."""

    groups: list[list[str]] = field(default_factory=list)
    excluded: list[str] = field(default_factory=list)


_TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')


def parse_websearch(text: str) -> ParsedQuery:
    """Parse text the way websearch_to_tsquery reads it: "phrases", -exclusions, OR."""
    parsed = ParsedQuery()
    join_next = False
    for match in _TOKEN.finditer(text):
        negative, phrase, word = match.group(1), match.group(2), match.group(3)
        if word is not None:
            if word.upper() == "OR":
                join_next = bool(parsed.groups)
                continue
            negative = "-" if word.startswith("-") else ""
            term = word.lstrip("-")
        else:
            term = phrase
        term = " ".join(re.findall(r"[\w+#.]+", term)).strip(".")
        if not term:
            continue
        if negative:
            parsed.excluded.append(term)
            join_next = False
        elif join_next:
            parsed.groups[-1].append(term)
            join_next = False
        else:
            parsed.groups.append([term])
    return parsed


# Where a term is found and what that is worth, best first (title above skills above company
# above description, as in the PostgreSQL vector's weights).
_FIELDS = (("title", 8), ("skill_text", 4), ("company__name", 2), ("description", 1))


def _term_q(term: str) -> Q:
    condition = Q()
    for name, _ in _FIELDS:
        condition |= Q(**{f"{name}__icontains": term})
    return condition


class PortableSearchBackend(SearchBackend):
    """Substring matching over the same fields, for SQLite and small databases."""

    def match(self, queryset: QuerySet, text: str) -> QuerySet:
        parsed = parse_websearch(text)
        for group in parsed.groups:
            any_term = Q()
            for term in group:
                any_term |= _term_q(term)
            queryset = queryset.filter(any_term)
        for term in parsed.excluded:
            queryset = queryset.exclude(_term_q(term))
        return queryset

    def rank(self, queryset: QuerySet, text: str) -> QuerySet:
        parsed = parse_websearch(text)
        score = Value(0)
        for group in parsed.groups:
            for term in group:
                for name, weight in _FIELDS:
                    score = score + Case(
                        When(**{f"{name}__icontains": term}, then=Value(weight)),
                        default=Value(0),
                        output_field=IntegerField(),
                    )
        return queryset.annotate(rank=score).order_by("-rank", "-posted_at", "-id")


@cache
def _backend_for(path: str, vendor: str) -> SearchBackend:
    if path == "auto":
        return PostgresSearchBackend() if vendor == "postgresql" else PortableSearchBackend()
    return import_string(path)()


def get_backend(using: str = "default") -> SearchBackend:
    """The configured backend for this database connection."""
    path = getattr(settings, "SEARCH_BACKEND", "auto") or "auto"
    return _backend_for(path, connections[using].vendor)

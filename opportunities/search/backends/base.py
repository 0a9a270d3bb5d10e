"""The interface every search backend implements, and the web-search query parser they share."""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import QuerySet


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
        """The newest roles of `queryset` that match `text` (all of them when it is ""),
        newest first, as tuples of `columns` with the relevance rank appended when `ranked`:
        limit+1 of them, or all if fewer.

        `narrow` picks the rows of a narrower search (more filters) out of a list of rows. A
        backend may then return more rows, up to NARROW_CAP, so that the narrower search's
        newest limit+1 are among them too; the caller checks whether they are.
        """
        if text:
            queryset = self.match(queryset, text)
            if ranked:
                queryset, columns = self.rank(queryset, text), (*columns, "rank")
        return list(queryset.order_by("-posted_at", "-pk").values_list(*columns)[: limit + 1])


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

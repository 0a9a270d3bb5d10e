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
_WORD_CHARS = re.compile(r"[\w+#.]+")
# A word joined to the next by a hyphen or a slash, inside a term: "front-end", "mid/senior".
_JOINED = re.compile(r"^[^\W_]+(?:-[^\W_]+)+$|^[^\W_]+(?:/[^\W_]+)+$")
_EDGES = ",;:!?()[]{}'"


def _words(text: str) -> list[str]:
    """Words of a term: runs of letters, digits and the + # . of names like C++, C# and
    Node.js; a full stop that ends a word goes, the dot that starts ".NET" stays."""
    words = [word.rstrip(".") for word in _WORD_CHARS.findall(text)]
    return [word for word in words if word.strip(".")]


def _alternatives(word: str) -> list[str]:
    """What one word of a query means, as alternatives any one of which matches.

    A hyphen inside a word joins it ("Front-End": "front-end", "front end" or "frontend", as
    postings spell it); a slash offers a choice ("Mid/Senior": mid or senior).
    """
    bare = word.strip(_EDGES).rstrip(".")
    if _JOINED.match(bare):
        if "/" in bare:
            return bare.split("/")
        parts = bare.split("-")
        return [bare, " ".join(parts), "".join(parts)]
    words = _words(word)
    return [" ".join(words)] if words else []


def parse_websearch(text: str) -> ParsedQuery:
    """Parse text the way websearch_to_tsquery reads it: "phrases", -exclusions, OR; a "-"
    excludes only at the start of a word ("-php"), never inside one ("front-end")."""
    parsed = ParsedQuery()
    join_next = False
    for match in _TOKEN.finditer(text):
        negative, phrase, word = match.group(1), match.group(2), match.group(3)
        if word is not None:
            if word.upper() == "OR":
                join_next = bool(parsed.groups)
                continue
            negative = "-" if word.startswith("-") else ""
            alternatives = _alternatives(word.lstrip("-"))
        else:
            words = _words(phrase)
            alternatives = [" ".join(words)] if words else []
        if not alternatives:
            continue
        if negative:
            parsed.excluded.extend(alternatives)
            join_next = False
        elif join_next:
            parsed.groups[-1].extend(alternatives)
            join_next = False
        else:
            parsed.groups.append(alternatives)
    return parsed


# Names written with symbols, which PostgreSQL's parser reads as a bare letter ("C++" and
# "C#" both become 'c') or as a word shared with other meanings (".NET" becomes 'net'): the
# stored vectors and the queries both spell them as one word. The search trigger (migration
# 0016_search_symbol_names) applies the same rules in SQL; a test checks the two agree.
SYMBOL_NAMES = (
    (re.compile(r"(?<![\w+#])c\+\+(?![\w+#])", re.IGNORECASE), "cplusplus"),
    (re.compile(r"(?<![\w+#])c#(?![\w+#])", re.IGNORECASE), "csharp"),
    (re.compile(r"(?<![\w+#])f#(?![\w+#])", re.IGNORECASE), "fsharp"),
    (re.compile(r"(?<![\w.])\.net(?![\w])", re.IGNORECASE), "dotnet"),
    (re.compile(r"(?<![\w.])(\w+)\.js(?![\w])", re.IGNORECASE), r"\1js"),
)


def symbol_names_spelled(text: str) -> str:
    """The text with C++, C#, F#, .NET and *.js names spelled as single words."""
    for pattern, word in SYMBOL_NAMES:
        text = pattern.sub(word, text)
    return text


def websearch_text(parsed: ParsedQuery) -> str:
    """The parsed query written back for websearch_to_tsquery, symbol names spelled out."""

    def quoted(term: str) -> str:
        return f'"{symbol_names_spelled(term)}"'

    parts = [" OR ".join(quoted(term) for term in group) for group in parsed.groups]
    parts += [f"-{quoted(term)}" for term in parsed.excluded]
    return " ".join(parts)

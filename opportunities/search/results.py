"""What a search returns: the result, its page and its facet options, as templates read them."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import cached_property
from typing import NamedTuple

from opportunities.models import EmploymentType, Role
from opportunities.search.cards import RoleCard
from opportunities.search.filters import RoleFilterSet


def round_about(value: int) -> int:
    """An estimated number rounded to its two leading digits (12,345 -> 12,000)."""
    if value < 100:
        return value
    digits = int(math.log10(value)) - 1
    return int(round(value, -digits))


class _Lenient(dict):
    """A dict whose missing keys read as "".

    A template's lookup of a missing key in a plain dict or a QueryDict falls back to
    attribute lookup and then to dir() of the object (tens of µs); the sidebar asks for the
    errors of 15 fields, almost always missing.
    """

    def __missing__(self, key):
        return ""


class FacetOption(NamedTuple):
    value: str
    label: str
    count: int
    selected: bool

    @property
    def count_display(self) -> str:
        return f"{self.count:,}"


@dataclass(frozen=True)
class PageInfo:
    number: int
    size: int
    has_next: bool = False
    has_previous: bool = False
    next_query: str = ""  # the query string (without "?") of the next page
    previous_query: str = ""
    total_pages: int | None = None  # None when only estimated
    is_last: bool = False


@dataclass
class SearchResult:
    roles: list[Role] | list[RoleCard]
    filterset: RoleFilterSet
    count: int
    count_is_estimate: bool
    count_display: str
    page: PageInfo
    sort: str
    query: str = ""
    facets: dict[str, list[FacetOption]] = field(default_factory=dict)
    facets_are_estimates: bool = False
    highlighted_skills: set[str] = field(default_factory=set)
    messages: list[str] = field(default_factory=list)
    # (label, query string without that filter): the "drop a filter" suggestions.
    active_filters: list[tuple[str, str]] = field(default_factory=list)
    relevance_capped: bool = False
    sample_size: int = 0

    @property
    def form(self):
        return self.filterset.form

    @property
    def errors(self):
        return self.filterset.form.errors

    @cached_property
    def field_errors(self) -> dict:
        """Each field's errors; a field without any reads as "" (for templates, see _Lenient)."""
        return _Lenient(self.filterset.form.errors)

    @cached_property
    def submitted(self) -> dict[str, str]:
        """The last submitted value of each parameter, as typed; "" when not given."""
        data = self.filterset.data
        return _Lenient((key, data.get(key)) for key in data)

    @property
    def values(self) -> dict[str, object]:
        """The valid value of every parameter, for templates (lists stay lists)."""
        return {name: self.filterset.value(name) for name in self.filterset.filters}

    employment_choices = EmploymentType.choices
    posted_choices = (
        (1, "Last 24 hours"),
        (7, "Last 7 days"),
        (14, "Last 14 days"),
        (30, "Last 30 days"),
    )

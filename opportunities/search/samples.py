"""The newest-first sample of a search: a few small columns of its newest matches, read once
and shared by the count, every facet and the relevance ranking."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from itertools import compress

from django.contrib.postgres.fields import ArrayField
from django.db import connections
from django.db.models import F, Func, IntegerField, QuerySet

from opportunities.search.backends import SearchBackend, get_backend

# The sample's columns all live in the role_open_newest index, so without text it is read
# from the index alone.
SAMPLE_COLUMNS = (
    "pk",
    "industry_id",
    "workplace",
    "worldwide",
    "seniority",
    "skill_ids",
)
# Positions in a sample row; RANK is appended when the sample is ranked.
PK, INDUSTRY, WORKPLACE, WORLDWIDE, SENIORITY, SKILLS, RANK = range(7)
# skill_ids as an int[] ('[1, 2]' -> '{1, 2}'), computed from the indexed column.
SKILL_ARRAY = Func(
    F("skill_ids"),
    function="",
    template="translate(%(expressions)s::text, '[]', '{}')::integer[]",
    output_field=ArrayField(IntegerField()),
)

Row = tuple
# A facet filter tested on rows: one result per row, in row order.
RowsTest = Callable[[list[Row]], list[bool]]


@dataclass
class Estimate:
    """The backend's estimate of a queryset's rows, asked at most once, when first called."""

    backend: SearchBackend
    queryset: QuerySet

    def __call__(self) -> int | None:
        return self._value

    @cached_property
    def _value(self) -> int | None:
        return self.backend.estimate_count(self.queryset)


def read_sample(
    queryset: QuerySet,
    limit: int,
    text: str = "",
    *,
    ranked: bool = False,
    narrow: Callable[[list[Row]], list[Row]] | None = None,
    estimate: Callable[[], int | None] | None = None,
    narrow_estimate: Callable[[], int | None] | None = None,
) -> list[Row]:
    """The newest limit+1 roles of `queryset` matching `text` as SAMPLE_COLUMNS (plus `rank`
    when `ranked`), or more with `narrow` (see SearchBackend.newest_sample); the backend
    chooses how to read them."""
    columns = SAMPLE_COLUMNS
    if connections[queryset.db].vendor == "postgresql":
        # An int[] is decoded by psycopg in C; a jsonb goes through json.loads row by row.
        queryset = queryset.annotate(skill_array=SKILL_ARRAY)
        columns = (*SAMPLE_COLUMNS[:SKILLS], "skill_array")
    return get_backend(queryset.db).newest_sample(
        queryset,
        text,
        columns,
        limit,
        ranked=ranked,
        narrow=narrow,
        estimate=estimate,
        narrow_estimate=narrow_estimate,
    )


def row_results(rows: list[Row], tests: dict[str, RowsTest]) -> dict[str, list[bool]]:
    """Each test's result on each row, in row order."""
    return {name: test(rows) for name, test in tests.items()}


def passing(rows: list[Row], results: dict[str, list[bool]], skip: str | None = None) -> list[Row]:
    """The rows that pass every test but `skip`'s, from their row_results."""
    masks = [mask for name, mask in results.items() if name != skip]
    if not masks:
        return rows
    return list(compress(rows, map(all, zip(*masks, strict=True))))


def narrowed(rows: list[Row], tests: dict[str, RowsTest]) -> list[Row]:
    """The rows that pass every test."""
    return passing(rows, row_results(rows, tests))

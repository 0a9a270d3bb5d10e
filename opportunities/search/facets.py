"""Facets of a search, from one table: each facet's sample column, chosen values, row test and
options, and one function that counts them all over the sample."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from itertools import chain
from operator import itemgetter

from opportunities.models import Seniority, Workplace
from opportunities.search.filters import RoleFilterSet
from opportunities.search.results import FacetOption, round_about
from opportunities.search.samples import (
    INDUSTRY,
    SENIORITY,
    SKILLS,
    WORKPLACE,
    WORLDWIDE,
    Row,
    RowsTest,
    passing,
    row_results,
)

TOP_SKILLS = 15

Options = Callable[[RoleFilterSet, tuple, Counter], list[FacetOption]]
# A test of a column against the chosen values, for every row at once (one call, not one a row).
Match = Callable[[int, frozenset, list[Row]], list[bool]]


def _value_in(column: int, values: frozenset, rows: list[Row]) -> list[bool]:
    return list(map(values.__contains__, map(itemgetter(column), rows)))


def _has_any(column: int, values: frozenset, rows: list[Row]) -> list[bool]:
    return [not values.isdisjoint(row[column] or ()) for row in rows]


def _has_all(column: int, values: frozenset, rows: list[Row]) -> list[bool]:
    return [values.issubset(row[column] or ()) for row in rows]


def _one_value(filterset: RoleFilterSet) -> Match:
    return _value_in


def _skills_match(filterset: RoleFilterSet) -> Match:
    return _has_any if filterset.value("skills", "all") == "any" else _has_all


def _industries_chosen(filterset: RoleFilterSet) -> tuple:
    return tuple(industry.pk for industry in filterset.value("industry", []))


def _skills_chosen(filterset: RoleFilterSet) -> tuple:
    return tuple(dict.fromkeys(skill.pk for skill in filterset.value("skill", [])))


def _worldwide_chosen(filterset: RoleFilterSet) -> tuple:
    return (True,) if filterset.value("worldwide") else ()


def _values_chosen(name: str, filterset: RoleFilterSet) -> tuple:
    return tuple(filterset.value(name, []))


def _industry_options(filterset: RoleFilterSet, chosen: tuple, counts: Counter) -> list:
    """Active industries with matches (or chosen), most matches first."""
    selected = set(chosen)
    options = [
        FacetOption(term.slug, term.name, counts.get(term.pk, 0), term.pk in selected)
        for term in filterset.form.taxonomy.active_industries()
    ]
    return sorted((o for o in options if o.count or o.selected), key=lambda o: (-o.count, o.label))


def _choice_options(choices, filterset: RoleFilterSet, chosen: tuple, counts: Counter) -> list:
    """Every choice, in the choices' order."""
    return [
        FacetOption(value, label, counts.get(value, 0), value in chosen) for value, label in choices
    ]


def _worldwide_options(filterset: RoleFilterSet, chosen: tuple, counts: Counter) -> list:
    return [FacetOption("1", "Open to applicants worldwide", counts.get(True, 0), bool(chosen))]


def _skill_options(filterset: RoleFilterSet, chosen: tuple, counts: Counter) -> list:
    """The chosen skills, then the most common ones."""
    selected = set(chosen)
    top = [pk for pk, _ in counts.most_common(TOP_SKILLS)]
    names = filterset.form.taxonomy.skills
    return [
        FacetOption(names[pk].slug, names[pk].name, counts.get(pk, 0), pk in selected)
        for pk in dict.fromkeys([*chosen, *top])
        if pk in names
    ]


@dataclass(frozen=True, slots=True)
class FacetSpec:
    name: str  # the filter's parameter, and the facet's key in SearchResult.facets
    column: int  # where a sample row holds the value
    chosen: Callable[[RoleFilterSet], tuple]  # the chosen values as the column holds them
    match: Callable[[RoleFilterSet], Match]  # how rows are tested against them
    options: Options
    many: bool = False  # the column holds a list of values


FACETS: tuple[FacetSpec, ...] = (
    FacetSpec("industry", INDUSTRY, _industries_chosen, _one_value, _industry_options),
    FacetSpec(
        "workplace",
        WORKPLACE,
        partial(_values_chosen, "workplace"),
        _one_value,
        partial(_choice_options, Workplace.choices),
    ),
    FacetSpec("worldwide", WORLDWIDE, _worldwide_chosen, _one_value, _worldwide_options),
    FacetSpec(
        "seniority",
        SENIORITY,
        partial(_values_chosen, "seniority"),
        _one_value,
        partial(_choice_options, Seniority.choices),
    ),
    FacetSpec("skill", SKILLS, _skills_chosen, _skills_match, _skill_options, many=True),
)


def facet_tests(filterset: RoleFilterSet) -> dict[str, RowsTest]:
    """Each active facet filter as a test of sample rows, to count facets in Python."""
    tests: dict[str, RowsTest] = {}
    for spec in FACETS:
        chosen = spec.chosen(filterset)
        if chosen:
            tests[spec.name] = partial(spec.match(filterset), spec.column, frozenset(chosen))
    return tests


def _scaled(counter: Counter, sample_size: int, total: int, estimate: bool) -> Counter:
    if not estimate or not sample_size:
        return counter
    factor = total / sample_size
    # Hundreds of skills share a few dozen distinct counts: scale each count once.
    scaled = {n: round_about(round(n * factor)) for n in set(counter.values())}
    return Counter({key: scaled[n] for key, n in counter.items()})


def _counts(spec: FacetSpec, rows: list[Row], results: dict[str, list[bool]]) -> Counter:
    """How many of the rows that pass the other facets' filters hold each value."""
    kept = passing(rows, results, skip=spec.name)
    column = spec.column  # read once, not once a row
    if spec.many:
        return Counter(chain.from_iterable(row[column] or () for row in kept))
    return Counter(filter(None, map(itemgetter(column), kept)))


def facet_counts(
    filterset: RoleFilterSet,
    tests: dict[str, RowsTest],
    rows: list[Row],
    total: int,
    estimate: bool,
) -> dict[str, list[FacetOption]]:
    """Every facet's options over one sample taken without the facet filters: each facet applies
    the other active facet filters to the sample's rows and, when `total` is an estimate of more
    rows than the sample holds, scales its counts to it."""
    results = row_results(rows, tests)  # each filter tested once per row, shared by the facets
    return {
        spec.name: spec.options(
            filterset,
            spec.chosen(filterset),
            _scaled(_counts(spec, rows, results), len(rows), total, estimate),
        )
        for spec in FACETS
    }

"""search_roles: filters, text search, counts, facets and pages for the search page and feeds."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from django.db.models import QuerySet
from django.http import QueryDict

from opportunities.models import Role, Seniority, Workplace
from opportunities.search.backends import SearchBackend, get_backend
from opportunities.search.facets import facet_counts, facet_tests
from opportunities.search.filters import RoleFilterSet
from opportunities.search.paging import (
    CURSOR_PARAMS,
    Page,
    PageRequest,
    query_without,
    relevance_page,
    sorted_page,
)
from opportunities.search.results import FacetOption, PageInfo, SearchResult, round_about
from opportunities.search.samples import Estimate, Row, RowsTest, narrowed, read_sample

# Above this many matches counts and facets come from estimates and the newest SAMPLE rows,
# and relevance ranks the SAMPLE newest matches: exact work at 1M rows costs seconds.
# 500 rows: with text each sampled row is tested against its 3 KB vector (out of line, tens
# of µs a row), and without text a selective filter walks ~SAMPLE/selectivity index entries.
SAMPLE = 500


@dataclass(frozen=True, slots=True)
class _Text:
    """The search's words, when it has any the backend can look for."""

    words: str  # "" when not searching
    messages: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class _Samples:
    """What was read of the search's newest matches.

    `sample` is the full search's (None when nothing needed it); `base` the search's without
    its facet filters, which the facets count over (the same rows when no facet filter is
    active), with `base_queryset` and `base_estimate` to count it.
    """

    sample: list[Row] | None
    base: list[Row] | None
    base_queryset: QuerySet
    base_estimate: Estimate


@dataclass(frozen=True, slots=True)
class _Count:
    total: int
    is_estimate: bool


def _as_querydict(params: QueryDict | dict | None) -> QueryDict:
    if isinstance(params, QueryDict):
        return params
    data = QueryDict(mutable=True)
    for key, value in (params or {}).items():
        if isinstance(value, list | tuple):
            data.setlist(key, [str(v) for v in value])
        elif value is not None:
            data[key] = str(value)
    return data


def _text(filterset: RoleFilterSet, backend: SearchBackend) -> _Text:
    text = (filterset.value("q") or "").strip()
    if not text or "q" in filterset.form.errors:
        return _Text("")
    if not backend.is_searchable(Role.objects.all(), text):
        return _Text("", (f"“{text}” has no words we can search for, so every role is shown.",))
    return _Text(text)


def _sort(filterset: RoleFilterSet, searching: bool) -> str:
    sort = filterset.value("sort") or ("relevance" if searching else "newest")
    return "newest" if sort == "relevance" and not searching else sort


def _read_samples(
    filterset: RoleFilterSet,
    queryset: QuerySet,
    tests: dict[str, RowsTest],
    full_estimate: Estimate,
    backend: SearchBackend,
    *,
    text: str,
    ranked: bool,
    wanted: bool,
    limit: int,
) -> _Samples:
    """One sample (the newest limit+1 matches, small columns) serves the count when it is
    small, every facet and the relevance candidates.

    With facet filters active the sample is taken without them and each facet applies the
    others in Python; a second sample of the full search is read only when the first is too
    big to derive it from. The samples are read without the text condition, which the backend
    adds its own way.
    """
    if not tests:
        sample = (
            read_sample(
                filterset.qs_without("q"), limit, text, ranked=ranked, estimate=full_estimate
            )
            if wanted
            else None
        )
        return _Samples(sample, sample, queryset, full_estimate)
    base_queryset = filterset.qs_without(*RoleFilterSet.facet_params())
    base_estimate = Estimate(backend, base_queryset)
    rows = read_sample(
        filterset.qs_without("q", *RoleFilterSet.facet_params()),
        limit,
        text,
        ranked=ranked,
        narrow=partial(narrowed, tests=tests),
        estimate=base_estimate,
        narrow_estimate=full_estimate,
    )
    passing = narrowed(rows, tests)
    # The rows are the newest of the search without facet filters, so those of them that pass
    # the filters are the newest of the full search: all of them when the rows are, and its
    # sample whenever they hold more than `limit`.
    if len(rows) <= limit or len(passing) > limit:
        sample = passing[: limit + 1]
    else:
        sample = read_sample(
            filterset.qs_without("q"), limit, text, ranked=ranked, estimate=full_estimate
        )
    return _Samples(sample, rows[: limit + 1], base_queryset, base_estimate)


def _big_count(queryset: QuerySet, limit: int, *, known_big: bool, estimate: Estimate) -> _Count:
    """The count of a search with more than `limit` matches: the planner's estimate."""
    if not known_big:
        capped = queryset.order_by().values("pk")[: limit + 1].count()
        if capped <= limit:
            return _Count(capped, False)
    guess = estimate()
    if guess is None:
        return _Count(queryset.count(), False)
    return _Count(max(guess, limit + 1), True)


def _count(queryset: QuerySet, sample: list[Row] | None, limit: int, estimate: Estimate) -> _Count:
    if sample is not None and len(sample) <= limit:
        return _Count(len(sample), False)
    return _big_count(queryset, limit, known_big=sample is not None, estimate=estimate)


def _count_display(count: _Count, limit: int) -> str:
    if not count.is_estimate:
        return f"{count.total:,}"
    if count.total > limit * 1.5:
        return f"about {round_about(count.total):,}"
    return f"{limit:,}+"


def _page(
    queryset: QuerySet,
    samples: _Samples,
    count: _Count,
    data: QueryDict,
    *,
    sort: str,
    number: int,
    size: int,
    limit: int,
    cards: bool,
) -> Page:
    if sort == "relevance":
        return relevance_page(
            data, samples.sample, limit=limit, number=number, size=size, cards=cards
        )
    return sorted_page(
        PageRequest(
            queryset=queryset,
            sort=sort,
            params=data,
            number=number,
            size=size,
            count=count.total,
            count_is_estimate=count.is_estimate,
            newest=samples.sample if sort == "newest" else None,
            sample_limit=limit,
            cards=cards,
        )
    )


def _facets(
    filterset: RoleFilterSet,
    tests: dict[str, RowsTest],
    samples: _Samples,
    count: _Count,
    limit: int,
) -> tuple[dict[str, list[FacetOption]], bool]:
    """The facets, counted over the sample without facet filters, and whether they are
    estimates."""
    base = samples.base
    if base is samples.sample:
        base_count = count
    elif len(base) <= limit:
        base_count = _Count(len(base), False)
    else:
        base_count = _big_count(
            samples.base_queryset, limit, known_big=True, estimate=samples.base_estimate
        )
    options = facet_counts(filterset, tests, base[:limit], base_count.total, base_count.is_estimate)
    return options, base_count.is_estimate


def search_roles(
    params: QueryDict | dict | None,
    *,
    user=None,
    page_size: int = 20,
    facets: bool = True,
    cards: bool = False,
) -> SearchResult:
    """Run a search as the page's query parameters describe it.

    With `cards`, `result.roles` are RoleCards (what the page's cards print, as plain values)
    instead of Role instances with their company, industry and skills loaded.
    """
    data = _as_querydict(params)
    filterset = RoleFilterSet(data)
    filterset.errors  # noqa: B018 - validate before reading values
    backend = get_backend()
    limit = SAMPLE
    text = _text(filterset, backend)
    sort = _sort(filterset, searching=bool(text.words))
    queryset = filterset.qs_without()
    # Each estimate (of the full search, of the search without facet filters) is asked once.
    full_estimate = Estimate(backend, queryset)
    tests = facet_tests(filterset) if facets else {}
    samples = _read_samples(
        filterset,
        queryset,
        tests,
        full_estimate,
        backend,
        text=text.words,
        ranked=sort == "relevance",
        wanted=facets or sort == "relevance",
        limit=limit,
    )
    count = _count(queryset, samples.sample, limit, full_estimate)
    page = _page(
        queryset,
        samples,
        count,
        data,
        sort=sort,
        number=filterset.value("page", 1),
        size=max(1, min(page_size, 100)),
        limit=limit,
        cards=cards,
    )
    facet_options, facets_are_estimates = (
        _facets(filterset, tests, samples, count, limit) if facets else ({}, False)
    )
    return SearchResult(
        roles=page.roles,
        filterset=filterset,
        count=count.total,
        count_is_estimate=count.is_estimate,
        count_display=_count_display(count, limit),
        page=page.info,
        sort=sort,
        query=text.words,
        facets=facet_options,
        facets_are_estimates=facets_are_estimates,
        highlighted_skills={skill.slug for skill in filterset.value("skill", [])},
        messages=[*text.messages, *page.messages],
        active_filters=_active_filters(filterset, data),
        relevance_capped=sort == "relevance" and len(samples.sample) > limit,
        sample_size=limit,
    )


def _query_dropping(data: QueryDict, name: str, value: str) -> str:
    """The query string without one of the values of a list parameter (and the page)."""
    copy = data.copy()
    for key in ("page", *CURSOR_PARAMS):
        copy.pop(key, None)
    copy.setlist(name, [v for v in copy.getlist(name) if v.strip().lower() != value.lower()])
    return copy.urlencode()


_LIST_LABELS = {"workplace": dict(Workplace.choices), "seniority": dict(Seniority.choices)}
_VALUE_LABELS = {
    "worldwide": "Open worldwide",
    "visa": "Visa sponsorship",
    "country": "Country {}",
    "salary_min": "Salary from {:,}",
    "posted_within": "Posted in the last {} days",
    "company": "Company {}",
}


def _active_filters(filterset: RoleFilterSet, data: QueryDict) -> list[tuple[str, str]]:
    """Each active filter value as a label and the query string that drops just it."""
    active: list[tuple[str, str]] = []
    text = filterset.value("q")
    if text:
        active.append((f"Keywords “{text}”", query_without(data, "q")))
    for name in ("industry", "skill"):
        for term in filterset.value(name, []):
            active.append((term.name, _query_dropping(data, name, term.slug)))
    for name in ("workplace", "seniority", "employment"):
        labels = _LIST_LABELS.get(name, {})
        for value in filterset.value(name, []):
            label = labels.get(value, value.replace("_", " ").capitalize())
            active.append((label, _query_dropping(data, name, value)))
    for name, label in _VALUE_LABELS.items():
        value = filterset.value(name)
        if value:
            active.append((label.format(value), query_without(data, name)))
    return active


__all__ = ["FacetOption", "PageInfo", "SearchResult", "search_roles"]

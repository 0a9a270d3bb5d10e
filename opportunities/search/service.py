"""search_roles: filters, text search, counts, facets and pages for the search page and feeds."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from itertools import chain, compress
from operator import itemgetter
from typing import NamedTuple

from django.contrib.postgres.fields import ArrayField
from django.db import connections
from django.db.models import Case, F, Func, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.http import QueryDict
from django.utils.dateparse import parse_datetime

from opportunities.models import SALARY_TOP, EmploymentType, Role, RoleSkill, Seniority, Workplace
from opportunities.search.backends import get_backend
from opportunities.search.cards import RoleCard, role_cards
from opportunities.search.filters import SORTS, RoleFilterSet

# Above this many matches counts and facets come from estimates and the newest SAMPLE rows,
# and relevance ranks the SAMPLE newest matches: exact work at 1M rows costs seconds. The
# sample's columns all live in the role_open_newest index, so without text it is read from
# the index alone.
# 500 rows: with text each sampled row is tested against its 3 KB vector (out of line, tens
# of µs a row), and without text a selective filter walks ~SAMPLE/selectivity index entries.
SAMPLE = 500
SAMPLE_COLUMNS = (
    "pk",
    "industry_id",
    "workplace",
    "worldwide",
    "seniority",
    "skill_ids",
)
PK, INDUSTRY, WORKPLACE, WORLDWIDE, SENIORITY, SKILLS, RANK = range(7)
# skill_ids as an int[] ('[1, 2]' -> '{1, 2}'), computed from the indexed column.
SKILL_ARRAY = Func(
    F("skill_ids"),
    function="",
    template="translate(%(expressions)s::text, '[]', '{}')::integer[]",
    output_field=ArrayField(IntegerField()),
)
# Deepest OFFSET a page number may ask for; further pages are reached with Next (keyset).
MAX_OFFSET = 10_000
TOP_SKILLS = 15
CURSOR_PARAMS = ("after", "before")


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


@dataclass
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


def _query_without(params: QueryDict, *drop: str, **changes: str | None) -> str:
    data = params.copy()
    for key in (*drop, "page", *CURSOR_PARAMS):
        data.pop(key, None)
    for key, value in changes.items():
        if value is not None:
            data[key] = value
    return data.urlencode()


def _round_about(value: int) -> int:
    if value < 100:
        return value
    digits = int(math.log10(value)) - 1
    return int(round(value, -digits))


def _card_queryset(queryset: QuerySet) -> QuerySet:
    return (
        queryset.select_related("company", "industry")
        .prefetch_related(
            Prefetch(
                "role_skills",
                # Cards and feeds show a skill's name, slug and kind; nothing else is loaded.
                queryset=RoleSkill.objects.select_related("skill")
                .only("role_id", "kind", "skill__slug", "skill__name")
                # Required skills first, then nice-to-haves, each by name (as on cards).
                .order_by(
                    Case(When(kind=RoleSkill.Kind.REQUIRED, then=Value(0)), default=Value(1)),
                    "skill__name",
                ),
            )
        )
        .defer("search_vector", "search_head", "skill_text")
    )


def _cursor(role: Role, key: str) -> str | None:
    value = role.salary_top if key == "salary_top" else role.posted_at
    if value is None:
        return None
    text = value.isoformat() if isinstance(value, datetime) else str(int(value))
    return f"{text}~{role.pk}"


def _parse_cursor(raw: str, key: str):
    text, _, pk = raw.rpartition("~")
    if not pk.isdigit() or not text:
        return None
    if key == "salary_top":
        return (int(text), int(pk)) if text.isdigit() else None
    moment = parse_datetime(text.replace(" ", "+"))
    return (moment, int(pk)) if moment else None


def _keyset_page(queryset, sort, cursor, direction, size):
    """Ids of the rows after (or before) the cursor in the sort's order, both keys descending."""
    key = "salary_top" if sort == "salary" else "posted_at"
    value, pk = cursor
    if direction == "after":
        condition = Q(**{f"{key}__lt": value}) | Q(**{key: value, "pk__lt": pk})
        rows = queryset.filter(Q(**{f"{key}__lte": value}), condition)
        rows = list(rows.order_by(F(key).desc(), "-pk").values_list("pk", flat=True)[: size + 1])
        return rows[:size], len(rows) > size, True
    condition = Q(**{f"{key}__gt": value}) | Q(**{key: value, "pk__gt": pk})
    rows = queryset.filter(Q(**{f"{key}__gte": value}), condition)
    rows = list(rows.order_by(F(key).asc(), "pk").values_list("pk", flat=True)[: size + 1])
    return list(reversed(rows[:size])), True, len(rows) > size


def _annotate_key(queryset: QuerySet, sort: str) -> QuerySet:
    if sort == "salary":
        return queryset.annotate(salary_top=SALARY_TOP)
    return queryset


def _ordered(queryset: QuerySet, sort: str, *, reverse: bool = False) -> QuerySet:
    key = "salary_top" if sort == "salary" else "posted_at"
    if reverse:
        return queryset.order_by(F(key).asc(), "pk")
    return queryset.order_by(F(key).desc(), "-pk")


def _sample(
    queryset: QuerySet,
    limit: int,
    text: str = "",
    *,
    ranked: bool = False,
    narrow=None,
    estimate=None,
    narrow_estimate=None,
) -> list[tuple]:
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


def _row_tests(filterset: RoleFilterSet) -> dict[str, Callable[[tuple], bool]]:
    """Each active facet filter as a test on a sample row, to count facets in Python."""
    tests: dict[str, Callable[[tuple], bool]] = {}
    industries = {industry.pk for industry in filterset.value("industry", [])}
    if industries:
        tests["industry"] = lambda row: row[INDUSTRY] in industries
    workplaces = set(filterset.value("workplace", []))
    if workplaces:
        tests["workplace"] = lambda row: row[WORKPLACE] in workplaces
    if filterset.value("worldwide"):
        tests["worldwide"] = lambda row: bool(row[WORLDWIDE])
    seniorities = set(filterset.value("seniority", []))
    if seniorities:
        tests["seniority"] = lambda row: row[SENIORITY] in seniorities
    skills = {skill.pk for skill in filterset.value("skill", [])}
    if skills and filterset.value("skills", "all") == "any":
        tests["skill"] = lambda row: not skills.isdisjoint(row[SKILLS] or ())
    elif skills:
        tests["skill"] = lambda row: skills.issubset(row[SKILLS] or ())
    return tests


def _results(rows: list[tuple], tests: dict) -> dict[str, list[bool]]:
    """Each test's result on each row, in row order."""
    return {name: list(map(test, rows)) for name, test in tests.items()}


def _passing(rows: list[tuple], results: dict, skip: str | None = None) -> list[tuple]:
    """The rows that pass every test but `skip`'s, from their _results."""
    masks = [mask for name, mask in results.items() if name != skip]
    if not masks:
        return rows
    return list(compress(rows, map(all, zip(*masks, strict=True))))


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
    form = filterset.form
    filterset.errors  # noqa: B018 - validate before reading values
    backend = get_backend()
    messages: list[str] = []

    text = (filterset.value("q") or "").strip()
    searching = bool(text) and "q" not in form.errors
    if searching and not backend.is_searchable(Role.objects.all(), text):
        messages.append(f"“{text}” has no words we can search for, so every role is shown.")
        searching = False
    queryset = filterset.qs_without()

    sort = filterset.value("sort") or ("relevance" if searching else "newest")
    if sort == "relevance" and not searching:
        sort = "newest"
    ranked = sort == "relevance"
    # The samples are read without the text condition, which the backend adds its own way.
    sampled_text = text if searching else ""
    limit = SAMPLE

    # One sample (the newest SAMPLE+1 matches, small columns) serves the count when it is
    # small, every facet and the relevance candidates. With facet filters active the sample
    # is taken without them and each facet applies the others in Python; a second sample of
    # the full search is read only when the first is too big to derive it from.
    # Each estimate (of the full search, of the search without facet filters) is asked once.
    estimates: dict[str, int | None] = {}

    def estimator(name: str, of: QuerySet) -> Callable[[], int | None]:
        def estimate() -> int | None:
            if name not in estimates:
                estimates[name] = backend.estimate_count(of)
            return estimates[name]

        return estimate

    full_estimate = estimator("full", queryset)
    tests = _row_tests(filterset)
    base_rows = sample = None
    if facets and tests:
        base_queryset = filterset.qs_without(*RoleFilterSet.facet_params())

        def narrow(rows: list[tuple]) -> list[tuple]:
            return _passing(rows, _results(rows, tests))

        untexted = filterset.qs_without("q", *RoleFilterSet.facet_params())
        rows = _sample(
            untexted,
            limit,
            sampled_text,
            ranked=ranked,
            narrow=narrow,
            estimate=estimator("base", base_queryset),
            narrow_estimate=full_estimate,
        )
        passing = narrow(rows)
        # The rows are the newest of the search without facet filters, so those of them
        # that pass the filters are the newest of the full search: all of them when the rows
        # are, and its sample whenever they hold more than `limit`.
        if len(rows) <= limit or len(passing) > limit:
            sample = passing[: limit + 1]
        base_rows = rows[: limit + 1]
    if sample is None and (facets or sort == "relevance"):
        sample = _sample(
            filterset.qs_without("q"), limit, sampled_text, ranked=ranked, estimate=full_estimate
        )
    if base_rows is None:
        base_rows, base_queryset = sample, queryset

    if sample is not None and len(sample) <= limit:
        count, estimate = len(sample), False
    else:
        count, estimate = _big_count(
            queryset, limit, known_big=sample is not None, estimate=full_estimate
        )
    if estimate:
        shown = _round_about(count)
        count_display = f"about {shown:,}" if count > limit * 1.5 else f"{limit:,}+"
    else:
        count_display = f"{count:,}"

    size = max(1, min(page_size, 100))
    requested = filterset.value("page", 1)
    page = PageInfo(number=requested, size=size)
    relevance_capped = False

    if sort == "relevance":
        # The sample is newest first and the sort is stable: equal ranks stay newest first.
        candidates = sorted(sample[:limit], key=itemgetter(RANK), reverse=True)
        relevance_capped = len(sample) > limit
        pages = max(1, math.ceil(len(candidates) / size))
        if requested > pages:
            messages.append(f"Page {requested} doesn't exist; showing the last page.")
            page.number = requested = pages
        offset = (requested - 1) * size
        roles = _cards([row[PK] for row in candidates[offset : offset + size]], cards=cards)
        page.total_pages = pages
        page.has_previous = requested > 1
        page.has_next = requested < pages
        page.is_last = not page.has_next
        if page.has_next:
            page.next_query = _query_without(data, page=str(requested + 1))
        if page.has_previous:
            page.previous_query = _query_without(data, page=str(requested - 1))
    else:
        newest = sample if sort == "newest" else None
        roles, page = _sorted_page(
            queryset, sort, data, page, count, estimate, messages, newest, limit, cards
        )

    highlighted = {skill.slug for skill in filterset.value("skill", [])}
    result = SearchResult(
        roles=roles,
        filterset=filterset,
        count=count,
        count_is_estimate=estimate,
        count_display=count_display,
        page=page,
        sort=sort,
        query=text if searching else "",
        highlighted_skills=highlighted,
        messages=messages,
        active_filters=_active_filters(filterset, data),
        relevance_capped=relevance_capped,
        sample_size=limit,
    )
    if facets:
        if base_rows is sample:
            base_total, base_estimate = count, estimate
        elif len(base_rows) <= limit:
            base_total, base_estimate = len(base_rows), False
        else:
            base_total, base_estimate = _big_count(
                base_queryset, limit, known_big=True, estimate=estimator("base", base_queryset)
            )
        result.facets = _facets(filterset, tests, base_rows[:limit], base_total, base_estimate)
        result.facets_are_estimates = base_estimate
    return result


def _big_count(
    queryset: QuerySet, limit: int, *, known_big: bool, estimate: Callable[[], int | None]
) -> tuple[int, bool]:
    """The count of a search with more than `limit` matches: the planner's estimate."""
    if not known_big:
        capped = queryset.order_by().values("pk")[: limit + 1].count()
        if capped <= limit:
            return capped, False
    guess = estimate()
    if guess is None:
        return queryset.count(), False
    return max(guess, limit + 1), True


def _cards(
    pks: list[int], extra: QuerySet | None = None, *, cards: bool = False
) -> list[Role] | list[RoleCard]:
    """The roles with these ids, in this order, with what a card shows."""
    if not pks:
        return []
    if cards:
        return role_cards(pks, using=extra.db if extra is not None else "default")
    rows = _card_queryset(extra if extra is not None else Role.objects.all()).filter(pk__in=pks)
    by_id = {role.pk: role for role in rows}
    return [by_id[pk] for pk in pks if pk in by_id]


def _sorted_page(
    queryset, sort, data, page, count, estimate, messages, newest=None, limit=SAMPLE, cards=False
):
    """A page of the newest / highest-salary order: keyset when a cursor is given.

    The page's ids come from the sample when it covers the page, else from an index-only scan;
    the cards are then read by id.
    """
    size, requested = page.size, page.number
    keyed = _annotate_key(queryset, sort)
    key = "salary_top" if sort == "salary" else "posted_at"
    cursor, direction = None, None
    for name in CURSOR_PARAMS:
        raw = data.get(name)
        if raw:
            cursor, direction = _parse_cursor(raw, key), name
            break
    pages = None if estimate else max(1, math.ceil(count / size))
    page.total_pages = pages
    if cursor is not None:
        pks, page.has_next, page.has_previous = _keyset_page(keyed, sort, cursor, direction, size)
        if direction == "before" and not page.has_previous:
            page.number = 1
    else:
        last_known = pages if pages is not None else math.ceil(count / size)
        if requested > last_known or (requested - 1) * size > MAX_OFFSET:
            if requested > last_known:
                messages.append(f"Page {requested} doesn't exist; showing the last page.")
            else:
                messages.append(
                    f"Page {requested} is too deep to open directly; showing the last page. "
                    "Narrow the search, or use Previous to walk back."
                )
            rows = list(_ordered(keyed, sort, reverse=True).values_list("pk", flat=True)[:size])
            pks = list(reversed(rows))
            page.number = last_known
            page.has_next = False
            page.has_previous = last_known > 1
        else:
            offset = (requested - 1) * size
            if newest is not None and (len(newest) <= limit or offset + size < len(newest)):
                rows = [row[PK] for row in newest[offset : offset + size + 1]]
            else:
                ordered = _ordered(keyed, sort).values_list("pk", flat=True)
                rows = list(ordered[offset : offset + size + 1])
            pks = rows[:size]
            page.has_next = len(rows) > size
            page.has_previous = requested > 1
    roles = _cards(pks, _annotate_key(Role.objects.all(), sort), cards=cards)
    page.is_last = not page.has_next
    if roles and page.has_next:
        after = _cursor(roles[-1], key)
        page.next_query = _query_without(
            data, page=str(page.number + 1), **({"after": after} if after else {})
        )
    if roles and page.has_previous:
        before = _cursor(roles[0], key) if page.number > 2 else None
        page.previous_query = _query_without(
            data,
            page=str(max(1, page.number - 1)) if page.number > 2 else None,
            **({"before": before} if before else {}),
        )
    return roles, page


def _scaled(counter: Counter, sample_size: int, total: int, estimate: bool) -> Counter:
    if not estimate or not sample_size:
        return counter
    factor = total / sample_size
    # Hundreds of skills share a few dozen distinct counts: scale each count once.
    scaled = {n: _round_about(round(n * factor)) for n in set(counter.values())}
    return Counter({key: scaled[n] for key, n in counter.items()})


def _facets(filterset, tests, rows, total, estimate) -> dict[str, list[FacetOption]]:
    """Facet counts over one sample taken without the facet filters: each facet applies the
    other active facet filters to the sample's rows and, above SAMPLE, scales to the total."""
    facets: dict[str, list[FacetOption]] = {}

    results = _results(rows, tests)  # each filter tested once per row, shared by the facets

    def counts(name, column):
        passing = _passing(rows, results, skip=name)
        if column == SKILLS:
            counter = Counter(chain.from_iterable(row[SKILLS] or () for row in passing))
        else:
            counter = Counter(filter(None, map(itemgetter(column), passing)))
        return _scaled(counter, len(rows), total, estimate)

    taxonomy = filterset.form.taxonomy
    selected_industries = {i.slug for i in filterset.value("industry", [])}
    industry_counts = counts("industry", INDUSTRY)
    options = [
        FacetOption(
            term.slug, term.name, industry_counts.get(term.pk, 0), term.slug in selected_industries
        )
        for term in taxonomy.active_industries()
    ]
    facets["industry"] = sorted(
        (o for o in options if o.count or o.selected), key=lambda o: (-o.count, o.label)
    )

    selected = set(filterset.value("workplace", []))
    workplace_counts = counts("workplace", WORKPLACE)
    facets["workplace"] = [
        FacetOption(value, label, workplace_counts.get(value, 0), value in selected)
        for value, label in Workplace.choices
    ]

    worldwide_counts = counts("worldwide", WORLDWIDE)
    facets["worldwide"] = [
        FacetOption(
            "1",
            "Open to applicants worldwide",
            worldwide_counts.get(True, 0),
            bool(filterset.value("worldwide")),
        )
    ]

    selected = set(filterset.value("seniority", []))
    seniority_counts = counts("seniority", SENIORITY)
    facets["seniority"] = [
        FacetOption(value, label, seniority_counts.get(value, 0), value in selected)
        for value, label in Seniority.choices
    ]

    chosen = {s.pk: s for s in filterset.value("skill", [])}
    skill_counts = counts("skill", SKILLS)
    top = [pk for pk, _ in skill_counts.most_common(TOP_SKILLS)]
    wanted = list(dict.fromkeys([*chosen, *top]))
    names = taxonomy.skills
    facets["skill"] = [
        FacetOption(names[pk].slug, names[pk].name, skill_counts.get(pk, 0), pk in chosen)
        for pk in wanted
        if pk in names
    ]
    return facets


def _active_filters(filterset: RoleFilterSet, data: QueryDict) -> list[tuple[str, str]]:
    """Each active filter value as a label and the query string that drops just it."""
    active: list[tuple[str, str]] = []

    def drop_value(name: str, value: str) -> str:
        copy = data.copy()
        for key in ("page", *CURSOR_PARAMS):
            copy.pop(key, None)
        remaining = [v for v in copy.getlist(name) if v.strip().lower() != value.lower()]
        copy.setlist(name, remaining)
        return copy.urlencode()

    text = filterset.value("q")
    if text:
        active.append((f"Keywords “{text}”", _query_without(data, "q")))
    for industry in filterset.value("industry", []):
        active.append((industry.name, drop_value("industry", industry.slug)))
    for skill in filterset.value("skill", []):
        active.append((skill.name, drop_value("skill", skill.slug)))
    labels = {
        "workplace": dict(Workplace.choices),
        "seniority": dict(Seniority.choices),
    }
    for name in ("workplace", "seniority", "employment"):
        for value in filterset.value(name, []):
            label = labels.get(name, {}).get(value, value.replace("_", " ").capitalize())
            active.append((label, drop_value(name, value)))
    simple = {
        "worldwide": "Open worldwide",
        "visa": "Visa sponsorship",
        "country": "Country {}",
        "salary_min": "Salary from {:,}",
        "posted_within": "Posted in the last {} days",
        "company": "Company {}",
    }
    for name, label in simple.items():
        value = filterset.value(name)
        if value:
            active.append((label.format(value), _query_without(data, name)))
    return active


__all__ = ["SORTS", "FacetOption", "PageInfo", "SearchResult", "search_roles"]

"""Pages of a search: by relevance from the sample, or in the newest / highest-salary order by
page number (offset) or by cursor (keyset), with the links to the pages either side."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from operator import itemgetter

from django.db.models import Case, F, Prefetch, Q, QuerySet, Value, When
from django.http import QueryDict
from django.utils.dateparse import parse_datetime

from opportunities.models import SALARY_TOP, Role, RoleSkill
from opportunities.search.cards import RoleCard, role_cards
from opportunities.search.results import PageInfo
from opportunities.search.samples import PK, RANK, Row

# Deepest OFFSET a page number may ask for; further pages are reached with Next (keyset).
MAX_OFFSET = 10_000
CURSOR_PARAMS = ("after", "before")

Roles = list[Role] | list[RoleCard]


@dataclass(frozen=True, slots=True)
class PageRequest:
    """A page of the newest or highest-salary order, as asked for."""

    queryset: QuerySet  # the whole search
    sort: str  # "newest" or "salary"
    params: QueryDict  # the page's query parameters: its cursor, and the base of its links
    number: int  # the page number asked for
    size: int
    count: int  # the search's count...
    count_is_estimate: bool  # ...and whether it is the planner's estimate
    newest: list[Row] | None = None  # the search's sample when it is in the page's order
    sample_limit: int = 0  # the rows a full sample holds (it may hold one more)
    cards: bool = False  # RoleCards instead of Role instances


@dataclass(frozen=True, slots=True)
class Page:
    roles: Roles
    info: PageInfo
    messages: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class _Ids:
    """The ids of a page's roles, in order, and where the page turned out to be."""

    pks: list[int]
    number: int
    has_next: bool
    has_previous: bool
    messages: tuple[str, ...] = ()


def query_without(params: QueryDict, *drop: str, **changes: str | None) -> str:
    """The query string without `drop`, the page and cursors, with `changes` set."""
    data = params.copy()
    for key in (*drop, "page", *CURSOR_PARAMS):
        data.pop(key, None)
    for key, value in changes.items():
        if value is not None:
            data[key] = value
    return data.urlencode()


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


def page_roles(pks: list[int], extra: QuerySet | None = None, *, cards: bool = False) -> Roles:
    """The roles with these ids, in this order, with what a card shows."""
    if not pks:
        return []
    if cards:
        return role_cards(pks, using=extra.db if extra is not None else "default")
    rows = _card_queryset(extra if extra is not None else Role.objects.all()).filter(pk__in=pks)
    by_id = {role.pk: role for role in rows}
    return [by_id[pk] for pk in pks if pk in by_id]


def relevance_page(
    params: QueryDict, sample: list[Row], *, limit: int, number: int, size: int, cards: bool
) -> Page:
    """A page of the sample's first `limit` rows, best rank first."""
    # The sample is newest first and the sort is stable: equal ranks stay newest first.
    candidates = sorted(sample[:limit], key=itemgetter(RANK), reverse=True)
    pages = max(1, math.ceil(len(candidates) / size))
    messages: tuple[str, ...] = ()
    if number > pages:
        messages = (f"Page {number} doesn't exist; showing the last page.",)
        number = pages
    offset = (number - 1) * size
    roles = page_roles([row[PK] for row in candidates[offset : offset + size]], cards=cards)
    has_next, has_previous = number < pages, number > 1
    info = PageInfo(
        number=number,
        size=size,
        has_next=has_next,
        has_previous=has_previous,
        next_query=query_without(params, page=str(number + 1)) if has_next else "",
        previous_query=query_without(params, page=str(number - 1)) if has_previous else "",
        total_pages=pages,
        is_last=not has_next,
    )
    return Page(roles, info, messages)


def _sort_key(sort: str) -> str:
    return "salary_top" if sort == "salary" else "posted_at"


def _annotate_key(queryset: QuerySet, sort: str) -> QuerySet:
    if sort == "salary":
        return queryset.annotate(salary_top=SALARY_TOP)
    return queryset


def _ordered(queryset: QuerySet, sort: str, *, reverse: bool = False) -> QuerySet:
    key = _sort_key(sort)
    if reverse:
        return queryset.order_by(F(key).asc(), "pk")
    return queryset.order_by(F(key).desc(), "-pk")


def _cursor(role: Role | RoleCard, key: str) -> str | None:
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


def _given_cursor(params: QueryDict, key: str) -> tuple[tuple, str] | None:
    """The page's cursor and its direction ("after" or "before"), when it has a valid one."""
    for name in CURSOR_PARAMS:
        raw = params.get(name)
        if raw:
            cursor = _parse_cursor(raw, key)
            return (cursor, name) if cursor is not None else None
    return None


def _keyset_ids(keyed: QuerySet, key: str, cursor: tuple, direction: str, request: PageRequest):
    """Ids of the rows after (or before) the cursor in the sort's order, both keys descending."""
    value, pk = cursor
    size = request.size
    if direction == "after":
        condition = Q(**{f"{key}__lt": value}) | Q(**{key: value, "pk__lt": pk})
        rows = keyed.filter(Q(**{f"{key}__lte": value}), condition)
        rows = list(rows.order_by(F(key).desc(), "-pk").values_list("pk", flat=True)[: size + 1])
        return _Ids(rows[:size], request.number, has_next=len(rows) > size, has_previous=True)
    condition = Q(**{f"{key}__gt": value}) | Q(**{key: value, "pk__gt": pk})
    rows = keyed.filter(Q(**{f"{key}__gte": value}), condition)
    rows = list(rows.order_by(F(key).asc(), "pk").values_list("pk", flat=True)[: size + 1])
    has_previous = len(rows) > size
    return _Ids(
        list(reversed(rows[:size])),
        request.number if has_previous else 1,
        has_next=True,
        has_previous=has_previous,
    )


def _offset_ids(keyed: QuerySet, request: PageRequest, total_pages: int | None) -> _Ids:
    """Ids of the page by number: from the sample when it covers the page, else an index scan;
    a page past the end (or too deep) shows the last page."""
    size, number = request.size, request.number
    last = total_pages if total_pages is not None else math.ceil(request.count / size)
    if number > last or (number - 1) * size > MAX_OFFSET:
        if number > last:
            message = f"Page {number} doesn't exist; showing the last page."
        else:
            message = (
                f"Page {number} is too deep to open directly; showing the last page. "
                "Narrow the search, or use Previous to walk back."
            )
        rows = list(_ordered(keyed, request.sort, reverse=True).values_list("pk", flat=True)[:size])
        return _Ids(list(reversed(rows)), last, False, last > 1, (message,))
    offset = (number - 1) * size
    newest = request.newest
    if newest is not None and (len(newest) <= request.sample_limit or offset + size < len(newest)):
        rows = [row[PK] for row in newest[offset : offset + size + 1]]
    else:
        rows = list(
            _ordered(keyed, request.sort).values_list("pk", flat=True)[offset : offset + size + 1]
        )
    return _Ids(rows[:size], number, has_next=len(rows) > size, has_previous=number > 1)


def sorted_page(request: PageRequest) -> Page:
    """A page of the newest / highest-salary order: keyset when a cursor is given.

    The page's ids come from the sample when it covers the page, else from an index-only scan;
    the cards are then read by id.
    """
    key = _sort_key(request.sort)
    keyed = _annotate_key(request.queryset, request.sort)
    total_pages = (
        None if request.count_is_estimate else max(1, math.ceil(request.count / request.size))
    )
    given = _given_cursor(request.params, key)
    if given is not None:
        ids = _keyset_ids(keyed, key, *given, request)
    else:
        ids = _offset_ids(keyed, request, total_pages)
    roles = page_roles(
        ids.pks, _annotate_key(Role.objects.all(), request.sort), cards=request.cards
    )
    info = PageInfo(
        number=ids.number,
        size=request.size,
        has_next=ids.has_next,
        has_previous=ids.has_previous,
        next_query=_next_query(request.params, roles, key, ids),
        previous_query=_previous_query(request.params, roles, key, ids),
        total_pages=total_pages,
        is_last=not ids.has_next,
    )
    return Page(roles, info, ids.messages)


def _next_query(params: QueryDict, roles: Roles, key: str, ids: _Ids) -> str:
    if not (roles and ids.has_next):
        return ""
    after = _cursor(roles[-1], key)
    return query_without(params, page=str(ids.number + 1), **({"after": after} if after else {}))


def _previous_query(params: QueryDict, roles: Roles, key: str, ids: _Ids) -> str:
    if not (roles and ids.has_previous):
        return ""
    # Page 2's previous page is the first: no cursor, no page number.
    before = _cursor(roles[0], key) if ids.number > 2 else None
    return query_without(
        params,
        page=str(max(1, ids.number - 1)) if ids.number > 2 else None,
        **({"before": before} if before else {}),
    )

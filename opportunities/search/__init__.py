"""Role search: one entry point, `search_roles`, used by the search page, the feeds and tests.

    search_roles(params: QueryDict | dict, *, user=None, page_size: int = 20,
                 facets: bool = True, cards: bool = False) -> SearchResult

`result.roles` are Role instances (with company, industry and skills loaded), or with
`cards=True` RoleCards: what the search page's cards print, as plain values (search/cards.py).

`params` are the page's public query parameters (q, industry, skill, skills, workplace,
worldwide, country, employment, seniority, salary_min, include_unsalaried, visa,
posted_within, company, sort, page, plus `after`/`before` cursors for keyset pages).
Invalid values never raise: they become plain-words errors on `result.form.errors[name]`
and the filter is ignored (or narrowed to its known values).
"""

from __future__ import annotations

from opportunities.search.cards import RoleCard
from opportunities.search.service import FacetOption, PageInfo, SearchResult, search_roles

__all__ = ["FacetOption", "PageInfo", "RoleCard", "SearchResult", "search_roles"]

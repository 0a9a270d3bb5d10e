"""The search page at /jobs/: a GET form, results that htmx swaps in place as filters change."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers

from opportunities.posting.stats import stats_count_search
from opportunities.search import search_roles
from opportunities.search.filters import SORTS
from opportunities.tracker.selectors import tracked_role_ids


def role_search(request: HttpRequest) -> HttpResponse:
    """Search open roles; htmx requests get the results partial only."""
    result = search_roles(request.GET, user=request.user, cards=True)
    stats_count_search(request=request, role_ids=[card.pk for card in result.roles])
    context = {
        "result": result,
        "form": result.form,
        "roles": result.roles,
        "highlighted_skills": result.highlighted_skills,
        "sorts": SORTS,
        "tracked_role_ids": tracked_role_ids(
            user=request.user, role_ids=[card.pk for card in result.roles]
        ),
    }
    if getattr(request, "htmx", False) and not request.htmx.boosted:
        response = render(request, "search/_search_results.html", context)
    else:
        response = render(request, "search/role_search.html", context)
    # The same URL serves the page and the partial: caches must keep them apart.
    patch_vary_headers(response, ["HX-Request"])
    return response

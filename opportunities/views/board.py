"""The front page."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from opportunities.models import Industry
from opportunities.search import search_roles
from opportunities.tracker.selectors import tracked_role_ids

HOME_ROLES = 20


def home(request: HttpRequest) -> HttpResponse:
    """The front page: the newest open roles, how many there are, and their industries."""
    # The unfiltered search: its newest page, and its count as the search page gives it, exact
    # up to the search's sample size and the planner's estimate above it, so the front page
    # never counts a million rows.
    result = search_roles({}, page_size=HOME_ROLES, facets=False, cards=True)
    return render(
        request,
        "catalog/home.html",
        {
            "roles": result.roles,
            "industries": Industry.objects.filter(active=True).order_by("name"),
            "open_count": result.count,
            "open_count_display": result.count_display,
            "tracked_role_ids": tracked_role_ids(
                user=request.user, role_ids=[card.pk for card in result.roles]
            ),
        },
    )

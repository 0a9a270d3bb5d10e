"""Views stay thin: read input, ask a queryset or service, render."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from opportunities.models import Industry, Role
from opportunities.search.cards import role_cards

HOME_ROLES = 20


def home(request: HttpRequest) -> HttpResponse:
    """The front page: the newest open roles and the industries they come from."""
    newest = Role.objects.open().order_by("-posted_at", "-id").values_list("pk", flat=True)
    industries = Industry.objects.filter(active=True).order_by("name")
    return render(
        request,
        "catalog/home.html",
        {
            "roles": role_cards(list(newest[:HOME_ROLES])),
            "industries": industries,
            "open_count": Role.objects.open().count(),
        },
    )

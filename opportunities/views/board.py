"""Views stay thin: read input, ask a queryset or service, render."""

from __future__ import annotations

from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ..models import Industry, Role, RoleSkill


def _role_cards(queryset):
    """Roles with what a card shows, fetched in a fixed number of queries."""
    return queryset.select_related("company", "industry").prefetch_related(
        Prefetch(
            "role_skills",
            queryset=RoleSkill.objects.select_related("skill").order_by("kind", "skill__name"),
        )
    )


def home(request: HttpRequest) -> HttpResponse:
    """The front page: the newest open roles and the industries they come from."""
    roles = _role_cards(Role.objects.open().order_by("-posted_at", "-id"))[:20]
    industries = Industry.objects.filter(active=True).order_by("name")
    return render(
        request,
        "opportunities/home.html",
        {"roles": roles, "industries": industries, "open_count": Role.objects.open().count()},
    )

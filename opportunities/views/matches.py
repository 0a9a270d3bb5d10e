"""A developer's matches and learning suggestions; a recruiter's discoverable candidates."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from opportunities.access import can_see_candidates
from opportunities.matching import selectors
from opportunities.matching.services import match_dismiss
from opportunities.models import Role
from opportunities.profiles.selectors import developer_profile_get
from opportunities.tracker.selectors import tracked_role_ids

PAGE_SIZE = 25


@login_required
@require_GET
def match_list(request: HttpRequest) -> HttpResponse:
    """/me/matches/: the developer's own ranked matches; ?show=dismissed."""
    profile = developer_profile_get(user=request.user)
    if profile is None:
        return render(request, "matching/match_list.html", {"profile": None})
    show = request.GET.get("show", "")
    if show not in selectors.MATCH_LISTS:
        show = ""
    matches = selectors.match_list(profile=profile, show=show)
    page = Paginator(matches, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "matching/match_list.html",
        {
            "profile": profile,
            "page": page,
            "matches": page.object_list,
            "show": show,
            "tracked_role_ids": tracked_role_ids(
                user=request.user, role_ids=[match.role_id for match in page.object_list]
            ),
        },
    )


def _act(request: HttpRequest, pk: int, service, field: str) -> HttpResponse:
    # Someone else's match is a 404, never a 403: its existence is private too.
    match = get_object_or_404(selectors.matches_of_user(user=request.user), pk=pk)
    service(match=match, user=request.user, **{field: request.POST.get("value", "1") == "1"})
    if request.htmx:
        return render(
            request,
            "matching/_match_card.html",
            {
                "match": match,
                "profile": match.profile,
                "tracked_role_ids": tracked_role_ids(user=request.user, role_ids=[match.role_id]),
            },
        )
    show = request.POST.get("show", "")
    url = reverse("match_list")
    return redirect(f"{url}?show={show}" if show in selectors.MATCH_LISTS and show else url)


@login_required
@require_POST
def match_dismiss_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Dismiss (value=1) or restore (value=0) one of the developer's matches."""
    return _act(request, pk, match_dismiss, "dismissed")


@login_required
@require_GET
def skills_to_learn_view(request: HttpRequest) -> HttpResponse:
    """/me/matches/skills/: missing skills that would add the most good matches."""
    profile = developer_profile_get(user=request.user)
    suggestions = selectors.skills_to_learn(profile=profile) if profile is not None else []
    return render(
        request,
        "matching/skills_to_learn.html",
        {"profile": profile, "suggestions": suggestions},
    )


@login_required
@require_GET
def role_candidates(request: HttpRequest, pk: int) -> HttpResponse:
    """/jobs/<pk>/candidates/: a recruiter's view of developers who let themselves be found."""
    role = get_object_or_404(Role.objects.select_related("company"), pk=pk)
    if not can_see_candidates(request.user, role):
        raise Http404("No such role among yours.")
    candidates = selectors.role_candidates(role=role)
    return render(request, "catalog/role_candidates.html", {"role": role, "candidates": candidates})

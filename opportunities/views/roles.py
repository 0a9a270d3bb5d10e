"""The role page and the company page."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponsePermanentRedirect,
    HttpResponseRedirect,
)
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from opportunities.access import can_view_role
from opportunities.catalog.selectors import (
    company_get,
    company_open_role_ids,
    company_other_open_count,
    role_other_sources,
    role_page_get,
    role_state,
    similar_roles,
)
from opportunities.forms import RoleReportForm
from opportunities.jsonld import country_name, job_posting, jsonld_script
from opportunities.models import Role, RoleSkill
from opportunities.posting.stats import stats_count_apply, stats_count_view
from opportunities.posting.stats_selectors import role_apply_target
from opportunities.search.cards import role_cards
from opportunities.tracker.selectors import tracked_role_ids

COMPANY_PAGE_SIZE = 20


def role_redirect(request: HttpRequest, pk: int) -> HttpResponse:
    """/jobs/<id>/ → the role's canonical address."""
    role = _viewable_role(request, pk)
    return HttpResponsePermanentRedirect((role.duplicate_of or role).get_absolute_url())


def role_detail(request: HttpRequest, pk: int, slug: str) -> HttpResponse:
    """One role, everything about it; 410 once expired or closed, 404 while unpublished."""
    role = _viewable_role(request, pk)
    if role.duplicate_of_id is not None:
        # A copy seen on another source: the posting lives at its canonical role.
        return HttpResponsePermanentRedirect(role.duplicate_of.get_absolute_url())
    if slug != (role.slug or "role"):
        return HttpResponsePermanentRedirect(role.get_absolute_url())

    context = role_page_context(request, role)
    state = context["state"]
    status = 410 if state in {"expired", "closed"} else 200
    response = render(request, "catalog/role_detail.html", context, status=status)
    stats_count_view(request=request, response=response, role=role)
    return response


def role_page_context(request: HttpRequest, role: Role, *, preview: bool = False) -> dict:
    """What the role page shows; a preview carries the JSON-LD it will have once live."""
    state = role_state(role)
    role_skills = list(role.role_skills.all())
    context = {
        "role": role,
        "state": state,
        "required_skills": [rs.skill for rs in role_skills if rs.kind == RoleSkill.Kind.REQUIRED],
        "nice_skills": [rs.skill for rs in role_skills if rs.kind == RoleSkill.Kind.NICE],
        "applicant_countries": [country_name(code) for code in role.applicant_countries],
        "country": country_name(role.country) if role.country else "",
        "also_posted_on": role_other_sources(role),
        "company_open_count": company_other_open_count(role),
        "similar_roles": similar_roles(role),
        "canonical_url": request.build_absolute_uri(role.get_absolute_url()),
        "jsonld": "",
        "preview": preview,
        # Signed-in people may report a live role; the form costs no query.
        "report_form": RoleReportForm() if state == "open" and not preview else None,
        "trackable": request.user.is_authenticated and state != "unpublished" and not preview,
        "tracked_url": reverse("tracker_board")
        if not preview and tracked_role_ids(user=request.user, role_ids=[role.pk])
        else "",
    }
    if state == "open" or preview:
        # Only a live posting is offered to job search engines; a preview shows what will be.
        context["jsonld"] = jsonld_script(job_posting(role, url=context["canonical_url"]))
    return context


class _ApplyRedirect(HttpResponseRedirect):
    # A role's apply target is a web page or an e-mail address, nothing else.
    allowed_schemes = ["http", "https", "mailto"]


@require_GET
def role_apply(request: HttpRequest, pk: int) -> HttpResponse:
    """/jobs/<id>/apply/: count the click, then go to this role's own apply link or address.

    The target is only ever the role's stored apply_url or apply_email (no parameter names
    it, so this is no open redirect); a role without one, expired or closed, or not visible to
    this user, is 404.
    """
    role = _viewable_role(request, pk)
    # An expired or closed role takes no more applications (its page shows no button).
    target = "" if role_state(role) in {"expired", "closed"} else role_apply_target(role=role)
    if not target:
        raise Http404("This role takes no applications here.")
    response = _ApplyRedirect(target)
    # Search engines should neither index nor follow the redirect.
    response["X-Robots-Tag"] = "noindex, nofollow"
    stats_count_apply(request=request, response=response, role=role)
    return response


def company_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """A company and its open roles, newest first, a page at a time."""
    company = company_get(slug=slug)
    if company is None:
        raise Http404("No company here.")
    # The paginator pages through ids only; cards are read for the shown page's ids, so a page
    # costs the same few queries however many roles the company has.
    page = Paginator(company_open_role_ids(company), COMPANY_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    roles = role_cards(list(page.object_list))
    return render(
        request,
        "catalog/company_detail.html",
        {
            "company": company,
            "page": page,
            "roles": roles,
            "tracked_role_ids": tracked_role_ids(
                user=request.user, role_ids=[card.pk for card in roles]
            ),
        },
    )


def _viewable_role(request: HttpRequest, pk: int) -> Role:
    role = role_page_get(pk=pk)
    if role is None or not can_view_role(request.user, role):
        raise Http404("No role here.")
    return role

"""Curators' pages at /moderation/: the queue, one role's decision, what is live, companies."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from opportunities import access
from opportunities.catalog.selectors import role_detail_get
from opportunities.catalog.services import company_verify
from opportunities.models import Company, Role
from opportunities.posting import selectors
from opportunities.posting.advice import writing_advice
from opportunities.posting.forms import CompanyTrustForm, DecisionForm
from opportunities.posting.services import (
    company_trust_set,
    role_approve,
    role_reject,
    role_send_back,
    role_take_down,
)
from opportunities.posting.trust import trust_flags
from opportunities.views.roles import role_page_context


def curator_required(view: Callable) -> Callable:
    """Curators only; anyone else signed in gets a 404, as for any page they may not see."""

    @wraps(view)
    @login_required
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not access.is_curator(request.user):
            raise Http404("Nothing here.")
        return view(request, *args, **kwargs)

    return wrapped


@curator_required
def moderation_queue(request: HttpRequest) -> HttpResponse:
    return render(request, "moderation/queue.html", {"roles": selectors.moderation_queue()})


@curator_required
def moderation_live(request: HttpRequest) -> HttpResponse:
    return render(request, "moderation/live.html", {"roles": selectors.live_roles()[:200]})


@curator_required
@require_http_methods(["GET", "POST"])
def moderation_role(request: HttpRequest, pk: int) -> HttpResponse:
    """One role as it will appear, with its writing help and trust flags, and the decision."""
    role = role_detail_get(pk=pk)
    if role is None or role.origin != Role.Origin.RECRUITER:
        raise Http404("No role here.")
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        decision, note = form.cleaned_data["decision"], form.cleaned_data["note"]
        try:
            if decision == "approve":
                role_approve(role=role, by=request.user)
            elif decision == "reject":
                role_reject(
                    role=role, by=request.user, reason=note, code=form.cleaned_data["reason"]
                )
            elif decision == "close":
                role_take_down(role=role, by=request.user, note=note)
            else:
                role_send_back(role=role, by=request.user, note=note)
        except ValueError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"Done: “{role.title}” — the recruiter has been told.")
            return redirect("moderation_queue")
    context = role_page_context(request, role, preview=True)
    context.update(
        {
            "form": form,
            "advice": writing_advice(selectors.role_draft_of(role)),
            "flags": trust_flags(role),
            "moderating": True,
        }
    )
    return render(request, "moderation/role.html", context, status=400 if form.is_bound else 200)


@curator_required
def moderation_companies(request: HttpRequest) -> HttpResponse:
    companies = [
        (company, selectors.company_evidence(company))
        for company in selectors.companies_for_review()[:100]
    ]
    return render(request, "moderation/companies.html", {"companies": companies})


@curator_required
@require_POST
def moderation_company(request: HttpRequest, pk: int) -> HttpResponse:
    company = Company.objects.filter(pk=pk).first()
    form = CompanyTrustForm(request.POST)
    if company is None:
        raise Http404("No company here.")
    if not form.is_valid():
        messages.error(request, "Pick what to do with the company.")
        return redirect("moderation_companies")
    action = form.cleaned_data["action"]
    try:
        if action == "verify":
            company_verify(company=company, by=request.user)
        else:
            company_trust_set(
                company=company, by=request.user, publish_without_review=action == "trust"
            )
    except ValueError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"{company.name} updated.")
    return redirect("moderation_companies")

"""Recruiters' pages at /hiring/: their roles, their companies, writing and previewing roles.

Each view finds its company or role through opportunities.access (another company's is a
404), parses one form and calls one posting service.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from opportunities import access
from opportunities.catalog.selectors import role_detail_get
from opportunities.models import Company, Role
from opportunities.posting import selectors
from opportunities.posting.advice import writing_advice
from opportunities.posting.forms import (
    CloseForm,
    CompanyForm,
    InviteForm,
    JoinForm,
    RoleForm,
    RoleSkillFormSet,
)
from opportunities.posting.lifecycle import Actor, actions_from
from opportunities.posting.services import (
    company_edit,
    company_found,
    company_invite,
    company_invite_accept,
    company_invite_read,
    company_member_remove,
    join_request_create,
    join_request_decide,
    role_close,
    role_draft_create,
    role_duplicate,
    role_edit,
    role_renew,
    role_submit,
    role_withdraw,
)
from opportunities.posting.stats_selectors import role_stats_list
from opportunities.profiles.selectors import skill_names
from opportunities.tracker.selectors import tracking_count
from opportunities.views.roles import role_page_context

SKILLS_PREFIX = "skills"  # the skill autocomplete reads inputs named skills-N-skill


def _member_company(request: HttpRequest, slug: str) -> Company:
    company = access.companies_of(request.user).filter(slug=slug).first()
    if company is None:
        raise Http404("No company here.")
    return company


def _owned_company(request: HttpRequest, slug: str) -> Company:
    company = access.owned_companies(request.user).filter(slug=slug).first()
    if company is None:
        raise Http404("No company here.")
    return company


def _editable_role(request: HttpRequest, pk: int) -> Role:
    role = access.editable_roles(request.user).filter(pk=pk).first()
    if role is None:
        raise Http404("No role here.")
    return role


@login_required
def hiring_home(request: HttpRequest) -> HttpResponse:
    """/hiring/: the recruiter's roles grouped by status, and their companies."""
    companies = list(access.companies_of(request.user))
    roles = access.editable_roles(request.user)
    # Each role's last 30 days in figures, and how many developers track it (never who).
    stats = {entry.role.pk: entry for entry in role_stats_list(roles=roles)}
    tracking = tracking_count(stats.keys())
    for entry in stats.values():
        entry.tracking = tracking.get(entry.role.pk, 0)
    groups = selectors.roles_by_status(roles)
    for _, _, listed in groups:
        for role in listed:
            role.figures = stats.get(role.pk)
    return render(
        request,
        "posting/hiring_home.html",
        {
            "companies": companies,
            "owned": set(access.owned_companies(request.user).values_list("pk", flat=True)),
            "groups": groups,
            "join_requests": selectors.user_join_requests(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def hiring_start(request: HttpRequest) -> HttpResponse:
    """Create a company (and own it) or ask to join one."""
    which = request.POST.get("which") if request.method == "POST" else None
    company_form = CompanyForm(request.POST if which == "create" else None, prefix="company")
    join_form = JoinForm(request.POST if which == "join" else None, prefix="join")
    if which == "create" and company_form.is_valid():
        company = company_found(by=request.user, **company_form.cleaned_data)
        messages.success(request, f"{company.name} is set up, and you are its owner.")
        return redirect("posting_role_new", slug=company.slug)
    if which == "join" and join_form.is_valid():
        company = selectors.company_by_name(join_form.cleaned_data["company"])
        if company is None:
            join_form.add_error("company", "No company by that name; check it or create it.")
        else:
            try:
                join_request_create(
                    user=request.user, company=company, message=join_form.cleaned_data["message"]
                )
            except ValueError as error:
                join_form.add_error("company", str(error))
            else:
                messages.success(
                    request, f"We asked {company.name}'s owners; you will hear by e-mail."
                )
                return redirect("hiring_home")
    return render(
        request,
        "posting/hiring_start.html",
        {"company_form": company_form, "join_form": join_form},
    )


@login_required
@require_http_methods(["GET", "POST"])
def company_manage(request: HttpRequest, slug: str) -> HttpResponse:
    """A company's members and requests; its owners edit it, invite, approve and remove."""
    company = _member_company(request, slug)
    is_owner = access.is_company_owner(request.user, company.pk)
    form = CompanyForm(
        request.POST if request.method == "POST" else None,
        initial={
            "name": company.name,
            "website": company.website,
            "description": company.description,
            "logo_url": company.logo_url,
        },
        prefix="company",
    )
    if request.method == "POST":
        if not is_owner:
            raise Http404("No company here.")
        if form.is_valid():
            company_edit(company=company, data=form.cleaned_data)
            messages.success(request, "Company details saved.")
            return redirect("posting_company", slug=company.slug)
    return render(
        request,
        "posting/company_manage.html",
        {
            "company": company,
            "is_owner": is_owner,
            "form": form,
            "invite_form": InviteForm(),
            "members": selectors.company_members(company),
            "join_requests": selectors.pending_join_requests(company) if is_owner else [],
        },
    )


@login_required
@require_POST
def company_invite_send(request: HttpRequest, slug: str) -> HttpResponse:
    company = _owned_company(request, slug)
    form = InviteForm(request.POST)
    if form.is_valid():
        company_invite(company=company, email=form.cleaned_data["email"], by=request.user)
        messages.success(request, f"Invitation sent to {form.cleaned_data['email']}.")
    else:
        messages.error(request, "Give a valid e-mail address to invite.")
    return redirect("posting_company", slug=company.slug)


@login_required
@require_POST
def company_member_remove_view(request: HttpRequest, slug: str, user_id: int) -> HttpResponse:
    company = _owned_company(request, slug)
    try:
        company_member_remove(company=company, user_id=user_id, by=request.user)
    except ValueError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Removed from the company.")
    return redirect("posting_company", slug=company.slug)


@login_required
@require_POST
def join_request_decide_view(request: HttpRequest, pk: int) -> HttpResponse:
    join_request = access.join_requests_decidable_by(request.user).filter(pk=pk).first()
    if join_request is None:
        raise Http404("No request here.")
    approve = request.POST.get("decision") == "approve"
    try:
        join_request_decide(request=join_request, by=request.user, approve=approve)
    except ValueError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Approved." if approve else "Declined.")
    return redirect("posting_company", slug=join_request.company.slug)


@login_required
@require_http_methods(["GET", "POST"])
def invite_accept(request: HttpRequest, token: str) -> HttpResponse:
    """The e-mailed invitation: a button, so a mail scanner's GET changes nothing."""
    try:
        company, email = company_invite_read(token=token)
    except ValueError as error:
        return render(request, "posting/invite.html", {"error": str(error)}, status=400)
    if request.method == "POST":
        try:
            company_invite_accept(token=token, user=request.user)
        except ValueError as error:
            return render(request, "posting/invite.html", {"error": str(error)}, status=400)
        messages.success(request, f"You now recruit for {company.name}.")
        return redirect("hiring_home")
    return render(request, "posting/invite.html", {"company": company, "email": email})


def _role_initial(role: Role) -> tuple[dict, list[dict]]:
    fields = {
        name: getattr(role, name)
        for name in RoleForm.base_fields
        if name not in {"industry", "applicant_regions"}
    }
    fields["industry"] = role.industry_id
    fields["applicant_regions"] = ", ".join(role.applicant_regions)
    skills = [
        {"skill": rs.skill.name, "kind": rs.kind}
        for rs in role.role_skills.select_related("skill").order_by("kind", "skill__name")
    ]
    return fields, skills


def _role_form_page(request: HttpRequest, *, company: Company, role: Role | None) -> HttpResponse:
    if request.method == "POST":
        form = RoleForm(request.POST)
        formset = RoleSkillFormSet(request.POST, prefix=SKILLS_PREFIX)
        if form.is_valid() and formset.is_valid():
            return _role_save(request, company=company, role=role, form=form, formset=formset)
    elif role is None:
        form, formset = RoleForm(), RoleSkillFormSet(prefix=SKILLS_PREFIX)
    else:
        initial, skills = _role_initial(role)
        form = RoleForm(initial=initial)
        formset = RoleSkillFormSet(initial=skills, prefix=SKILLS_PREFIX)
    advice = writing_advice(
        selectors.role_draft_of(
            form.data if form.is_bound else (role or form.initial),
            company=company,
            role=role,
            skills_prefix=SKILLS_PREFIX,
        )
    )
    return render(
        request,
        "posting/role_form.html",
        {
            "company": company,
            "role": role,
            "form": form,
            "formset": formset,
            "advice": advice,
            "skill_options": skill_names(),
        },
        status=400 if form.is_bound else 200,
    )


def _role_save(request, *, company, role, form, formset) -> HttpResponse:
    data, skills = form.cleaned_data, formset.skills
    if role is None:
        role = role_draft_create(company=company, by=request.user, data=data, skills=skills)
        messages.success(request, "Draft saved.")
    else:
        try:
            role, back_to_review = role_edit(role=role, by=request.user, data=data, skills=skills)
        except ValueError as error:
            messages.error(request, str(error))
            return redirect("hiring_home")
        messages.success(
            request,
            "Saved. The changes go to a curator before they are live again."
            if back_to_review
            else "Saved.",
        )
    if "submit" in request.POST and role.status == Role.Status.DRAFT:
        return _submit(request, role)
    if "preview" in request.POST:
        return redirect("posting_role_preview", pk=role.pk)
    return redirect("posting_role_edit", pk=role.pk)


def _submit(request: HttpRequest, role: Role) -> HttpResponse:
    try:
        role = role_submit(role=role, by=request.user)
    except ValueError as error:
        messages.error(request, str(error))
        return redirect("posting_role_edit", pk=role.pk)
    if role.status == Role.Status.PUBLISHED:
        messages.success(request, f"“{role.title}” is published.")
    else:
        messages.success(
            request, f"“{role.title}” is waiting for a curator; you will hear by e-mail."
        )
    return redirect("hiring_home")


@login_required
@require_http_methods(["GET", "POST"])
def role_new(request: HttpRequest, slug: str) -> HttpResponse:
    company = _member_company(request, slug)
    return _role_form_page(request, company=company, role=None)


@login_required
@require_http_methods(["GET", "POST"])
def role_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    role = _editable_role(request, pk)
    if role.status == Role.Status.CLOSED:
        messages.error(request, "A closed role cannot be edited; duplicate it instead.")
        return redirect("hiring_home")
    return _role_form_page(request, company=role.company, role=role)


@login_required
@require_POST
def role_advice(request: HttpRequest) -> HttpResponse:
    """The writing-help panel for the form's current text (htmx, as the recruiter types)."""
    if not access.is_recruiter(request.user):
        raise Http404("Nothing here.")
    # The company the form is for, among the user's own (it only informs the advice).
    company = (
        access.companies_of(request.user)
        .filter(slug=request.POST.get("advice_company", ""))
        .first()
    )
    draft = selectors.role_draft_of(request.POST, company=company, skills_prefix=SKILLS_PREFIX)
    return render(request, "posting/_notes.html", {"notes": writing_advice(draft)})


@login_required
def role_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """The role exactly as developers will see it, under a preview banner."""
    _editable_role(request, pk)
    role = role_detail_get(pk=pk)
    context = role_page_context(request, role, preview=True)
    context["advice"] = writing_advice(selectors.role_draft_of(role))
    context["actions"] = actions_from(role.status, Actor.RECRUITER)
    return render(request, "catalog/role_detail.html", context)


@login_required
@require_POST
def role_submit_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _submit(request, _editable_role(request, pk))


@login_required
@require_POST
def role_withdraw_view(request: HttpRequest, pk: int) -> HttpResponse:
    role = _editable_role(request, pk)
    try:
        role_withdraw(role=role, by=request.user)
    except ValueError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"“{role.title}” is a draft again.")
    return redirect("hiring_home")


@login_required
@require_http_methods(["GET", "POST"])
def role_close_view(request: HttpRequest, pk: int) -> HttpResponse:
    role = _editable_role(request, pk)
    form = CloseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            role_close(role=role, by=request.user, filled=form.cleaned_data["filled"])
        except ValueError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"“{role.title}” is closed.")
        return redirect("hiring_home")
    return render(request, "posting/role_close.html", {"role": role, "form": form})


@login_required
@require_POST
def role_renew_view(request: HttpRequest, pk: int) -> HttpResponse:
    role = _editable_role(request, pk)
    try:
        role = role_renew(role=role, by=request.user)
    except ValueError as error:
        messages.error(request, str(error))
    else:
        if role.status == Role.Status.PENDING:
            messages.success(request, f"“{role.title}” is back in the queue for review.")
        else:
            messages.success(request, f"“{role.title}” now runs until {role.expires_at:%-d %B %Y}.")
    return redirect("hiring_home")


@login_required
@require_POST
def role_duplicate_view(request: HttpRequest, pk: int) -> HttpResponse:
    role = _editable_role(request, pk)
    copy = role_duplicate(role=role, by=request.user)
    messages.success(request, "A copy is ready as a draft.")
    return redirect("posting_role_edit", pk=copy.pk)

"""The developer's own profile, and skill suggestions for its autocomplete."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from opportunities.forms import ProfileForm, SkillFormSet
from opportunities.models import DeveloperProfile
from opportunities.profiles import selectors
from opportunities.profiles.services import profile_update

SUGGESTIONS = 20


@login_required
@require_http_methods(["GET", "POST"])
def profile_edit(request: HttpRequest) -> HttpResponse:
    """/me/profile/: only ever the logged-in user's own profile; there is no other view of it."""
    profile = selectors.developer_profile_for_edit(user=request.user)
    if request.method == "POST":
        form = ProfileForm(request.POST)
        formset = SkillFormSet(request.POST, prefix="skills")
        if form.is_valid() and formset.is_valid():
            profile_update(user=request.user, skills=formset.skills, **form.cleaned_data)
            messages.success(request, "Your profile is saved. Your matches are being updated.")
            return redirect("profile_edit")
    else:
        form = ProfileForm(initial=_profile_initial(profile))
        formset = SkillFormSet(initial=_skills_initial(profile), prefix="skills")
    return render(
        request,
        "profiles/profile_form.html",
        {
            "form": form,
            "formset": formset,
            "profile": profile,
            "skill_options": selectors.skill_names(),
        },
    )


@require_GET
def skill_autocomplete(request: HttpRequest) -> HttpResponse:
    """Skills whose name or alias contains ?q= (or the profile form's skill input, as htmx
    sends it): JSON, or the <option>s of the form's <datalist> for htmx."""
    text = request.GET.get("q") or _typed_skill(request)
    text = text.strip()[:100]
    skills = selectors.skill_suggestions(text=text, limit=SUGGESTIONS)
    if request.htmx:
        return render(request, "profiles/_skill_options.html", {"skills": skills})
    return JsonResponse({"results": [{"id": s.pk, "name": s.name, "slug": s.slug} for s in skills]})


def _profile_initial(profile: DeveloperProfile | None) -> dict:
    if profile is None:
        return {
            "workplace_preference": "hybrid_ok",
            "needs_worldwide": "false",
            "salary_currency": "USD",
        }
    return {
        "display_name": profile.display_name,
        "headline": profile.headline,
        "industries": list(profile.industries.all()),
        "workplace_preference": profile.workplace_preference,
        "needs_worldwide": "true" if profile.needs_worldwide else "false",
        "city": profile.city,
        "country": profile.country,
        "timezone": profile.timezone,
        "salary_floor": profile.salary_floor,
        "salary_currency": profile.salary_currency or "USD",
        "seniority": profile.seniority,
        "discoverable": profile.discoverable,
    }


def _skills_initial(profile: DeveloperProfile | None) -> list[dict]:
    if profile is None:
        return []
    rows = sorted(profile.profile_skills.all(), key=lambda ps: ps.skill.name.lower())
    return [{"skill": ps.skill.name, "level": ps.level, "years": ps.years} for ps in rows]


def _typed_skill(request: HttpRequest) -> str:
    """The value of a skill row's input ("skills-3-skill"), which htmx sends under its name."""
    for name, value in request.GET.items():
        if name.startswith("skills-") and name.endswith("-skill"):
            return value
    return ""

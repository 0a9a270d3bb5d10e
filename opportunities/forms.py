"""Forms that parse a developer's input: the profile and its skills, alerts, role reports."""

from __future__ import annotations

import zoneinfo
from functools import cache

import pycountry
from django import forms
from django.db.models.functions import Lower

from opportunities.models import (
    AlertFrequency,
    Industry,
    RoleReport,
    Seniority,
    Skill,
    SkillAlias,
    SkillLevel,
    WorkplacePreference,
)
from opportunities.models.reports import REPORT_DETAILS_MAX

MAX_SKILLS = 40
EXTRA_SKILL_ROWS = 3


@cache
def country_choices() -> list[tuple[str, str]]:
    countries = sorted(pycountry.countries, key=lambda c: getattr(c, "common_name", c.name))
    return [("", "—")] + [(c.alpha_2, getattr(c, "common_name", c.name)) for c in countries]


@cache
def currency_choices() -> list[tuple[str, str]]:
    currencies = sorted(pycountry.currencies, key=lambda c: c.alpha_3)
    return [(c.alpha_3, f"{c.alpha_3} — {c.name}") for c in currencies]


@cache
def timezone_choices() -> list[tuple[str, str]]:
    names = sorted(zoneinfo.available_timezones() - {"localtime", "Factory"})
    return [("", "—")] + [(name, name.replace("_", " ")) for name in names]


class ProfileForm(forms.Form):
    """Everything on the profile except its skills."""

    display_name = forms.CharField(
        max_length=80,
        required=False,
        label="Name shown to recruiters",
        help_text="Any name you like, or leave it empty to appear as “Candidate” and a "
        "number. Recruiters never see your e-mail address or username.",
    )
    headline = forms.CharField(
        max_length=200,
        required=False,
        help_text="One line about what you do, e.g. “Applied ML engineer building RAG for "
        "clinicians”.",
    )
    industries = forms.ModelMultipleChoiceField(
        queryset=Industry.objects.filter(active=True).order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Industries you would like to work in",
        help_text="Leave all unticked if any industry is fine.",
    )
    workplace_preference = forms.ChoiceField(
        choices=WorkplacePreference.choices,
        widget=forms.RadioSelect,
        label="Where you want to work",
    )
    needs_worldwide = forms.TypedChoiceField(
        choices=[
            ("false", "Roles open to people in my country are fine"),
            ("true", "Only remote roles open to applicants anywhere in the world"),
        ],
        coerce=lambda value: value == "true",
        widget=forms.RadioSelect,
        label="Which remote roles you can take",
    )
    city = forms.CharField(max_length=100, required=False)
    country = forms.ChoiceField(choices=country_choices, required=False)
    timezone = forms.ChoiceField(choices=timezone_choices, required=False, label="Time zone")
    salary_floor = forms.IntegerField(
        min_value=0,
        max_value=10_000_000,
        required=False,
        label="Lowest yearly salary you would take",
        help_text="Roles that pay less are left out of your matches. Leave empty for no floor.",
    )
    salary_currency = forms.ChoiceField(choices=currency_choices, label="Currency")
    seniority = forms.ChoiceField(
        choices=[("", "—"), *Seniority.choices], required=False, label="Your level"
    )
    discoverable = forms.BooleanField(
        required=False,
        label="Let recruiters find me",
        help_text="Off: nobody but you sees your profile. On: recruiters with a role that "
        "matches you see your headline, skills and how well you match that role, so they can "
        "invite you to apply. Your e-mail address is never shown. You can turn it off at any "
        "time.",
    )


class SkillRowForm(forms.Form):
    """One skill on the profile: typed (with suggestions), with a level and years."""

    skill = forms.CharField(
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"list": "skill-options", "autocomplete": "off"}),
    )
    level = forms.ChoiceField(choices=SkillLevel.choices, initial=SkillLevel.WORKING)
    years = forms.IntegerField(min_value=0, max_value=60, initial=0, required=False)


class BaseSkillFormSet(forms.BaseFormSet):
    """Resolves typed names (or aliases) to taxonomy skills; refuses unknown and repeated ones."""

    def clean(self) -> None:
        if any(self.errors):
            return
        rows = [
            form.cleaned_data
            for form in self.forms
            if form.cleaned_data.get("skill") and not form.cleaned_data.get("DELETE")
        ]
        resolved = resolve_skill_names([row["skill"] for row in rows])
        self.skills: list[tuple[Skill, str, int]] = []
        seen: set[int] = set()
        errors = []
        for row in rows:
            skill = resolved.get(row["skill"].strip().lower())
            if skill is None:
                errors.append(
                    f"We do not know the skill “{row['skill']}”. Pick one from the suggestions."
                )
                continue
            if skill.pk in seen:
                errors.append(f"{skill.name} is listed twice; keep one row.")
                continue
            seen.add(skill.pk)
            self.skills.append((skill, row["level"], row.get("years") or 0))
        if len(self.skills) > MAX_SKILLS:
            errors.append(f"List at most {MAX_SKILLS} skills.")
        if errors:
            raise forms.ValidationError(errors)


SkillFormSet = forms.formset_factory(
    SkillRowForm,
    formset=BaseSkillFormSet,
    extra=EXTRA_SKILL_ROWS,
    can_delete=True,
    max_num=MAX_SKILLS,
    absolute_max=MAX_SKILLS + EXTRA_SKILL_ROWS,
)


def resolve_skill_names(names: list[str]) -> dict[str, Skill]:
    """Lower-cased typed name → active skill, by name first and then by alias."""
    wanted = {name.strip().lower() for name in names if name.strip()}
    if not wanted:
        return {}
    found: dict[str, Skill] = {
        skill.lname: skill
        for skill in Skill.objects.active().annotate(lname=Lower("name")).filter(lname__in=wanted)
    }
    missing = wanted - found.keys()
    if missing:
        aliases = (
            SkillAlias.objects.annotate(lname=Lower("name"))
            .filter(lname__in=missing)
            .select_related("skill__merged_into")
        )
        for alias in aliases:
            skill = alias.skill.merged_into or alias.skill
            if skill.active:
                found[alias.lname] = skill
    return found


class SavedSearchForm(forms.Form):
    """A name and a frequency, for a new or existing saved search."""

    name = forms.CharField(max_length=100)
    frequency = forms.ChoiceField(choices=AlertFrequency.choices, initial=AlertFrequency.DAILY)


class SavedSearchCreateForm(SavedSearchForm):
    """Saving the search page's current query string under a name."""

    name = forms.CharField(max_length=100, required=False)
    query = forms.CharField(max_length=2000, required=False)
    frequency = forms.ChoiceField(choices=AlertFrequency.choices, required=False)

    def clean_frequency(self) -> str:
        return self.cleaned_data["frequency"] or AlertFrequency.DAILY


class MatchAlertForm(forms.Form):
    """How often to hear about new matches, and from what score."""

    match_frequency = forms.ChoiceField(
        choices=AlertFrequency.choices, label="New matches for my profile"
    )
    min_score = forms.IntegerField(
        min_value=0, max_value=100, label="Only matches scoring at least", help_text="0 to 100."
    )


class RoleReportForm(forms.Form):
    """Why a developer reports a role, with anything they want the curators to know."""

    reason = forms.ChoiceField(
        choices=RoleReport.Reason.choices,
        widget=forms.RadioSelect,
        label="What is wrong with this role?",
        error_messages={"required": "Choose what is wrong with the role."},
    )
    details = forms.CharField(
        required=False,
        max_length=REPORT_DETAILS_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Details (optional)",
        help_text="What you noticed, for the curators. Recruiters do not see who reported.",
    )

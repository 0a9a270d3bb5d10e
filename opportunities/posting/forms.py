"""The posting pages' forms: a company, a role with its skills, and the curators' decision.

Fields that decide access (company, status, creator, verified) are never among them: the
views take those from the URL and the signed-in user.
"""

from __future__ import annotations

from functools import cache

import pycountry
from django import forms
from django.conf import settings

from opportunities.models import (
    EmploymentType,
    Industry,
    RoleSkill,
    SalaryPeriod,
    Seniority,
    Skill,
    Workplace,
)
from opportunities.posting.selectors import skills_resolve
from opportunities.posting.services import REJECT_REASONS

MAX_ROLE_SKILLS = 30
EXTRA_SKILL_ROWS = 4


@cache
def _countries() -> list[tuple[str, str]]:
    countries = sorted(pycountry.countries, key=lambda c: getattr(c, "common_name", c.name))
    return [(c.alpha_2, getattr(c, "common_name", c.name)) for c in countries]


@cache
def _currencies() -> list[tuple[str, str]]:
    return [("", "—")] + [
        (c.alpha_3, f"{c.alpha_3} — {c.name}")
        for c in sorted(pycountry.currencies, key=lambda c: c.alpha_3)
    ]


def _country_choices() -> list[tuple[str, str]]:
    return [("", "—"), *_countries()]


class CompanyForm(forms.Form):
    name = forms.CharField(max_length=200, label="Company name")
    website = forms.URLField(
        required=False,
        assume_scheme="https",
        help_text="Its own site. Curators verify a company whose recruiters' e-mail "
        "addresses share its domain.",
    )
    description = forms.CharField(
        required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )
    logo_url = forms.URLField(
        required=False,
        assume_scheme="https",
        max_length=500,
        label="Logo address",
        help_text="A link to your logo image (PNG or SVG) on your own site.",
    )


class JoinForm(forms.Form):
    company = forms.CharField(
        max_length=200, label="Company name", help_text="As it appears on the board."
    )
    message = forms.CharField(
        required=False,
        max_length=500,
        label="A note for its owners",
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class InviteForm(forms.Form):
    email = forms.EmailField(label="Their work e-mail address")


class CloseForm(forms.Form):
    filled = forms.TypedChoiceField(
        choices=[("yes", "Yes, we hired someone"), ("no", "No, we stopped looking")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        label="Was the role filled?",
    )


class RoleForm(forms.Form):
    """Everything a role says except its skills (the formset below) and its company."""

    title = forms.CharField(max_length=200)
    industry = forms.ModelChoiceField(
        queryset=Industry.objects.filter(active=True).order_by("name"), required=False
    )
    description_markdown = forms.CharField(
        label="Description",
        max_length=50_000,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text="Markdown: **bold**, *italic*, lists with “- ”, headings with “## ”. "
        "HTML is shown as text.",
    )
    workplace = forms.ChoiceField(choices=Workplace.choices, initial=Workplace.REMOTE)
    worldwide = forms.BooleanField(
        required=False, label="Remote and open to applicants anywhere in the world"
    )
    city = forms.CharField(max_length=100, required=False)
    region = forms.CharField(max_length=100, required=False, label="State or region")
    country = forms.ChoiceField(choices=_country_choices, required=False)
    applicant_countries = forms.MultipleChoiceField(
        choices=_countries,
        required=False,
        label="Countries applicants may live in",
        help_text="For a remote role not open worldwide. Hold Ctrl (⌘ on a Mac) to pick several.",
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    applicant_regions = forms.CharField(
        max_length=300,
        required=False,
        label="Regions applicants may live in",
        help_text="Separated by commas, e.g. “EMEA, North America”.",
    )
    applicant_timezones = forms.CharField(
        max_length=200, required=False, label="Time zones", help_text="e.g. “UTC-5 to UTC+2”."
    )
    visa_sponsorship = forms.BooleanField(required=False, label="We sponsor visas")
    employment_type = forms.ChoiceField(
        choices=EmploymentType.choices, initial=EmploymentType.FULL_TIME
    )
    seniority = forms.ChoiceField(choices=[("", "—"), *Seniority.choices], required=False)
    salary_min = forms.IntegerField(
        min_value=0, max_value=100_000_000, required=False, label="Lowest"
    )
    salary_max = forms.IntegerField(
        min_value=0, max_value=100_000_000, required=False, label="Highest"
    )
    salary_currency = forms.ChoiceField(choices=_currencies, required=False, label="Currency")
    salary_period = forms.ChoiceField(
        # A recruiter always knows the period; "unknown" is only for ingested text.
        choices=[c for c in SalaryPeriod.choices if c[0] != SalaryPeriod.UNKNOWN],
        initial=SalaryPeriod.YEAR,
        label="Per",
    )
    apply_url = forms.URLField(
        max_length=2000, required=False, assume_scheme="https", label="Apply link"
    )
    apply_email = forms.EmailField(required=False, label="Or apply by e-mail to")
    posting_days = forms.IntegerField(
        min_value=1,
        max_value=settings.POSTING_DAYS_MAX,
        initial=settings.POSTING_DAYS_DEFAULT,
        label="Days to stay up once published",
        help_text=f"At most {settings.POSTING_DAYS_MAX}; you can renew it later.",
    )

    def clean_applicant_regions(self) -> list[str]:
        text = self.cleaned_data["applicant_regions"]
        return [part.strip() for part in text.split(",") if part.strip()]

    def clean(self) -> dict:
        cleaned = super().clean()
        low, high = cleaned.get("salary_min"), cleaned.get("salary_max")
        if low is not None and high is not None and low > high:
            self.add_error("salary_max", "The highest salary is below the lowest.")
        if (low is not None or high is not None) and not cleaned.get("salary_currency"):
            self.add_error("salary_currency", "Say which currency the salary is in.")
        if cleaned.get("worldwide") and cleaned.get("workplace") != Workplace.REMOTE:
            self.add_error("worldwide", "Only a remote role can be open to anyone anywhere.")
        no_route = not cleaned.get("apply_url") and not cleaned.get("apply_email")
        if no_route and "apply_url" not in self.errors and "apply_email" not in self.errors:
            self.add_error("apply_url", "Give a link or an e-mail address to apply to.")
        if cleaned.get("worldwide"):
            cleaned["applicant_countries"] = []
        return cleaned


class RoleSkillRowForm(forms.Form):
    skill = forms.CharField(
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"list": "skill-options", "autocomplete": "off"}),
    )
    kind = forms.ChoiceField(choices=RoleSkill.Kind.choices, initial=RoleSkill.Kind.REQUIRED)


class BaseRoleSkillFormSet(forms.BaseFormSet):
    """Typed names (or aliases) to taxonomy skills; unknown and repeated ones are refused."""

    def clean(self) -> None:
        self.skills: dict[Skill, str] = {}
        if any(self.errors):
            return
        rows = [
            form.cleaned_data
            for form in self.forms
            if form.cleaned_data.get("skill") and not form.cleaned_data.get("DELETE")
        ]
        resolved = skills_resolve([row["skill"] for row in rows])
        errors = []
        for row in rows:
            skill = resolved.get(row["skill"].strip().lower())
            if skill is None:
                errors.append(
                    f"We do not know the skill “{row['skill']}”. Pick one from the suggestions."
                )
            elif skill in self.skills:
                errors.append(f"{skill.name} is listed twice; keep one row.")
            else:
                self.skills[skill] = row["kind"]
        if len(self.skills) > MAX_ROLE_SKILLS:
            errors.append(f"List at most {MAX_ROLE_SKILLS} skills.")
        if errors:
            raise forms.ValidationError(errors)


RoleSkillFormSet = forms.formset_factory(
    RoleSkillRowForm,
    formset=BaseRoleSkillFormSet,
    extra=EXTRA_SKILL_ROWS,
    can_delete=True,
    max_num=MAX_ROLE_SKILLS,
    absolute_max=MAX_ROLE_SKILLS + EXTRA_SKILL_ROWS,
)


class DecisionForm(forms.Form):
    """A curator's decision on a role pending review."""

    decision = forms.ChoiceField(
        choices=[
            ("approve", "Approve and publish"),
            ("send_back", "Send back for changes"),
            ("reject", "Reject"),
            ("close", "Take down (close) a live role"),
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.ChoiceField(
        choices=[("", "—"), *REJECT_REASONS.items()], required=False, label="Reason for rejecting"
    )
    note = forms.CharField(
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Note to the recruiter",
        help_text="Required when sending back, or rejecting for “another reason”.",
    )

    def clean(self) -> dict:
        cleaned = super().clean()
        decision = cleaned.get("decision")
        if decision == "reject" and not cleaned.get("reason"):
            self.add_error("reason", "Pick the reason for rejecting.")
        if decision == "send_back" and not cleaned.get("note", "").strip():
            self.add_error("note", "Say what the recruiter should change.")
        if decision == "close" and not cleaned.get("note", "").strip():
            self.add_error("note", "Say why the role is taken down.")
        if (
            decision == "reject"
            and cleaned.get("reason") == "other"
            and not cleaned.get("note", "").strip()
        ):
            self.add_error("note", "Say why the role is rejected.")
        return cleaned


class CompanyTrustForm(forms.Form):
    action = forms.ChoiceField(
        choices=[("verify", "Verify"), ("trust", "Publish without review"), ("review", "Review")]
    )

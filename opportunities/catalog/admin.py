"""The curators' admin for the catalog: companies, roles and their moderation, the taxonomy."""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from opportunities.admin_actions import HTTPS_URL_FIELDS, action_confirmation
from opportunities.catalog.services import (
    company_update,
    company_verify,
    role_skills_changed,
    role_update,
)
from opportunities.catalog.taxonomy import skill_merge, skill_update
from opportunities.models import (
    Company,
    CompanyMembership,
    Industry,
    Role,
    RoleSkill,
    Skill,
    SkillAlias,
)
from opportunities.posting.services import role_approve, role_reject


class CompanyMembershipInline(admin.TabularInline):
    """Superusers only: it picks users by raw id and shows them by username (an e-mail)."""

    model = CompanyMembership
    extra = 0
    raw_id_fields = ["user"]
    fields = ["user", "role", "created_at"]
    readonly_fields = ["created_at"]


def member_display_name(membership: CompanyMembership) -> str:
    """A recruiter as curators see them: their name, never their username or e-mail."""
    return membership.user.get_full_name() or f"Member #{membership.user_id}"


@admin.register(Company)
class CompanyAdmin(admin.ModelAdmin):
    formfield_overrides = HTTPS_URL_FIELDS
    list_display = ["name", "slug", "industry", "website", "verified", "created_at"]
    list_filter = ["verified", "industry"]
    search_fields = ["name", "slug", "website"]
    prepopulated_fields = {"slug": ["name"]}
    # The industry is the company's: every role follows it (catalog.services).
    fields = ["name", "slug", "industry", "website", "description", "verified", "recruiters"]
    readonly_fields = ["recruiters"]
    actions = ["verify_selected"]

    def get_inlines(self, request: HttpRequest, obj: Company | None) -> list:
        # Curators must not see users' e-mail addresses nor make anyone a member by typing
        # an id; until recruiters can ask to join a company, only superusers add members.
        return [CompanyMembershipInline] if request.user.is_superuser else []

    @admin.display(description="Recruiters")
    def recruiters(self, company: Company) -> str:
        if company.pk is None:
            return "—"
        memberships = company.memberships.select_related("user").order_by("created_at", "pk")
        names = [f"{member_display_name(m)} ({m.get_role_display().lower()})" for m in memberships]
        return ", ".join(names) or "None yet"

    def save_model(self, request: HttpRequest, obj: Company, form, change: bool) -> None:
        company_update(
            company=obj, data={name: form.cleaned_data[name] for name in form.changed_data}
        )

    @admin.action(description="Verify selected companies", permissions=["change"])
    def verify_selected(self, request: HttpRequest, queryset: QuerySet[Company]) -> None:
        count = 0
        for company in queryset.filter(verified=False):
            company_verify(company=company, by=request.user)
            count += 1
        self.message_user(
            request, f"Verified {count} compan{'y' if count == 1 else 'ies'}.", messages.SUCCESS
        )


class RoleSkillInline(admin.TabularInline):
    model = RoleSkill
    extra = 0
    autocomplete_fields = ["skill"]


class RoleRejectForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4, "cols": 60}),
        help_text="Shown to the recruiter, so say what to change.",
    )


@admin.register(Role)
class RoleAdmin(admin.ModelAdmin):
    formfield_overrides = HTTPS_URL_FIELDS
    list_display = [
        "title",
        "company",
        "industry",
        "status",
        "workplace",
        "worldwide",
        "origin",
        "posted_at",
    ]
    list_filter = ["status", "industry", "workplace", "worldwide", "origin"]
    search_fields = ["title", "company__name", "=external_id"]
    list_select_related = ["company", "industry"]
    raw_id_fields = ["company", "source", "created_by", "duplicate_of"]
    # Counting a million rows on every page view is what makes big changelists slow.
    show_full_result_count = False
    list_per_page = 50
    inlines = [RoleSkillInline]
    actions = ["approve_selected", "reject_selected"]
    readonly_fields = [
        "status",
        "origin",
        "source",
        "external_id",
        "canonical_url",
        "salary_yearly_min",
        "salary_yearly_max",
        "created_by",
        "created_at",
        "updated_at",
    ]
    fieldsets = [
        (None, {"fields": ["title", "slug", "company", "industry", "description"]}),
        (
            "Where",
            {
                "fields": [
                    "workplace",
                    "worldwide",
                    ("city", "region", "country"),
                    "applicant_countries",
                    "applicant_regions",
                    "applicant_timezones",
                    "visa_sponsorship",
                ]
            },
        ),
        (
            "Terms",
            {
                "fields": [
                    "employment_type",
                    "seniority",
                    ("salary_min", "salary_max", "salary_currency", "salary_period"),
                    ("salary_yearly_min", "salary_yearly_max"),
                    "apply_url",
                    "apply_email",
                ]
            },
        ),
        (
            "Moderation",
            {"fields": ["status", "review_note", "posted_at", "expires_at", "closed_at"]},
        ),
        (
            "Provenance",
            {
                "classes": ["collapse"],
                "fields": [
                    "origin",
                    "created_by",
                    "source",
                    "external_id",
                    "canonical_url",
                    "duplicate_of",
                    "created_at",
                    "updated_at",
                ],
            },
        ),
    ]

    def save_model(self, request: HttpRequest, obj: Role, form, change: bool) -> None:
        # The service cleans the text, sanitises the description, keeps the yearly salary
        # figures in step and rematches the role when a matched field changed.
        role_update(role=obj, data={name: form.cleaned_data[name] for name in form.changed_data})

    def save_related(self, request: HttpRequest, form, formsets, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        if any(fs.model is RoleSkill and fs.has_changed() for fs in formsets):
            role_skills_changed(role_ids=[form.instance.pk])

    def _moderate(
        self,
        request: HttpRequest,
        queryset: QuerySet[Role],
        step: Callable[[Role], object],
        *,
        done: str,
        verb: str,
    ) -> None:
        """Apply one moderation step to each role; say how many changed and how many could not."""
        changed, skipped = 0, 0
        for role in queryset:
            try:
                step(role)
            except ValueError:
                skipped += 1
            else:
                changed += 1
        self.message_user(request, f"{done} {changed} role(s).", messages.SUCCESS)
        if skipped:
            self.message_user(
                request,
                f"Left {skipped} role(s) alone: only roles pending review can be {verb}.",
                messages.WARNING,
            )

    @admin.action(description="Approve selected roles (publish)", permissions=["change"])
    def approve_selected(self, request: HttpRequest, queryset: QuerySet[Role]) -> None:
        self._moderate(
            request,
            queryset,
            lambda role: role_approve(role=role, by=request.user),
            done="Published",
            verb="approved",
        )

    @admin.action(description="Reject selected roles…", permissions=["change"])
    def reject_selected(self, request: HttpRequest, queryset: QuerySet[Role]):
        form = RoleRejectForm(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            reason = form.cleaned_data["reason"]
            self._moderate(
                request,
                queryset,
                lambda role: role_reject(role=role, by=request.user, reason=reason),
                done="Rejected",
                verb="rejected",
            )
            return None
        return action_confirmation(
            self,
            request,
            template="admin/opportunities/role/reject_confirmation.html",
            title="Reject roles",
            action="reject_selected",
            selected=queryset.select_related("company"),
            form=form,
        )


@admin.register(Industry)
class IndustryAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "active", "updated_at"]
    list_filter = ["active"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}
    fields = ["name", "slug", "description", "keywords", "active"]


class SkillAliasForm(forms.ModelForm):
    class Meta:
        model = SkillAlias
        fields = ["name"]

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        taken = (
            SkillAlias.objects.filter(name__iexact=name)
            .exclude(pk=self.instance.pk)
            .select_related("skill")
            .first()
        )
        if taken is not None:
            raise forms.ValidationError(
                f"“{taken.name}” is already an alias of {taken.skill.name}; "
                "aliases are unique, ignoring case."
            )
        return name


class SkillAliasInline(admin.TabularInline):
    model = SkillAlias
    form = SkillAliasForm
    extra = 1


class SkillMergeForm(forms.Form):
    target = forms.ModelChoiceField(
        queryset=Skill.objects.none(),
        label="Merge into",
        help_text="The skill that stays. The others become its aliases and hand it their links.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = Skill.objects.active().order_by("name")


@admin.register(Skill)
class SkillAdmin(admin.ModelAdmin):
    list_display = ["name", "category", "alias_list", "match_name", "active", "merged_into"]
    list_filter = ["category", "active", "match_name"]
    search_fields = ["name", "slug", "aliases__name"]
    ordering = ["category", "name"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [SkillAliasInline]
    list_select_related = ["merged_into"]
    raw_id_fields = ["merged_into"]
    readonly_fields = ["merged_into"]
    fields = ["name", "slug", "category", "match_name", "active", "merged_into"]
    actions = ["merge_selected"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Skill]:
        return super().get_queryset(request).prefetch_related("aliases")

    def save_model(self, request: HttpRequest, obj: Skill, form, change: bool) -> None:
        skill_update(skill=obj, data={name: form.cleaned_data[name] for name in form.changed_data})

    @admin.display(description="Aliases")
    def alias_list(self, skill: Skill) -> str:
        return ", ".join(alias.name for alias in skill.aliases.all())

    @admin.action(description="Merge selected skills into…", permissions=["change"])
    def merge_selected(self, request: HttpRequest, queryset: QuerySet[Skill]):
        form = SkillMergeForm(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            target = form.cleaned_data["target"]
            merged = []
            for source in queryset.exclude(pk=target.pk).order_by("name"):
                try:
                    skill_merge(source=source, target=target)
                except ValueError as error:
                    self.message_user(request, str(error), messages.ERROR)
                else:
                    merged.append(source.name)
            if merged:
                self.message_user(
                    request,
                    f"Merged {', '.join(merged)} into {target.name}.",
                    messages.SUCCESS,
                )
            return None
        return action_confirmation(
            self,
            request,
            template="admin/opportunities/skill/merge_confirmation.html",
            title="Merge skills",
            action="merge_selected",
            selected=queryset.order_by("name"),
            form=form,
        )

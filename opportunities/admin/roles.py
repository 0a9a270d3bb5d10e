"""Admin for roles: the moderation queue, with approve and reject going through the services."""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from ..models import Role, RoleSkill
from ..services.roles import role_approve, role_reject, role_salary_yearly
from .common import action_confirmation


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
        # Keep the yearly figures that filters use in step with an edited salary.
        obj.salary_yearly_min, obj.salary_yearly_max = role_salary_yearly(
            salary_min=obj.salary_min, salary_max=obj.salary_max, period=obj.salary_period
        )
        super().save_model(request, obj, form, change)

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

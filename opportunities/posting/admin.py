"""The curators' admin for developers' reports of roles."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from opportunities.models import RoleReport
from opportunities.posting.reports import report_resolve


class OpenFilter(admin.SimpleListFilter):
    title = "state"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("open", "Open"), ("resolved", "Resolved")]

    def queryset(self, request, queryset: QuerySet[RoleReport]) -> QuerySet[RoleReport]:
        if self.value() == "open":
            return queryset.unresolved()
        if self.value() == "resolved":
            return queryset.filter(resolved_at__isnull=False)
        return queryset


@admin.register(RoleReport)
class RoleReportAdmin(admin.ModelAdmin):
    """Reports are read and resolved, never written here; the reporter stays anonymous
    (curators do not see developers' usernames, which are e-mail addresses)."""

    list_display = ["role", "company", "reason", "created_at", "outcome", "resolved_at"]
    list_filter = [OpenFilter, "reason", "outcome"]
    list_select_related = ["role", "role__company"]
    search_fields = ["role__title", "role__company__name", "=role__id"]
    ordering = ["created_at", "id"]
    fields = ["role", "reason", "details", "created_at", "outcome", "resolved_at", "resolver"]
    readonly_fields = fields
    actions = ["dismiss_selected", "uphold_selected"]

    @admin.display(description="Company")
    def company(self, report: RoleReport) -> str:
        return report.role.company.name

    @admin.display(description="Resolved by")
    def resolver(self, report: RoleReport) -> str:
        if report.resolved_by_id is None:
            return "—"
        return report.resolved_by.get_full_name() or f"Curator #{report.resolved_by_id}"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def _resolve(self, request: HttpRequest, queryset: QuerySet[RoleReport], outcome: str):
        count = report_resolve(reports=queryset, by=request.user, outcome=outcome)
        label = RoleReport.Outcome(outcome).label.split(":")[0].lower()
        self.message_user(request, f"{label.capitalize()} {count} report(s).", messages.SUCCESS)

    @admin.action(
        description="Dismiss selected reports (a role they hid goes back up)",
        permissions=["change"],
    )
    def dismiss_selected(self, request: HttpRequest, queryset: QuerySet[RoleReport]) -> None:
        self._resolve(request, queryset, RoleReport.Outcome.DISMISSED)

    @admin.action(
        description="Uphold selected reports (the role stays hidden for moderation)",
        permissions=["change"],
    )
    def uphold_selected(self, request: HttpRequest, queryset: QuerySet[RoleReport]) -> None:
        self._resolve(request, queryset, RoleReport.Outcome.UPHELD)

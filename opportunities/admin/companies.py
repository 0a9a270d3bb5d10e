"""Admin for companies and the recruiters who act for them."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from ..models import Company, CompanyMembership
from ..services.companies import company_verify


class CompanyMembershipInline(admin.TabularInline):
    model = CompanyMembership
    extra = 0
    raw_id_fields = ["user"]
    fields = ["user", "role", "created_at"]
    readonly_fields = ["created_at"]


@admin.register(Company)
class CompanyAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "website", "verified", "created_at"]
    list_filter = ["verified"]
    search_fields = ["name", "slug", "website"]
    prepopulated_fields = {"slug": ["name"]}
    fields = ["name", "slug", "website", "description", "verified"]
    inlines = [CompanyMembershipInline]
    actions = ["verify_selected"]

    @admin.action(description="Verify selected companies", permissions=["change"])
    def verify_selected(self, request: HttpRequest, queryset: QuerySet[Company]) -> None:
        count = 0
        for company in queryset.filter(verified=False):
            company_verify(company=company, by=request.user)
            count += 1
        self.message_user(
            request, f"Verified {count} compan{'y' if count == 1 else 'ies'}.", messages.SUCCESS
        )

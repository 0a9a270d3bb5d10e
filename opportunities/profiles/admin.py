"""Admin for developers' profiles: a read-only listing for administrators.

Profiles are private, so the Curators group holds no permission on them.
"""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from opportunities.models import DeveloperProfile, ProfileSkill


class ProfileSkillInline(admin.TabularInline):
    model = ProfileSkill
    extra = 0
    fields = ["skill", "level", "years"]
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(DeveloperProfile)
class DeveloperProfileAdmin(admin.ModelAdmin):
    list_display = [
        "user",
        "headline",
        "seniority",
        "workplace_preference",
        "needs_worldwide",
        "country",
        "discoverable",
    ]
    list_filter = ["workplace_preference", "needs_worldwide", "discoverable", "seniority"]
    search_fields = ["user__username", "user__email", "headline"]
    list_select_related = ["user"]
    raw_id_fields = ["user"]
    readonly_fields = ["user", "created_at", "updated_at"]
    filter_horizontal = ["industries"]
    inlines = [ProfileSkillInline]
    show_full_result_count = False

    def has_add_permission(self, request: HttpRequest) -> bool:
        # A profile belongs to its developer, who creates it on the site.
        return False

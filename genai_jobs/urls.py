"""Top-level URL map."""

from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "GenAI Jobs curation"
admin.site.site_title = "GenAI Jobs curation"
admin.site.index_title = "Taxonomy, companies, roles and sources"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("accounts.urls")),
    path("api/v1/", include("opportunities.api.urls")),
    path("", include("opportunities.urls")),
]

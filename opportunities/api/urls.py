"""URLs of the API, under /api/v1/."""

from django.middleware.http import ConditionalGetMiddleware
from django.urls import path, re_path
from django.utils.decorators import decorator_from_middleware
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from opportunities.api import views

# ETag from the body and 304 for a matching If-None-Match, on the cacheable public reads.
conditional = decorator_from_middleware(ConditionalGetMiddleware)

urlpatterns = [
    path("roles/", conditional(views.RoleSearchView.as_view()), name="api_roles"),
    path("roles/<int:pk>/", conditional(views.RoleDetailView.as_view()), name="api_role"),
    path("companies/", views.CompanyListView.as_view(), name="api_companies"),
    path("companies/<slug:slug>/", views.CompanyDetailView.as_view(), name="api_company"),
    path("industries/", views.IndustryListView.as_view(), name="api_industries"),
    path("skills/", views.SkillListView.as_view(), name="api_skills"),
    path("skills/<slug:slug>/trend/", views.SkillTrendView.as_view(), name="api_skill_trend"),
    path("insights/rising/", views.RisingSkillsView.as_view(), name="api_rising_skills"),
    path("me/profile/", views.ProfileView.as_view(), name="api_profile"),
    path("me/matches/", views.MatchListView.as_view(), name="api_matches"),
    path("me/saved-searches/", views.SavedSearchListView.as_view(), name="api_saved_searches"),
    path("me/tracker/", views.TrackerListView.as_view(), name="api_tracker"),
    path("me/tracker/<int:pk>/", views.TrackerDetailView.as_view(), name="api_tracker_entry"),
    path("me/tracker/<int:pk>/move/", views.TrackerMoveView.as_view(), name="api_tracker_move"),
    path("hiring/roles/", views.HiringRoleListView.as_view(), name="api_hiring_roles"),
    path(
        "hiring/roles/<int:pk>/<str:action>/",
        views.HiringRoleActionView.as_view(),
        name="api_hiring_role_action",
    ),
    path("hiring/stats/", views.HiringStatsView.as_view(), name="api_hiring_stats"),
    path("schema/", SpectacularAPIView.as_view(), name="api_schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api_schema"), name="api_docs"),
    # Last: what no pattern above matches is answered as a problem, not an HTML page.
    re_path(r"^[\s\S]*$", views.ApiNotFoundView.as_view(), name="api_not_found"),
]

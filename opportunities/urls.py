"""URLs of the board."""

from django.contrib.sitemaps import views as sitemap_views
from django.urls import path

from opportunities import feeds, sitemaps
from opportunities.views import alerts, board, matches, profile, reports, roles, search, stats

urlpatterns = [
    path("", board.home, name="home"),
    path("me/profile/", profile.profile_edit, name="profile_edit"),
    path("skills/autocomplete/", profile.skill_autocomplete, name="skill_autocomplete"),
    path("me/alerts/", alerts.alert_list, name="alert_list"),
    path("me/alerts/matches/", alerts.match_alert_update, name="match_alert_update"),
    path("me/alerts/searches/", alerts.saved_search_create, name="saved_search_create"),
    path("me/alerts/searches/<int:pk>/", alerts.saved_search_update, name="saved_search_update"),
    path(
        "me/alerts/searches/<int:pk>/delete/",
        alerts.saved_search_delete,
        name="saved_search_delete",
    ),
    path("alerts/unsubscribe/<str:token>/", alerts.alert_unsubscribe, name="alert_unsubscribe"),
    path("me/matches/", matches.match_list, name="match_list"),
    path("me/matches/skills/", matches.skills_to_learn_view, name="skills_to_learn"),
    path("me/matches/<int:pk>/dismiss/", matches.match_dismiss_view, name="match_dismiss"),
    path("me/matches/<int:pk>/save/", matches.match_save_view, name="match_save"),
    path("jobs/<int:pk>/candidates/", matches.role_candidates, name="role_candidates"),
    path("jobs/", search.role_search, name="role_search"),
    path("jobs/feed/", feeds.RoleSearchFeed(), name="role_feed"),
    path("jobs/feed/atom/", feeds.RoleSearchAtomFeed(), name="role_feed_atom"),
    path("jobs/<int:pk>-<slug:slug>/", roles.role_detail, name="role_detail"),
    path("jobs/<int:pk>/", roles.role_redirect, name="role_redirect"),
    path("jobs/<int:pk>/apply/", roles.role_apply, name="role_apply"),
    path("hiring/stats/", stats.hiring_stats, name="hiring_stats"),
    path("hiring/stats/<int:pk>/", stats.hiring_role_stats, name="hiring_role_stats"),
    path("hiring/stats.csv", stats.hiring_stats_csv, name="hiring_stats_csv"),
    path("jobs/<int:pk>/report/", reports.role_report, name="role_report"),
    path("companies/<slug:slug>/", roles.company_detail, name="company_detail"),
    path(
        "sitemap.xml",
        sitemap_views.index,
        {"sitemaps": sitemaps.SITEMAPS, "sitemap_url_name": "sitemap_section"},
        name="sitemap_index",
    ),
    path(
        "sitemap-<section>.xml",
        sitemap_views.sitemap,
        {"sitemaps": sitemaps.SITEMAPS},
        name="sitemap_section",
    ),
    path("robots.txt", sitemaps.robots_txt, name="robots_txt"),
]

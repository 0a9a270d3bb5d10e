"""URLs of the board."""

from django.contrib.sitemaps import views as sitemap_views
from django.urls import path

from opportunities import feeds, sitemaps
from opportunities.views import alerts, board, matches, profile, roles, search, tracker

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
    path("me/tracker/", tracker.tracker_board, name="tracker_board"),
    path("me/tracker/table/", tracker.tracker_table, name="tracker_table"),
    path("me/tracker/numbers/", tracker.tracker_numbers, name="tracker_numbers"),
    path("me/tracker/add/", tracker.tracker_add, name="tracker_add"),
    path("me/tracker/add/confirm/", tracker.tracker_add_confirm, name="tracker_add_confirm"),
    path("me/tracker/track/<int:role_pk>/", tracker.tracker_track, name="tracker_track"),
    path("me/tracker/export.csv", tracker.tracker_export, name="tracker_export"),
    path("me/tracker/import/", tracker.tracker_import, name="tracker_import"),
    path("me/tracker/calendar/", tracker.tracker_calendar, name="tracker_calendar"),
    path(
        "me/tracker/calendar/<str:token>.ics",
        tracker.tracker_calendar_feed,
        name="tracker_calendar_feed",
    ),
    path("me/tracker/<int:pk>/", tracker.tracker_detail, name="tracker_detail"),
    path("me/tracker/<int:pk>/edit/", tracker.tracker_edit, name="tracker_edit"),
    path("me/tracker/<int:pk>/move/", tracker.tracker_move, name="tracker_move"),
    path("me/tracker/<int:pk>/delete/", tracker.tracker_delete, name="tracker_delete"),
    path("me/tracker/<int:pk>/contacts/", tracker.tracker_contact_add, name="tracker_contact_add"),
    path(
        "me/tracker/<int:pk>/contacts/<int:contact_pk>/delete/",
        tracker.tracker_contact_delete,
        name="tracker_contact_delete",
    ),
    path(
        "me/tracker/<int:pk>/interviews/",
        tracker.tracker_interview_add,
        name="tracker_interview_add",
    ),
    path(
        "me/tracker/<int:pk>/interviews/<int:interview_pk>/delete/",
        tracker.tracker_interview_delete,
        name="tracker_interview_delete",
    ),
    path("jobs/<int:pk>/candidates/", matches.role_candidates, name="role_candidates"),
    path("jobs/", search.role_search, name="role_search"),
    path("jobs/feed/", feeds.RoleSearchFeed(), name="role_feed"),
    path("jobs/feed/atom/", feeds.RoleSearchAtomFeed(), name="role_feed_atom"),
    path("jobs/<int:pk>-<slug:slug>/", roles.role_detail, name="role_detail"),
    path("jobs/<int:pk>/", roles.role_redirect, name="role_redirect"),
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

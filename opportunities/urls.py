"""URLs of the board."""

from django.contrib.sitemaps import views as sitemap_views
from django.urls import path

from opportunities import feeds, sitemaps
from opportunities.views import alerts, board, matches, moderation, posting, profile, roles, search

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
    path("companies/<slug:slug>/", roles.company_detail, name="company_detail"),
    # Recruiters (opportunities/views/posting.py)
    path("hiring/", posting.hiring_home, name="hiring_home"),
    path("hiring/start/", posting.hiring_start, name="hiring_start"),
    path("hiring/companies/<slug:slug>/", posting.company_manage, name="posting_company"),
    path(
        "hiring/companies/<slug:slug>/invite/",
        posting.company_invite_send,
        name="posting_company_invite",
    ),
    path(
        "hiring/companies/<slug:slug>/members/<int:user_id>/remove/",
        posting.company_member_remove_view,
        name="posting_member_remove",
    ),
    path("hiring/companies/<slug:slug>/roles/new/", posting.role_new, name="posting_role_new"),
    path(
        "hiring/requests/<int:pk>/decide/",
        posting.join_request_decide_view,
        name="posting_join_decide",
    ),
    path("hiring/invite/<str:token>/", posting.invite_accept, name="posting_invite_accept"),
    path("hiring/roles/advice/", posting.role_advice, name="posting_role_advice"),
    path("hiring/roles/<int:pk>/edit/", posting.role_edit_view, name="posting_role_edit"),
    path("hiring/roles/<int:pk>/preview/", posting.role_preview, name="posting_role_preview"),
    path("hiring/roles/<int:pk>/submit/", posting.role_submit_view, name="posting_role_submit"),
    path(
        "hiring/roles/<int:pk>/withdraw/",
        posting.role_withdraw_view,
        name="posting_role_withdraw",
    ),
    path("hiring/roles/<int:pk>/close/", posting.role_close_view, name="posting_role_close"),
    path("hiring/roles/<int:pk>/renew/", posting.role_renew_view, name="posting_role_renew"),
    path(
        "hiring/roles/<int:pk>/duplicate/",
        posting.role_duplicate_view,
        name="posting_role_duplicate",
    ),
    # Curators (opportunities/views/moderation.py)
    path("moderation/", moderation.moderation_queue, name="moderation_queue"),
    path("moderation/live/", moderation.moderation_live, name="moderation_live"),
    path("moderation/roles/<int:pk>/", moderation.moderation_role, name="moderation_role"),
    path("moderation/companies/", moderation.moderation_companies, name="moderation_companies"),
    path(
        "moderation/companies/<int:pk>/",
        moderation.moderation_company,
        name="moderation_company",
    ),
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

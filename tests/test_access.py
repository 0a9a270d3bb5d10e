"""Who gets what: each kind of visitor against each kind of page (opportunities/access.py).

404, never 403, for what a visitor may not see: a draft's or a candidate list's existence is
private too. Anonymous visitors asking for a page that needs an account are sent to log in.
"""

from __future__ import annotations

import re

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps
from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.urls import URLResolver, get_resolver, reverse
from django.utils import timezone

from opportunities import access
from opportunities.api.services import api_token_create
from opportunities.catalog.curators import curators_group_sync
from opportunities.matching.rematch import match_roles, matching_index_reset
from opportunities.models import (
    ApiToken,
    CompanyMembership,
    Contact,
    ExchangeRate,
    IngestRun,
    InterviewRound,
    JoinRequest,
    Match,
    ProfileSkill,
    Role,
    RoleReport,
    SavedSearch,
    TrackedOpportunity,
    UnknownSkillTerm,
)
from opportunities.posting.services import company_invite_token
from tests import factories

pytestmark = pytest.mark.django_db

VIEWERS = ("anonymous", "developer", "recruiter_a", "recruiter_b", "curator", "superuser")
LOGIN = "login"  # a redirect to the login page


@pytest.fixture
def world(db):
    """Company A with a published role, a draft and a matching discoverable developer."""
    python = factories.SkillFactory(name="Python", slug="python")
    company_a = factories.CompanyFactory(name="Company A", slug="company-a")
    company_b = factories.CompanyFactory(name="Company B", slug="company-b")
    published = factories.RoleFactory(company=company_a, worldwide=True, skills=[python])
    draft = factories.RoleFactory(company=company_a, status=Role.Status.DRAFT, posted_at=None)
    developer = factories.UserFactory(username="dev@example.com", email="dev@example.com")
    profile = factories.DeveloperProfileFactory(user=developer, discoverable=True)
    ProfileSkill.objects.create(profile=profile, skill=python, level="expert")
    match_roles(role_ids=[published.pk])
    curator = factories.UserFactory(username="curator@example.com", is_staff=True)
    curator.groups.add(curators_group_sync())
    users = {
        "anonymous": None,
        "developer": developer,
        "recruiter_a": factories.MembershipFactory(company=company_a).user,
        "recruiter_b": factories.MembershipFactory(company=company_b).user,
        "curator": curator,
        "superuser": factories.UserFactory(username="root", is_staff=True, is_superuser=True),
    }
    pages = {
        "published role": reverse(
            "role_detail", kwargs={"pk": published.pk, "slug": published.slug}
        ),
        "draft role": reverse("role_detail", kwargs={"pk": draft.pk, "slug": draft.slug}),
        "candidates": reverse("role_candidates", args=[published.pk]),
        "company": reverse("company_detail", kwargs={"slug": company_a.slug}),
    }
    return {"users": users, "pages": pages, "published": published}


# page -> the status each viewer gets, in VIEWERS order.
MATRIX = {
    "published role": (200, 200, 200, 200, 200, 200),
    "draft role": (404, 404, 200, 404, 200, 200),
    "candidates": (LOGIN, 404, 200, 404, 404, 200),
    "company": (200, 200, 200, 200, 200, 200),
}
CASES = [
    (page, viewer, expected)
    for page, row in MATRIX.items()
    for viewer, expected in zip(VIEWERS, row, strict=True)
]


@pytest.mark.parametrize(("page", "viewer", "expected"), CASES)
def test_access_matrix(client, world, page, viewer, expected):
    user = world["users"][viewer]
    if user is not None:
        client.force_login(user)

    response = client.get(world["pages"][page])

    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    else:
        assert response.status_code == expected


@pytest.mark.parametrize("viewer", VIEWERS)
def test_no_page_shows_a_developer_their_e_mail_to_anyone_else(client, world, viewer):
    user = world["users"][viewer]
    if user is not None:
        client.force_login(user)

    for page, url in world["pages"].items():
        body = client.get(url).content.decode()
        if viewer != "developer":
            assert "dev@example.com" not in body, page


@pytest.mark.parametrize(
    ("viewer", "preview", "candidates"),
    [
        ("anonymous", False, False),
        ("developer", False, False),
        ("recruiter_a", True, True),
        ("recruiter_b", False, False),
        ("curator", True, False),
        ("superuser", True, True),
    ],
)
def test_the_rules_answer_as_the_pages_do(world, viewer, preview, candidates):
    user = world["users"][viewer] or AnonymousUser()
    role = world["published"]

    assert access.can_preview_role(user, role) is preview
    assert access.can_see_candidates(user, role) is candidates


def test_candidates_appear_by_the_name_they_chose_or_as_a_numbered_candidate(client, world):
    role = world["published"]
    named = factories.DeveloperProfileFactory(
        user=factories.UserFactory(username="ada@example.com", first_name="Ada", last_name="L"),
        display_name="Ada, LLM tinkerer",
        discoverable=True,
    )
    python = role.role_skills.get().skill
    ProfileSkill.objects.create(profile=named, skill=python, level="expert")
    matching_index_reset()  # as a worker would, after the new profile was saved
    match_roles(role_ids=[role.pk])
    unnamed = world["users"]["developer"].developer_profile
    client.force_login(world["users"]["recruiter_a"])

    body = client.get(world["pages"]["candidates"]).content.decode()

    assert "Ada, LLM tinkerer" in body
    assert f"Candidate #{unnamed.pk}" in body
    for private in ("ada@example.com", "Ada L", "dev@example.com"):
        assert private not in body


# ---------------------------------------------------------------------------------------------
# Every URL the project has, for every principal, GET and POST, against one table.
#
# Each row of URL_RULES names a URL (by its name, or its route when it has none) and the rule
# for GET and for POST. A rule gives each principal's outcome:
#   ALLOW  the view answered (any status below 500 but 403/404/405, and not a login redirect)
#   DENY   404, 403 or 405: the view refused
#   LOGIN  a redirect to the site's or the admin's login page
# A refused request (DENY or LOGIN) must leave every table as it was. A URL the resolver knows
# but the table does not fails test_every_url_is_in_the_table.

PRINCIPALS = (
    "anonymous",
    "developer",
    "recruiter_a",
    "owner_a",
    "recruiter_b",
    "curator",
    "superuser",
)
ALLOW, DENY = "allow", "deny"
TOKEN = "token"  # the API's 401: a personal access token was needed


def rule(**outcomes: str) -> dict[str, str]:
    """A rule: the given principals' outcomes; `rest` for every principal not named."""
    rest = outcomes.pop("rest", DENY)
    return {principal: outcomes.get(principal, rest) for principal in PRINCIPALS}


EVERYONE = rule(rest=ALLOW)
SIGNED_IN = rule(anonymous=LOGIN, rest=ALLOW)
ANON_ONLY_POST = rule(anonymous=LOGIN)  # a POST-only view, asked with GET
MEMBER_A = rule(anonymous=LOGIN, recruiter_a=ALLOW, owner_a=ALLOW)
OWNER_A = rule(anonymous=LOGIN, owner_a=ALLOW)
ANY_RECRUITER = rule(anonymous=LOGIN, recruiter_a=ALLOW, owner_a=ALLOW, recruiter_b=ALLOW)
CURATORS = rule(anonymous=LOGIN, curator=ALLOW, superuser=ALLOW)
CANDIDATES = rule(anonymous=LOGIN, recruiter_a=ALLOW, owner_a=ALLOW, superuser=ALLOW)
STAFF = rule(rest=LOGIN, curator=ALLOW, superuser=ALLOW)  # the admin: non-staff must log in
SUPERUSER_ADMIN = rule(rest=LOGIN, curator=DENY, superuser=ALLOW)
ADMIN_LOGIN = rule(rest=ALLOW)  # the admin's login page answers everyone
GET_ONLY = rule(anonymous=LOGIN)  # a GET-only page, sent a POST: 405 once signed in
API_ANY_TOKEN = rule(anonymous=TOKEN, rest=ALLOW)
API_DEVELOPER = rule(anonymous=TOKEN, developer=ALLOW)  # the developer's own profile or entry
API_REFUSED = rule(anonymous=TOKEN)  # a method the endpoint has not: 405 once a token is given
STAFF_GET_ONLY = rule(rest=LOGIN, curator=DENY, superuser=DENY)  # the same in the admin


def admin_rows(model: str, *, curator: str, add: bool = True, delete: bool = True):
    """The admin URLs of one model. `curator` is what the Curators group may do with it:
    "none", "view", "change" (view and change), "add" (and add) or "all" (and delete);
    `add`/`delete` False where the admin offers them to nobody."""
    viewer = STAFF if curator != "none" else SUPERUSER_ADMIN
    changer = STAFF if curator in {"change", "add", "all"} else SUPERUSER_ADMIN
    adder = STAFF if curator in {"add", "all"} else SUPERUSER_ADMIN
    deleter = STAFF if curator == "all" else SUPERUSER_ADMIN
    adder = adder if add else STAFF_GET_ONLY
    deleter = deleter if delete else STAFF_GET_ONLY
    return {
        f"admin:{model}_changelist": (viewer, viewer),
        f"admin:{model}_add": (adder, adder),
        f"admin:{model}_history": (viewer, viewer),
        f"admin:{model}_delete": (deleter, deleter),
        f"admin:{model}_change": (viewer, changer),
        # The bare object address only redirects to its change page.
        f"admin/{model.replace('_', '/', 1)}/<path:object_id>/": (STAFF, STAFF),
    }


URL_RULES: dict[str, tuple[dict[str, str], dict[str, str]]] = {
    # Public pages.
    "home": (EVERYONE, EVERYONE),
    "role_search": (EVERYONE, EVERYONE),
    # The market insights: public figures, GET only.
    "insights_overview": (EVERYONE, rule()),
    "insights_overview_csv": (EVERYONE, rule()),
    "skill_detail": (EVERYONE, rule()),
    "skill_detail_csv": (EVERYONE, rule()),
    "role_feed": (EVERYONE, EVERYONE),
    "role_feed_atom": (EVERYONE, EVERYONE),
    "role_detail": (EVERYONE, EVERYONE),
    "role_redirect": (EVERYONE, EVERYONE),
    "company_detail": (EVERYONE, EVERYONE),
    "sitemap_index": (EVERYONE, EVERYONE),
    "sitemap_section": (EVERYONE, EVERYONE),
    "robots_txt": (EVERYONE, rule()),
    "skill_autocomplete": (EVERYONE, rule()),
    "alert_unsubscribe": (EVERYONE, EVERYONE),
    # Accounts.
    "signup": (EVERYONE, EVERYONE),
    "signup_sent": (EVERYONE, EVERYONE),
    "signup_confirm": (EVERYONE, EVERYONE),
    "login": (EVERYONE, EVERYONE),
    "logout": (rule(), EVERYONE),
    "password_reset": (EVERYONE, EVERYONE),
    "password_reset_done": (EVERYONE, rule()),
    "password_reset_confirm": (EVERYONE, EVERYONE),
    "password_reset_complete": (EVERYONE, rule()),
    # A developer's own things (each user sees only their own).
    "profile_edit": (SIGNED_IN, SIGNED_IN),
    "alert_list": (SIGNED_IN, GET_ONLY),
    "match_alert_update": (ANON_ONLY_POST, SIGNED_IN),
    "saved_search_create": (ANON_ONLY_POST, SIGNED_IN),
    "saved_search_update": (ANON_ONLY_POST, rule(anonymous=LOGIN, developer=ALLOW)),
    "saved_search_delete": (ANON_ONLY_POST, rule(anonymous=LOGIN, developer=ALLOW)),
    "match_list": (SIGNED_IN, GET_ONLY),
    "skills_to_learn": (SIGNED_IN, GET_ONLY),
    "my_insights": (SIGNED_IN, GET_ONLY),
    # Its figures exist for a developer with a profile; anyone else's download is a 404.
    "my_insights_csv": (rule(anonymous=LOGIN, developer=ALLOW), GET_ONLY),
    "match_dismiss": (ANON_ONLY_POST, rule(anonymous=LOGIN, developer=ALLOW)),
    "role_candidates": (CANDIDATES, GET_ONLY),
    "account_delete": (SIGNED_IN, SIGNED_IN),  # a POST without the password deletes nothing
    # Anyone may report or track a role they can see; the apply button only redirects.
    "role_apply": (EVERYONE, rule()),
    "role_report": (ANON_ONLY_POST, SIGNED_IN),
    "tracker_track": (ANON_ONLY_POST, SIGNED_IN),
    # A developer's tracker: their list pages, and one entry that is theirs alone.
    "tracker_board": (SIGNED_IN, GET_ONLY),
    "tracker_table": (SIGNED_IN, GET_ONLY),
    "tracker_numbers": (SIGNED_IN, GET_ONLY),
    "tracker_export": (SIGNED_IN, GET_ONLY),
    "tracker_add": (SIGNED_IN, SIGNED_IN),
    "tracker_add_confirm": (ANON_ONLY_POST, SIGNED_IN),
    "tracker_import": (SIGNED_IN, SIGNED_IN),
    "tracker_calendar": (SIGNED_IN, SIGNED_IN),
    "tracker_calendar_feed": (rule(), rule()),  # an unknown token is nobody's calendar
    "tracker_detail": (rule(anonymous=LOGIN, developer=ALLOW), GET_ONLY),
    "tracker_edit": (ANON_ONLY_POST, rule(anonymous=LOGIN, developer=ALLOW)),
    "tracker_move": (ANON_ONLY_POST, rule(anonymous=LOGIN, developer=ALLOW)),
    "tracker_delete": (
        rule(anonymous=LOGIN, developer=ALLOW),
        rule(anonymous=LOGIN, developer=ALLOW),
    ),
    "tracker_contact_add": (ANON_ONLY_POST, rule(anonymous=LOGIN, developer=ALLOW)),
    "tracker_contact_delete": (ANON_ONLY_POST, rule(anonymous=LOGIN, developer=ALLOW)),
    "tracker_interview_add": (ANON_ONLY_POST, rule(anonymous=LOGIN, developer=ALLOW)),
    "tracker_interview_delete": (ANON_ONLY_POST, rule(anonymous=LOGIN, developer=ALLOW)),
    # Recruiters.
    "hiring_home": (SIGNED_IN, SIGNED_IN),
    "hiring_start": (SIGNED_IN, SIGNED_IN),
    "posting_company": (MEMBER_A, OWNER_A),
    "posting_company_invite": (ANON_ONLY_POST, OWNER_A),
    "posting_member_remove": (ANON_ONLY_POST, OWNER_A),
    "posting_role_new": (MEMBER_A, MEMBER_A),
    "posting_join_decide": (ANON_ONLY_POST, OWNER_A),
    "posting_invite_accept": (SIGNED_IN, SIGNED_IN),
    "posting_role_advice": (ANON_ONLY_POST, ANY_RECRUITER),
    "posting_role_edit": (MEMBER_A, MEMBER_A),
    "posting_role_preview": (MEMBER_A, MEMBER_A),
    "posting_role_submit": (ANON_ONLY_POST, MEMBER_A),
    "posting_role_withdraw": (ANON_ONLY_POST, MEMBER_A),
    "posting_role_close": (MEMBER_A, MEMBER_A),
    "posting_role_renew": (ANON_ONLY_POST, MEMBER_A),
    "posting_role_duplicate": (ANON_ONLY_POST, MEMBER_A),
    "hiring_stats": (SIGNED_IN, GET_ONLY),  # each sees their own companies' roles, if any
    "hiring_stats_csv": (SIGNED_IN, GET_ONLY),
    "hiring_role_stats": (MEMBER_A, GET_ONLY),
    # Personal access tokens: each user's own page, and a token only its owner revokes.
    "api_token_list": (SIGNED_IN, SIGNED_IN),
    "api_token_revoke": (ANON_ONLY_POST, rule(anonymous=LOGIN, developer=ALLOW)),
    # The API: asked with each principal's read-and-write token (none for anonymous). The
    # public reads answer everyone; a token's own data needs a token and shows only its own.
    **{
        key: (EVERYONE, rule())
        for key in (
            "api_roles",
            "api_role",
            "api_companies",
            "api_company",
            "api_industries",
            "api_skills",
            "api_skill_trend",
            "api_rising_skills",
            "api_schema",
            "api_docs",
        )
    },
    "api_not_found": (rule(), rule()),
    "api_profile": (API_DEVELOPER, API_REFUSED),
    "api_matches": (API_DEVELOPER, API_REFUSED),
    "api_saved_searches": (API_ANY_TOKEN, API_REFUSED),
    "api_tracker": (API_ANY_TOKEN, API_ANY_TOKEN),
    "api_tracker_entry": (API_DEVELOPER, API_REFUSED),
    "api_tracker_move": (API_REFUSED, API_DEVELOPER),
    "api_hiring_roles": (API_ANY_TOKEN, API_REFUSED),
    "api_hiring_role_action": (
        API_REFUSED,
        rule(anonymous=TOKEN, recruiter_a=ALLOW, owner_a=ALLOW),
    ),
    "api_hiring_stats": (API_ANY_TOKEN, API_REFUSED),
    # Curators.
    "moderation_queue": (CURATORS, CURATORS),
    "moderation_live": (CURATORS, CURATORS),
    "moderation_role": (CURATORS, CURATORS),
    "moderation_companies": (CURATORS, CURATORS),
    "moderation_company": (ANON_ONLY_POST, CURATORS),
    # The admin.
    "admin:index": (STAFF, STAFF),
    "admin:login": (ADMIN_LOGIN, ADMIN_LOGIN),
    # GET: staff get 405; anyone else is sent to the admin's index (and from there to log in).
    "admin:logout": (rule(rest=ALLOW, curator=DENY, superuser=DENY), EVERYONE),
    "admin:password_change": (STAFF, STAFF),
    "admin:password_change_done": (STAFF, STAFF_GET_ONLY),
    "admin:autocomplete": (STAFF_GET_ONLY, STAFF_GET_ONLY),  # refused without its query
    "admin:jsi18n": (STAFF, STAFF_GET_ONLY),
    "admin:view_on_site": (STAFF, STAFF),
    "admin:app_list": (STAFF, STAFF),
    "admin/(?P<url>.*)$": (STAFF_GET_ONLY, STAFF_GET_ONLY),  # staff: 404; others log in
    "admin:auth_user_password_change": (SUPERUSER_ADMIN, SUPERUSER_ADMIN),
    **admin_rows("auth_group", curator="none"),
    **admin_rows("auth_user", curator="none"),
    **admin_rows("axes_accesslog", curator="none", add=False),
    **admin_rows("axes_accessfailurelog", curator="none", add=False),
    **admin_rows("axes_accessattempt", curator="none", add=False),
    **admin_rows("opportunities_company", curator="add", delete=True),
    **admin_rows("opportunities_role", curator="change"),
    **admin_rows("opportunities_industry", curator="all"),
    **admin_rows("opportunities_skill", curator="all"),
    **admin_rows("opportunities_source", curator="add"),
    "admin:opportunities_source_csv_upload": (STAFF, STAFF),
    **admin_rows("opportunities_ingestrun", curator="view", add=False, delete=False),
    # Runs are records: their change page only shows them, to everyone.
    "admin:opportunities_ingestrun_change": (STAFF, STAFF_GET_ONLY),
    **admin_rows("opportunities_unknownskillterm", curator="all", add=False),
    **admin_rows("opportunities_developerprofile", curator="none", add=False),
    **admin_rows("opportunities_rolereport", curator="change", add=False),
    **admin_rows("opportunities_exchangerate", curator="all"),
}


def _patterns(patterns, prefix="", namespace=""):
    """(key, route, pattern) of every URL: key is the namespaced name, or the route."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace or ""
            ns = f"{namespace}:{inner}" if namespace and inner else (inner or namespace)
            yield from _patterns(pattern.url_patterns, prefix + str(pattern.pattern), ns)
        else:
            route = prefix + str(pattern.pattern)
            name = f"{namespace}:{pattern.name}" if namespace and pattern.name else pattern.name
            yield (name or route), route, pattern


def all_urls() -> list[tuple[str, str]]:
    return [(key, route) for key, route, _ in _patterns(get_resolver().url_patterns)]


def test_every_url_is_in_the_table():
    keys = {key for key, _ in all_urls()}
    assert sorted(keys - URL_RULES.keys()) == []
    assert sorted(URL_RULES.keys() - keys) == []


@pytest.fixture
def estate(db):
    """Company A (an owner and a recruiter) and company B, with a role of each kind, a join
    request and an invitation, a developer with a saved search and a match, and staff."""
    curators = curators_group_sync()
    python = factories.SkillFactory(name="Python", slug="python")
    company_a = factories.CompanyFactory(name="Company A", slug="company-a")
    company_b = factories.CompanyFactory(name="Company B", slug="company-b")
    owner_a = factories.UserFactory(username="owner@a.example", email="owner@a.example")
    CompanyMembership.objects.create(user=owner_a, company=company_a, role="owner")
    recruiter_a = factories.MembershipFactory(company=company_a).user
    recruiter_b = factories.UserFactory(username="rec@b.example", email="rec@b.example")
    CompanyMembership.objects.create(user=recruiter_b, company=company_b, role="owner")
    published = factories.RoleFactory(
        company=company_a,
        worldwide=True,
        skills=[python],
        created_by=recruiter_a,
        apply_url="https://a.example/apply",
    )
    pending = factories.RoleFactory(company=company_a, status=Role.Status.PENDING)
    developer = factories.UserFactory(username="dev@example.com", email="dev@example.com")
    profile = factories.DeveloperProfileFactory(user=developer, discoverable=True)
    ProfileSkill.objects.create(profile=profile, skill=python, level="expert")
    match_roles(role_ids=[published.pk])
    saved = SavedSearch.objects.create(user=developer, name="LLM", query="q=llm")
    newcomer = factories.UserFactory(username="new@a.example", email="new@a.example")
    join = JoinRequest.objects.create(user=newcomer, company=company_a)
    curator = factories.UserFactory(username="curator@example.com", is_staff=True)
    curator.groups.add(curators)
    superuser = factories.UserFactory(username="root", is_staff=True, is_superuser=True)
    token = company_invite_token(company=company_a, email="new@a.example")
    tracked = TrackedOpportunity.objects.create(
        user=developer, title="Outside role", company_name="Elsewhere"
    )
    contact = Contact.objects.create(opportunity=tracked, name="Ada")
    interview = InterviewRound.objects.create(opportunity=tracked, at=timezone.now())
    report = RoleReport.objects.create(role=published, reporter=developer, reason="other")
    # A read-and-write token each; used once already, so a request's use of it writes nothing.
    api_secrets = {}
    for name, holder in (
        ("developer", developer),
        ("recruiter_a", recruiter_a),
        ("owner_a", owner_a),
        ("recruiter_b", recruiter_b),
        ("curator", curator),
        ("superuser", superuser),
    ):
        made = api_token_create(user=holder, name="matrix", scope="read_write")
        ApiToken.objects.filter(pk=made.token.pk).update(last_used_at=timezone.now())
        api_secrets[name] = made.secret
    developer_token = ApiToken.objects.get(user=developer)
    attempt = {"user_agent": "test", "ip_address": "192.0.2.1", "username": "x", "path_info": "/"}
    objects = {
        "axes_accessattempt": AccessAttempt.objects.create(
            **attempt, http_accept="*/*", get_data="", post_data="", failures_since_start=1
        ),
        "axes_accesslog": AccessLog.objects.create(**attempt, http_accept="*/*"),
        "axes_accessfailurelog": AccessFailureLog.objects.create(**attempt, http_accept="*/*"),
        "opportunities_ingestrun": IngestRun.objects.create(source=factories.SourceFactory()),
        "opportunities_unknownskillterm": UnknownSkillTerm.objects.create(term="vibes"),
        "auth_group": curators,
        "auth_user": developer,
        "opportunities_company": company_a,
        "opportunities_role": published,
        "opportunities_industry": published.industry,
        "opportunities_skill": python,
        "opportunities_source": factories.SourceFactory(),
        "opportunities_developerprofile": profile,
        "opportunities_rolereport": report,
        "opportunities_exchangerate": ExchangeRate.objects.create(
            currency="EUR", usd_per_unit="1.08", valid_from=timezone.now().date()
        ),
    }
    return {
        "users": {
            "anonymous": None,
            "developer": developer,
            "recruiter_a": recruiter_a,
            "owner_a": owner_a,
            "recruiter_b": recruiter_b,
            "curator": curator,
            "superuser": superuser,
        },
        "published": published,
        "pending": pending,
        "company_a": company_a,
        "saved": saved,
        "match": Match.objects.get(profile=profile, role=published),
        "join": join,
        "token": token,
        "objects": objects,
        "recruiter_a_id": recruiter_a.pk,
        "tracked": tracked,
        "contact": contact,
        "interview": interview,
        "api_secrets": api_secrets,
        "developer_token": developer_token,
    }


def _kwargs(key: str, route: str, estate: dict) -> dict:
    """Arguments that make this URL name one of the estate's things (company A's, mostly)."""
    published, pending = estate["published"], estate["pending"]
    by_key = {
        "role_detail": {"pk": published.pk, "slug": published.slug},
        "company_detail": {"slug": estate["company_a"].slug},
        "skill_detail": {"slug": "python"},
        "skill_detail_csv": {"slug": "python", "name": "trend"},
        "insights_overview_csv": {"name": "rising"},
        "my_insights_csv": {"name": "my-skills"},
        "sitemap_section": {"section": "roles"},
        "alert_unsubscribe": {"token": "not-a-token"},
        "signup_confirm": {"uidb64": "MQ", "token": "bad-token"},
        "password_reset_confirm": {"uidb64": "MQ", "token": "bad-token"},
        "saved_search_update": {"pk": estate["saved"].pk},
        "saved_search_delete": {"pk": estate["saved"].pk},
        "match_dismiss": {"pk": estate["match"].pk},
        "posting_join_decide": {"pk": estate["join"].pk},
        "posting_invite_accept": {"token": estate["token"]},
        "posting_member_remove": {
            "slug": estate["company_a"].slug,
            "user_id": estate["recruiter_a_id"],
        },
        "moderation_role": {"pk": pending.pk},
        "tracker_track": {"role_pk": published.pk},
        "tracker_calendar_feed": {"token": "not-a-token"},
        "tracker_contact_delete": {"pk": estate["tracked"].pk, "contact_pk": estate["contact"].pk},
        "tracker_interview_delete": {
            "pk": estate["tracked"].pk,
            "interview_pk": estate["interview"].pk,
        },
        **{
            key: {"pk": estate["tracked"].pk}
            for key in (
                "tracker_detail",
                "tracker_edit",
                "tracker_move",
                "tracker_delete",
                "tracker_contact_add",
                "tracker_interview_add",
            )
        },
        "moderation_company": {"pk": estate["company_a"].pk},
        "api_skill_trend": {"slug": "python"},
        "api_token_revoke": {"pk": estate["developer_token"].pk},
        "api_tracker_entry": {"pk": estate["tracked"].pk},
        "api_tracker_move": {"pk": estate["tracked"].pk},
        "api_hiring_role_action": {"pk": published.pk, "action": "close"},
        "admin:app_list": {"app_label": "opportunities"},
        "admin:view_on_site": {
            "content_type_id": ContentType.objects.get_for_model(Role).pk,
            "object_id": published.pk,
        },
        "admin:auth_user_password_change": {"id": estate["users"]["developer"].pk},
    }
    if key in by_key:
        return by_key[key]
    kwargs = {}
    if "<slug:slug>" in route:
        kwargs["slug"] = estate["company_a"].slug
    if "<int:pk>" in route:
        kwargs["pk"] = published.pk
    if "object_id" in route:
        model = key.removeprefix("admin:").rsplit("_", 1)[0]
        if key.startswith("admin/"):
            model = "_".join(route.split("/")[1:3])
        obj = estate["objects"].get(model)
        kwargs["object_id"] = obj.pk if obj is not None else 1
    return kwargs


def _url(key: str, route: str, estate: dict) -> str:
    kwargs = _kwargs(key, route, estate)
    if key.startswith("admin/(?P<url>"):
        return "/admin/no-such-page/"
    if key != route:
        return reverse(key, kwargs=kwargs)
    # An unnamed route: fill its converters by hand.
    path = "/" + route
    for name, value in kwargs.items():
        path = re.sub(rf"<(?:\w+:)?{name}>", str(value), path)
    return path


# What a POST sends, so that a request that got through would change something.
POST_DATA: dict[str, dict] = {
    "posting_role_close": {"filled": "yes"},
    "posting_join_decide": {"decision": "approve"},
    "posting_company_invite": {"email": "someone@a.example"},
    "posting_company": {"company-name": "Renamed"},
    "moderation_role": {"decision": "approve"},
    "moderation_company": {"action": "verify"},
    "saved_search_update": {"name": "Renamed", "frequency": "weekly"},
    "hiring_start": {"which": "create", "company-name": "New Co"},
    "role_report": {"reason": "scam", "details": "asks for a fee"},
    "tracker_move": {"stage": "applied"},
    "tracker_edit": {"title": "Renamed", "company_name": "Elsewhere"},
    "tracker_contact_add": {"name": "Grace"},
    "tracker_add_confirm": {"title": "Another", "company_name": "Co"},
    "api_token_list": {"name": "Another", "scope": "read"},
    "api_tracker": {"title": "Another", "company_name": "Co"},
    "api_tracker_move": {"stage": "applied"},
    "api_hiring_role_action": {"filled": True},
}
# Tables a request may touch without changing anything anyone owns.
UNTRACKED = {"django_session", "axes_accesslog", "axes_accessattempt", "axes_accessfailurelog"}


def _fingerprint() -> dict[str, list]:
    """Every row of every table (except sessions and login logs), to compare before/after."""
    state = {}
    for model in apps.get_models():
        table = model._meta.db_table
        if table in UNTRACKED or model._meta.proxy:
            continue
        state[table] = sorted(map(repr, model._default_manager.values_list()))
    return state


def _outcome(response) -> str:
    assert response.status_code < 500, response.status_code
    if response.status_code == 401:
        return TOKEN
    if response.status_code in (403, 404, 405):
        return DENY
    location = response.headers.get("Location", "")
    if response.status_code in (301, 302) and (
        location.startswith(reverse("login")) or location.startswith(reverse("admin:login"))
    ):
        return LOGIN
    return ALLOW


URL_CASES = sorted(all_urls())


def _api_request(client, method: str, url: str, key: str, estate: dict, principal: str):
    """The API as a script calls it: JSON, and the principal's token (none when anonymous)."""
    secret = estate["api_secrets"].get(principal)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {secret}"} if secret else {}
    if method == "get":
        return client.get(url, **headers)
    return client.post(url, POST_DATA.get(key, {}), content_type="application/json", **headers)


@pytest.mark.parametrize(("key", "route"), URL_CASES, ids=[key for key, _ in URL_CASES])
def test_every_url_answers_every_principal_as_the_table_says(client, estate, key, route):
    """GET and POST as each principal; a refused request changes nothing."""
    if key not in URL_RULES:
        pytest.fail(f"{key} ({route}) is missing from URL_RULES")
    url = _url(key, route, estate)
    wrong = []
    for method, rules in zip(("get", "post"), URL_RULES[key], strict=True):
        for principal in PRINCIPALS:
            client.logout()
            user = estate["users"][principal]
            if user is not None:
                client.force_login(user)
            with transaction.atomic():
                before = _fingerprint()
                if key.startswith("api_") and not key.startswith("api_token"):
                    response = _api_request(client, method, url, key, estate, principal)
                elif method == "get":
                    response = client.get(url)
                else:
                    response = client.post(url, POST_DATA.get(key, {}))
                got = _outcome(response)
                if got != rules[principal]:
                    wrong.append(f"{method.upper()} {url} as {principal}: {got}")
                elif got != ALLOW and _fingerprint() != before:
                    wrong.append(f"{method.upper()} {url} as {principal}: refused yet changed")
                transaction.set_rollback(True)
    assert wrong == [], "\n".join(wrong)


def test_the_fingerprint_sees_a_change_a_refused_request_might_make(estate):
    before = _fingerprint()
    Role.objects.filter(pk=estate["pending"].pk).update(title="Changed")
    assert _fingerprint() != before


def test_roles_are_editable_by_their_company_s_recruiters_only(estate):
    users, published = estate["users"], estate["published"]
    ingested = factories.RoleFactory(company=estate["company_a"], origin=Role.Origin.INGEST)

    for principal in PRINCIPALS:
        user = users[principal] or AnonymousUser()
        editable = set(Role.objects.editable_by(user))
        if principal in {"recruiter_a", "owner_a"}:
            assert editable == {published, estate["pending"]}
            assert access.can_edit_role(user, published)
        else:
            assert editable == set(), principal
            assert not access.can_edit_role(user, published)
        assert ingested not in editable


def test_only_an_owner_s_own_membership_makes_them_an_owner(estate):
    # Company A has an owner, but recruiter_a is not one.
    assert list(access.owned_companies(estate["users"]["recruiter_a"])) == []
    assert list(access.owned_companies(estate["users"]["owner_a"])) == [estate["company_a"]]
    assert not access.is_company_owner(estate["users"]["recruiter_a"], estate["company_a"].pk)

"""The CSP and the other security headers on every URL of the project, for every kind of user."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth.models import Group
from django.contrib.auth.tokens import default_token_generator
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts.services import signup_token_generator
from opportunities.alerts.services import saved_search_create
from opportunities.alerts.unsubscribe import UnsubscribeTarget, unsubscribe_token
from opportunities.catalog.services import company_membership_add
from opportunities.models import IngestRun, Match, Role, TrackedOpportunity, UnknownSkillTerm
from opportunities.posting.services import company_invite_token
from opportunities.profiles.services import profile_update
from opportunities.tracker import services as tracker_services
from tests import factories
from tests.security.project_urls import path_for, patterns

pytestmark = pytest.mark.django_db

STRICT = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'none'",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
}


def directives(header: str) -> dict[str, str]:
    """A CSP header as {directive: sources}."""
    parts = (part.strip().split(" ", 1) for part in header.split(";") if part.strip())
    return {part[0]: part[1] if len(part) > 1 else "" for part in parts}


def site_rows() -> tuple[dict[str, str], dict[str, object]]:
    """A row behind every URL parameter, and a user of each kind: (values, users by kind)."""
    admin = factories.UserFactory(is_staff=True, is_superuser=True)
    developer = factories.UserFactory()
    recruiter = factories.UserFactory()
    pending = factories.UserFactory(is_active=False)
    role = factories.RoleFactory(status=Role.Status.PUBLISHED)
    company_membership_add(company=role.company, user=recruiter)
    profile = profile_update(user=developer, headline="Applied ML engineer", discoverable=True)
    match = Match.objects.create(profile=profile, role=role, score=80, explanation={})
    search = saved_search_create(user=developer, query="q=rag")
    tracked = tracker_services.opportunity_track_role(user=developer, role=role).opportunity
    contact = tracker_services.contact_add(opportunity=tracked, name="Ada")
    interview = tracker_services.interview_add(opportunity=tracked, at=timezone.now())
    calendar_token = tracker_services.calendar_rotate(user=developer)
    source = factories.SourceFactory()
    IngestRun.objects.create(source=source)
    UnknownSkillTerm.objects.create(term="vectorflow")
    skill = factories.SkillFactory()
    factories.IndustryFactory()
    Group.objects.create(name="Readers")
    AccessAttempt.objects.create(
        username="x@example.com", ip_address="127.0.0.1", failures_since_start=1
    )
    AccessLog.objects.create(username="x@example.com", ip_address="127.0.0.1")
    AccessFailureLog.objects.create(username="x@example.com", ip_address="127.0.0.1")
    values = {
        "pk": str(role.pk),
        "slug": role.slug,
        "company_detail.slug": role.company.slug,
        "saved_search_update.pk": str(search.pk),
        "saved_search_delete.pk": str(search.pk),
        "match_dismiss.pk": str(match.pk),
        "tracker_detail.pk": str(tracked.pk),
        "tracker_edit.pk": str(tracked.pk),
        "tracker_move.pk": str(tracked.pk),
        "tracker_delete.pk": str(tracked.pk),
        "tracker_contact_add.pk": str(tracked.pk),
        "tracker_contact_delete.pk": str(tracked.pk),
        "tracker_interview_add.pk": str(tracked.pk),
        "tracker_interview_delete.pk": str(tracked.pk),
        "contact_pk": str(contact.pk),
        "interview_pk": str(interview.pk),
        "role_pk": str(role.pk),
        "tracker_calendar_feed.token": calendar_token,
        "token": unsubscribe_token(user_id=developer.pk, target=UnsubscribeTarget.ALL),
        "signup_confirm.uidb64": urlsafe_base64_encode(force_bytes(pending.pk)),
        "signup_confirm.token": signup_token_generator.make_token(pending),
        "password_reset_confirm.uidb64": urlsafe_base64_encode(force_bytes(developer.pk)),
        "password_reset_confirm.token": default_token_generator.make_token(developer),
        "section": "roles",
        "id": str(developer.pk),
        "app_label": "opportunities",
        "url": "no-such-page/",
        "content_type_id": str(ContentType.objects.get_for_model(Role).pk),
        "view_on_site.object_id": str(role.pk),
        "user_id": str(recruiter.pk),
        **{
            f"{name}.slug": role.company.slug
            for name in (
                "posting_company",
                "posting_company_invite",
                "posting_member_remove",
                "posting_role_new",
                "api_company",
            )
        },
        "action": "close",
        "posting_invite_accept.token": company_invite_token(company=role.company, email="x@a.b"),
        "skill_detail.slug": skill.slug,
        "skill_detail_csv.slug": skill.slug,
        "skill_detail_csv.name": "trend",
        "insights_overview_csv.name": "rising",
        "my_insights_csv.name": "my-skills",
    }
    return values, {"developer": developer, "recruiter": recruiter, "admin": admin}


@pytest.fixture
def site(enqueued):
    """site_rows(), with a logged-in test client for each kind of user and one anonymous."""
    values, users = site_rows()
    clients = {"anonymous": Client()}
    for name, user in users.items():
        clients[name] = Client()
        clients[name].force_login(user)
    return values, clients


def project_paths(values: dict[str, str]) -> list[str]:
    return sorted({path_for(pattern, values) for pattern in patterns()})


def test_the_walk_reaches_every_part_of_the_project(site):
    paths = project_paths(site[0])
    assert len(paths) >= 100
    for expected in ("/", "/jobs/", "/jobs/feed/atom/", "/accounts/signup/", "/me/alerts/"):
        assert expected in paths
    assert any(path.startswith("/admin/opportunities/role/") for path in paths)
    assert any(path.startswith("/accounts/signup/confirm/") for path in paths)


def test_every_url_sends_a_strict_csp_and_the_security_headers(site):
    values, clients = site
    missing = []
    for path in project_paths(values):
        for who, client in clients.items():
            response = client.get(path, secure=True)
            header = response.headers.get("Content-Security-Policy", "")
            policy = directives(header)
            wrong = [d for d, v in STRICT.items() if policy.get(d) != v]
            if not header or wrong or "unsafe-" in header:
                missing.append(f"{path} as {who} ({response.status_code}): {header or 'no CSP'}")
            for name in ("Referrer-Policy", "Permissions-Policy", "Cross-Origin-Opener-Policy"):
                if name not in response.headers:
                    missing.append(f"{path} as {who}: no {name}")
            assert response.status_code < 500, f"{path} as {who}"
    assert missing == []


class _InlineCode(HTMLParser):
    """Collects what the CSP would refuse: inline scripts, on* handlers, style attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = dict(attrs)
        for name in names:
            if name.startswith("on") or name == "style":
                self.found.append(f"<{tag} {name}=...>")
        if tag == "script":
            src = names.get("src") or ""
            # JSON-LD and json_script's JSON are data: CSP only governs scripts a browser runs.
            data = names.get("type") in {"application/ld+json", "application/json"}
            if not data and not src.startswith("/static/"):
                self.found.append(f"<script {names}>")
        if tag == "style":
            self.found.append("<style>")


def test_pages_hold_nothing_inline_the_csp_would_block(site):
    clients = site[1]
    role = Role.objects.get()
    pages = {
        "anonymous": ["/", "/jobs/", role.get_absolute_url(), role.company.get_absolute_url()],
        "developer": [
            "/me/profile/",
            "/me/matches/",
            "/me/alerts/",
            "/me/matches/skills/",
            "/me/tracker/",
            "/me/tracker/table/",
            "/me/tracker/numbers/",
            "/me/tracker/add/",
            "/me/tracker/import/",
            "/me/tracker/calendar/",
            f"/me/tracker/{TrackedOpportunity.objects.get().pk}/",
            "/accounts/delete/",
        ],
        "recruiter": [f"/jobs/{role.pk}/candidates/"],
    }
    pages["anonymous"] += ["/accounts/login/", "/accounts/signup/", "/accounts/password-reset/"]
    found = []
    for who, paths in pages.items():
        for path in paths:
            response = clients[who].get(path)
            assert response.status_code == 200, path
            parser = _InlineCode()
            parser.feed(response.content.decode())
            found += [f"{path}: {item}" for item in parser.found]
    assert found == []
    # The role page's JSON-LD is there, as data.
    assert (
        'type="application/ld+json"'
        in clients["anonymous"].get(role.get_absolute_url()).content.decode()
    )

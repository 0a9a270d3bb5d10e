"""The API's endpoints: the same answers as the pages, conditional GETs, CORS, problems."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from opportunities.matching.rematch import match_roles
from opportunities.models import CompanyMembership, ProfileSkill, Role, TrackedOpportunity
from tests import factories
from tests.api.conftest import bearer

pytestmark = pytest.mark.django_db


@pytest.fixture
def board(db):
    """Roles that differ in text, skills, workplace, seniority, salary and age."""
    python = factories.SkillFactory(name="Python", slug="python")
    rust = factories.SkillFactory(name="Rust", slug="rust")
    health = factories.IndustryFactory(name="Healthcare", slug="healthcare")
    acme = factories.CompanyFactory(name="Acme", slug="acme")
    now = timezone.now()
    roles = []
    for n in range(45):
        roles.append(
            factories.RoleFactory(
                title=("Computer vision engineer" if n % 3 == 0 else "LLM platform engineer")
                + f" {n}",
                company=acme if n % 4 == 0 else factories.CompanyFactory(),
                industry=health if n % 2 == 0 else factories.IndustryFactory(),
                skills=[python] if n % 2 else [python, rust],
                workplace="remote" if n % 5 else "onsite",
                worldwide=n % 5 != 0 and n % 3 == 0,
                seniority="senior" if n % 2 else "mid",
                salary_min=100_000 + 1000 * n,
                salary_max=150_000 + 1000 * n,
                salary_currency="USD",
                salary_period="year",
                posted_at=now - timedelta(hours=n),
            )
        )
    return roles


SEARCHES = [
    "",
    "q=vision",
    "q=%22platform+engineer%22+-vision",
    "skill=python&skill=rust",
    "skill=rust,python&skills=any&workplace=remote",
    "industry=healthcare&seniority=senior",
    "worldwide=1",
    "salary_min=120k&sort=salary",
    "company=acme&posted_within=1",
    "sort=newest&page=2",
    "q=engineer&sort=relevance&page=2",
    "skill=cobol&seniority=wizard&salary_min=lots",
]


@pytest.mark.parametrize("query", SEARCHES)
def test_the_api_finds_what_the_search_page_finds(client, board, query):
    page = client.get(f"/jobs/?{query}")
    api = client.get(f"/api/v1/roles/?{query}").json()

    assert [role["id"] for role in api["results"]] == [card.pk for card in page.context["roles"]]
    result = page.context["result"]
    assert api["count"] == result.count
    assert api["sort"] == result.sort
    assert api["errors"] == {name: list(errors) for name, errors in result.errors.items()}
    assert api["messages"] == list(result.messages)


def test_bad_values_are_explained_and_left_out(client, board):
    api = client.get("/api/v1/roles/?skill=cobol&salary_min=lots").json()
    assert api["errors"]["skill"] == ["We don't know the skill “cobol”, so it was left out."]
    assert "salary_min" in api["errors"]
    assert api["count"] == len(board)


def test_the_next_links_walk_every_role_once_by_cursor(client, board):
    seen, url = [], "/api/v1/roles/?sort=newest"
    while url:
        page = client.get(url).json()
        seen += [role["id"] for role in page["results"]]
        url = page["next"]
        assert url is None or "after=" in url
    newest_first = sorted(board, key=lambda role: role.posted_at, reverse=True)
    assert seen == [role.pk for role in newest_first]


def test_a_role_answers_304_to_its_own_etag(client, board):
    role = board[0]
    first = client.get(f"/api/v1/roles/{role.pk}/")
    assert first.status_code == 200 and first.json()["skills"]

    again = client.get(f"/api/v1/roles/{role.pk}/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again.content == b""

    Role.objects.filter(pk=role.pk).update(title="Renamed")
    changed = client.get(f"/api/v1/roles/{role.pk}/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200 and changed.json()["title"] == "Renamed"


def test_a_draft_is_not_found_for_anyone_but_its_company(client, company):
    draft = factories.RoleFactory(company=company, status=Role.Status.DRAFT, posted_at=None)
    response = client.get(f"/api/v1/roles/{draft.pk}/")
    assert response.status_code == 404
    assert response.json() == {
        "type": "about:blank",
        "title": "Not Found",
        "status": 404,
        "detail": "There is no role with that id.",
    }


def test_cors_is_open_for_public_reads_only(client, board, write_token):
    origin = {"HTTP_ORIGIN": "https://someone.example"}
    public = client.get("/api/v1/roles/", **origin)
    assert public["Access-Control-Allow-Origin"] == "*"
    private = client.get("/api/v1/me/tracker/", **origin, **bearer(write_token.secret))
    assert "Access-Control-Allow-Origin" not in private
    preflight = client.options(
        "/api/v1/me/tracker/", **origin, HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST"
    )
    assert "Access-Control-Allow-Origin" not in preflight


def test_an_unknown_address_is_a_problem_too(client):
    response = client.get("/api/v1/nothing/here/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"


def test_skills_come_with_their_aliases(client):
    skill = factories.SkillFactory(name="PyTorch", slug="pytorch")
    factories.SkillAliasFactory(skill=skill, name="torch")
    skills = client.get("/api/v1/skills/").json()
    assert {
        "slug": "pytorch",
        "name": "PyTorch",
        "category": skill.category,
        "aliases": ["torch"],
    } in skills


def test_matches_come_with_their_explanations(client, developer, write_token):
    python = factories.SkillFactory(name="Python", slug="python")
    role = factories.RoleFactory(skills=[python], worldwide=True)
    profile = factories.DeveloperProfileFactory(user=developer)
    ProfileSkill.objects.create(profile=profile, skill=python, level="expert")
    match_roles(role_ids=[role.pk])

    matches = client.get("/api/v1/me/matches/", **bearer(write_token.secret)).json()["results"]

    assert [match["role_id"] for match in matches] == [role.pk]
    assert matches[0]["explanation"]["matched_required"] == ["python"]
    profile_body = client.get("/api/v1/me/profile/", **bearer(write_token.secret)).json()
    assert profile_body["skills"][0]["slug"] == "python"


def test_the_tracker_moves_and_takes_notes_through_its_services(client, write_token, role):
    headers = bearer(write_token.secret)
    created = client.post(
        "/api/v1/me/tracker/",
        {"title": "Research engineer", "company_name": "Elsewhere", "stage": "applied"},
        content_type="application/json",
        **headers,
    ).json()
    pk = created["id"]

    moved = client.post(
        f"/api/v1/me/tracker/{pk}/move/",
        {"stage": "interviewing", "note": "First call booked"},
        content_type="application/json",
        **headers,
    ).json()
    noted = client.patch(
        f"/api/v1/me/tracker/{pk}/",
        {"notes": "Ask about\x00 evals"},
        content_type="application/json",
        **headers,
    ).json()

    assert [step["stage"] for step in moved["history"]] == ["applied", "interviewing"]
    assert moved["history"][-1]["note"] == "First call booked"
    assert noted["notes"] == "Ask about evals"
    assert TrackedOpportunity.objects.get(pk=pk).stage == "interviewing"
    bad = client.post(
        f"/api/v1/me/tracker/{pk}/move/",
        {"stage": "hired"},
        content_type="application/json",
        **headers,
    )
    assert bad.status_code == 400 and "stage" in bad.json()["errors"]


def test_someone_else_s_entry_is_not_found(client, write_token):
    other = TrackedOpportunity.objects.create(
        user=factories.UserFactory(), title="Theirs", company_name="Co"
    )
    response = client.get(f"/api/v1/me/tracker/{other.pk}/", **bearer(write_token.secret))
    assert response.status_code == 404


def test_recruiters_take_lifecycle_steps_the_table_allows(client, developer, write_token, company):
    CompanyMembership.objects.create(user=developer, company=company)
    draft = factories.RoleFactory(company=company, status=Role.Status.DRAFT, posted_at=None)
    published = factories.RoleFactory(company=company)
    headers = bearer(write_token.secret)

    listed = client.get("/api/v1/hiring/roles/", **headers).json()["results"]
    closed = client.post(
        f"/api/v1/hiring/roles/{published.pk}/close/",
        {"filled": True},
        content_type="application/json",
        **headers,
    )
    refused = client.post(
        f"/api/v1/hiring/roles/{draft.pk}/close/", {}, content_type="application/json", **headers
    )

    assert {role["id"]: role["actions"] for role in listed} == {
        draft.pk: ["submit"],
        published.pk: ["close"],
    }
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    assert refused.status_code == 409 and refused["Content-Type"] == "application/problem+json"
    published.refresh_from_db()
    assert published.status == Role.Status.CLOSED and published.filled is True
    stats = client.get("/api/v1/hiring/stats/", **headers).json()
    assert {row["role_id"] for row in stats} == {draft.pk, published.pk}


def test_the_docs_page_runs_under_the_site_s_policy(client):
    response = client.get("/api/v1/docs/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<style" not in html and "<script>" not in html
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert "cdn" not in html.lower()
    assert client.get("/api/v1/docs/?script=").status_code == 200

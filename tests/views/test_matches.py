"""My matches, its actions and suggestions; a recruiter's candidates, only the opted-in."""

from __future__ import annotations

import pytest
from django.urls import reverse

from opportunities.matching.live import matching_index_reset
from opportunities.matching.rematch import match_roles
from opportunities.models import Match, ProfileSkill, Role, RoleSkill, TrackedOpportunity
from tests import factories

pytestmark = pytest.mark.django_db


def make_profile(skills: dict, **kwargs):
    profile = factories.DeveloperProfileFactory(**kwargs)
    for skill, level in skills.items():
        ProfileSkill.objects.create(profile=profile, skill=skill, level=level)
    return profile


@pytest.fixture
def setup(db):
    python = factories.SkillFactory(name="Python")
    torch = factories.SkillFactory(name="PyTorch")
    company = factories.CompanyFactory(name="Acme AI")
    role = factories.RoleFactory(
        company=company, title="LLM Engineer", worldwide=True, skills=[python, torch]
    )
    other_role = factories.RoleFactory(title="RAG Engineer", worldwide=True, skills=[python])
    shy = make_profile({python: "expert", torch: "expert"}, headline="Keeps to herself")
    open_ = make_profile(
        {python: "expert", torch: "working"}, headline="Open to offers", discoverable=True
    )
    match_roles(role_ids=[role.id, other_role.id])
    return {"role": role, "other_role": other_role, "shy": shy, "open": open_, "company": company}


def test_my_matches_needs_login(client):
    response = client.get(reverse("match_list"))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_a_developer_without_a_profile_is_invited_to_create_one(client, user):
    client.force_login(user)
    response = client.get(reverse("match_list"))
    assert response.status_code == 200
    assert b'href="/me/profile/"' in response.content


def test_my_matches_shows_only_my_ranked_matches_with_reasons(client, setup):
    client.force_login(setup["shy"].user)
    response = client.get(reverse("match_list"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "LLM Engineer" in body and "RAG Engineer" in body
    scores = [match.score for match in response.context["matches"]]
    assert scores == sorted(scores, reverse=True)
    assert "skill-hit" in body and "Remote ok" in body and "Worldwide" in body
    mine = set(Match.objects.filter(profile=setup["shy"]).values_list("id", flat=True))
    shown = set(response.context["matches"].values_list("id", flat=True))
    assert shown == mine


def test_closed_roles_disappear_from_my_matches(client, setup):
    Role.objects.filter(id=setup["other_role"].id).update(status=Role.Status.CLOSED)
    client.force_login(setup["shy"].user)
    body = client.get(reverse("match_list")).content.decode()
    assert "RAG Engineer" not in body and "LLM Engineer" in body


def test_track_and_dismiss_without_javascript(client, setup):
    """Saving a match is tracking its role: one concept, kept in the tracker."""
    match = Match.objects.get(profile=setup["shy"], role=setup["role"])
    client.force_login(setup["shy"].user)
    page = client.get(reverse("match_list")).content.decode()
    assert reverse("tracker_track", args=[setup["role"].pk]) in page
    response = client.post(
        reverse("tracker_track", args=[setup["role"].pk]), {"next": reverse("match_list")}
    )
    assert response.status_code == 302 and response["Location"] == reverse("match_list")
    assert TrackedOpportunity.objects.filter(user=setup["shy"].user, role=setup["role"]).exists()
    assert "✓ Tracked" in client.get(reverse("match_list")).content.decode()
    response = client.post(reverse("match_dismiss", args=[match.pk]), {"value": "1"})
    match.refresh_from_db()
    assert match.dismissed
    assert "LLM Engineer" not in client.get(reverse("match_list")).content.decode()
    assert "LLM Engineer" in client.get(reverse("tracker_board")).content.decode()
    dismissed = client.get(reverse("match_list") + "?show=dismissed").content.decode()
    assert "LLM Engineer" in dismissed and "Restore" in dismissed


def test_dismiss_with_htmx_returns_the_card(client, setup):
    match = Match.objects.get(profile=setup["shy"], role=setup["role"])
    client.force_login(setup["shy"].user)
    response = client.post(
        reverse("match_dismiss", args=[match.pk]), {"value": "1"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert f'id="match-{match.pk}"' in response.content.decode()
    assert "Restore" in response.content.decode()


def test_actions_need_post_and_csrf(setup):
    from django.test import Client

    match = Match.objects.get(profile=setup["shy"], role=setup["role"])
    client = Client(enforce_csrf_checks=True)
    client.force_login(setup["shy"].user)
    assert client.get(reverse("match_dismiss", args=[match.pk])).status_code == 405
    assert client.post(reverse("match_dismiss", args=[match.pk])).status_code == 403


def test_one_developer_cannot_touch_anothers_match(client, setup):
    match = Match.objects.get(profile=setup["shy"], role=setup["role"])
    client.force_login(setup["open"].user)
    assert client.post(reverse("match_dismiss", args=[match.pk])).status_code == 404
    match.refresh_from_db()
    assert not match.dismissed


def test_skills_to_learn_page(client, setup):
    rag = factories.SkillFactory(name="RAG")
    python = setup["role"].skills.get(slug="python")
    for i in range(2):
        role = factories.RoleFactory(title=f"Retrieval {i}", worldwide=True)
        for skill in (python, rag):
            RoleSkill.objects.create(role=role, skill=skill)
    learner = make_profile({python: "expert"})
    matching_index_reset()  # as in a web process that loads after these roles were published
    client.force_login(learner.user)
    body = client.get(reverse("skills_to_learn")).content.decode()
    assert "RAG" in body and "would add 2 roles" in body


def test_recruiter_sees_only_discoverable_candidates(client, setup):
    recruiter = factories.MembershipFactory(company=setup["company"]).user
    client.force_login(recruiter)
    response = client.get(reverse("role_candidates", args=[setup["role"].pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Open to offers" in body
    assert "Keeps to herself" not in body
    assert setup["shy"].user.username not in body
    assert {m.profile_id for m in response.context["candidates"]} == {setup["open"].id}


def test_recruiter_of_another_company_gets_404(client, setup):
    outsider = factories.MembershipFactory().user
    client.force_login(outsider)
    assert client.get(reverse("role_candidates", args=[setup["role"].pk])).status_code == 404
    developer = setup["shy"].user
    client.force_login(developer)
    assert client.get(reverse("role_candidates", args=[setup["role"].pk])).status_code == 404


def test_curators_get_404_and_superusers_may_see_candidates(client, setup):
    # Developers' profiles are private from curators, staff though they are.
    client.force_login(factories.UserFactory(is_staff=True))
    assert client.get(reverse("role_candidates", args=[setup["role"].pk])).status_code == 404
    client.force_login(factories.UserFactory(is_staff=True, is_superuser=True))
    response = client.get(reverse("role_candidates", args=[setup["role"].pk]))
    assert response.status_code == 200 and "Open to offers" in response.content.decode()

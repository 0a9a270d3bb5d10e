"""Who gets what: each kind of visitor against each kind of page (opportunities/access.py).

404, never 403, for what a visitor may not see: a draft's or a candidate list's existence is
private too. Anonymous visitors asking for a page that needs an account are sent to log in.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from opportunities import access
from opportunities.catalog.curators import curators_group_sync
from opportunities.matching.rematch import match_roles, matching_index_reset
from opportunities.models import ProfileSkill, Role
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

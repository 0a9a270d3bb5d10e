"""The home page lists open roles with what a developer scans for first."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from opportunities.models import Role, RoleSkill
from opportunities.search import backends, service
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def published_role(company):
    industry = factories.IndustryFactory(name="Healthcare & Medicine")
    role = factories.RoleFactory(
        company=company,
        title="Senior ML Engineer, Clinical LLMs",
        industry=industry,
        workplace="remote",
        worldwide=True,
    )
    RoleSkill.objects.create(role=role, skill=factories.SkillFactory(name="PyTorch"))
    RoleSkill.objects.create(
        role=role, skill=factories.SkillFactory(name="Retrieval-Augmented Generation"), kind="nice"
    )
    return role


def test_home_lists_published_roles_with_company_industry_workplace_and_skills(
    client, published_role
):
    response = client.get("/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "Senior ML Engineer, Clinical LLMs" in html
    assert "Acme Health AI" in html
    assert "Healthcare &amp; Medicine" in html
    assert "Remote" in html
    assert "Worldwide" in html
    assert "PyTorch" in html
    assert "Retrieval-Augmented Generation" in html
    assert published_role.get_absolute_url() in html


def test_home_leaves_out_roles_that_are_not_open(client, company):
    factories.RoleFactory(company=company, title="Pending role", status=Role.Status.PENDING)
    factories.RoleFactory(company=company, title="Draft role", status=Role.Status.DRAFT)
    factories.RoleFactory(
        company=company,
        title="Expired role",
        expires_at=timezone.now() - timezone.timedelta(days=1),
    )
    factories.RoleFactory(company=company, title="Open role")

    html = client.get("/").content.decode()

    assert "Open role" in html
    for hidden in ("Pending role", "Draft role", "Expired role"):
        assert hidden not in html


def test_home_shows_newest_roles_first(client, company):
    now = timezone.now()
    factories.RoleFactory(company=company, title="Older role", posted_at=now.replace(year=2025))
    factories.RoleFactory(company=company, title="Newer role", posted_at=now)

    html = client.get("/").content.decode()

    assert html.index("Newer role") < html.index("Older role")


def test_home_without_roles_says_so(client, db):
    response = client.get("/")

    assert response.status_code == 200
    assert "No open roles yet" in response.content.decode()


def test_home_shows_the_20_newest_open_roles_as_cards(client, company):
    now = timezone.now()
    for n in range(25):
        factories.RoleFactory(
            company=company, title=f"Role {n:02d}", posted_at=now - timedelta(hours=n)
        )

    html = client.get("/").content.decode()

    titles = re.findall(r'<h3 class="role-title"><a href="[^"]*">([^<]*)</a></h3>', html)
    assert titles == [f"Role {n:02d}" for n in range(20)]
    assert "25 open roles" in html


def test_home_card_links_the_role_and_its_company(client, published_role, company):
    html = client.get("/").content.decode()

    assert (
        f'<a href="{published_role.get_absolute_url()}">Senior ML Engineer, Clinical LLMs</a>'
        in html
    )
    assert f'<a href="{company.get_absolute_url()}">Acme Health AI</a>' in html
    assert (
        '<li class="skill skill-nice"><a href="/skills/retrieval-augmented-generation/">'
        "Retrieval-Augmented Generation</a></li>" in html
    )
    assert "Posted <time datetime=" in html


@pytest.mark.parametrize("role_count", [1, 30])
def test_home_query_count_does_not_grow_with_roles(
    client, company, role_count, django_assert_max_num_queries
):
    skills = [factories.SkillFactory(name=f"Skill {n}") for n in range(10)]
    for _ in range(role_count):
        factories.RoleFactory(company=company, skills=skills)

    # The newest ids, the cards' two queries, the open count and the industries.
    with django_assert_max_num_queries(5):
        assert client.get("/").status_code == 200


def test_home_counts_open_roles_exactly_up_to_the_search_sample(client, company):
    for _ in range(3):
        factories.RoleFactory(company=company)
    factories.RoleFactory(company=company, status=Role.Status.DRAFT)

    html = client.get("/").content.decode()

    assert "3 open roles" in html


def test_home_gives_the_planners_estimate_above_the_search_sample_and_never_counts_all(
    client, company, monkeypatch
):
    # The search page's threshold, made small; the estimate, made recognisable.
    monkeypatch.setattr(service, "SAMPLE", 3)
    for backend in (backends.SearchBackend, backends.PostgresSearchBackend):
        monkeypatch.setattr(backend, "estimate_count", lambda self, queryset: 12_345)
    for _ in range(5):
        factories.RoleFactory(company=company)

    with CaptureQueriesContext(connection) as queries:
        html = client.get("/").content.decode()

    assert "About 12,000 open roles" in html
    counts = [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]
    assert counts, "the count below the threshold is still read, capped"
    assert all("LIMIT" in sql.upper() for sql in counts), counts

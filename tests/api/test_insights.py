"""The insights series through the API: the same rollups the pages draw, bad values as problems."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from opportunities.insights import selectors, services
from tests.factories import IndustryFactory, RoleFactory, SkillFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def board():
    """RAG: 10 postings 100-145 days ago, 20 in the last 90 (rising); COBOL the other way."""
    rag = SkillFactory(name="RAG", slug="rag")
    cobol = SkillFactory(name="COBOL", slug="cobol")
    health = IndustryFactory(name="Healthcare", slug="healthcare")
    now = timezone.now()
    for n in range(10):
        RoleFactory(posted_at=now - datetime.timedelta(days=100 + n * 5), skills=[rag])
        RoleFactory(posted_at=now - datetime.timedelta(days=100 + n * 5), skills=[cobol])
    for n in range(20):
        RoleFactory(posted_at=now - datetime.timedelta(days=n * 4), skills=[rag], industry=health)
    RoleFactory(posted_at=now - datetime.timedelta(days=3), skills=[cobol])
    services.insights_rebuild()
    return {"rag": rag, "cobol": cobol}


def test_a_skill_s_trend_is_the_series_its_page_draws(api, board):
    response = api.get(reverse("api_skill_trend", kwargs={"slug": "rag"}), {"weeks": 30})

    assert response.status_code == 200
    body = response.json()
    assert body["skill"] == {"slug": "rag", "name": "RAG"}
    expected = selectors.skill_trend(board["rag"].pk, weeks=30)
    assert [week["open_roles"] for week in body["weeks"]] == [
        week["open_roles"] for week in expected
    ]
    assert [week["week"] for week in body["weeks"]] == [
        week["week"].isoformat() for week in expected
    ]
    # 30 postings asked for RAG over the period, each new in one week.
    assert sum(week["new_roles"] for week in body["weeks"]) == 30


def test_a_trend_narrows_to_an_industry(api, board):
    response = api.get(
        reverse("api_skill_trend", kwargs={"slug": "rag"}), {"industry": "healthcare"}
    )

    assert response.status_code == 200
    weeks = response.json()["weeks"]
    assert sum(week["new_roles"] for week in weeks) == 20
    assert all(week["open_share"] in (None, 100.0) for week in weeks)


@pytest.mark.parametrize(
    "query, field",
    [
        ({"industry": "nowhere"}, "industry"),
        ({"workplace": "moon"}, "workplace"),
        ({"industry": "healthcare", "workplace": "remote"}, "workplace"),
        ({"weeks": "0"}, "weeks"),
        ({"weeks": "many"}, "weeks"),
    ],
)
def test_bad_trend_values_are_a_problem_naming_the_value(api, board, query, field):
    response = api.get(reverse("api_skill_trend", kwargs={"slug": "rag"}), query)

    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/problem+json")
    assert field in response.json()["errors"]


def test_an_unknown_skill_has_no_trend(api, board):
    response = api.get(reverse("api_skill_trend", kwargs={"slug": "fortran-77"}))

    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/problem+json")


def test_rising_and_falling_skills_rank_by_growth_with_their_counts(api, board):
    rising = api.get(reverse("api_rising_skills")).json()
    falling = api.get(reverse("api_rising_skills"), {"direction": "falling"}).json()

    assert [skill["slug"] for skill in rising["skills"]] == ["rag"]
    assert rising["skills"][0]["recent"] == 20
    assert rising["skills"][0]["previous"] == 10
    assert rising["skills"][0]["growth"] == 100.0
    assert [skill["slug"] for skill in falling["skills"]] == ["cobol"]
    assert falling["skills"][0]["growth"] == -90.0
    assert rising["min_count"] == services.RISING_MIN_COUNT


def test_rising_refuses_a_limit_out_of_range(api, board):
    response = api.get(reverse("api_rising_skills"), {"limit": "500"})

    assert response.status_code == 400
    assert "limit" in response.json()["errors"]


def test_the_insights_series_are_open_to_other_sites(client, board):
    origin = {"HTTP_ORIGIN": "https://someone.example"}
    for path in (reverse("api_rising_skills"), reverse("api_skill_trend", kwargs={"slug": "rag"})):
        assert client.get(path, **origin)["Access-Control-Allow-Origin"] == "*"

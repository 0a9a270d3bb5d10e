"""The insights pages: figures as tables without scripts, CSV downloads, sample sizes, privacy."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from opportunities.insights import services
from opportunities.insights.buckets import MIN_SALARIES
from opportunities.models import DeveloperProfile, ProfileSkill
from tests.factories import RoleFactory, SkillFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def board():
    """Two skills: RAG on 25 salaried senior roles, LangChain on 3 of them, posted over weeks."""
    rag = SkillFactory(name="RAG", slug="rag")
    langchain = SkillFactory(name="LangChain", slug="langchain")
    now = timezone.now()
    for n in range(25):
        RoleFactory(
            posted_at=now - datetime.timedelta(days=n * 3),
            skills=[rag, langchain] if n < 3 else [rag],
            seniority="senior",
            salary_currency="EUR",
            salary_yearly_min=80000 + n * 2000,
            salary_yearly_max=80000 + n * 2000,
        )
    services.insights_rebuild()
    return {"rag": rag, "langchain": langchain}


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_the_overview_shows_every_figure_as_a_table_and_links_skills(client, board):
    response = client.get(reverse("insights_overview"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "How these numbers are made" in html
    assert '<table class="data">' in html
    assert reverse("skill_detail", kwargs={"slug": "rag"}) in html
    # The chart data is inert JSON for the script; no inline code.
    assert 'id="insights-chart-data" type="application/json"' in html
    assert "<script>" not in html


def test_a_skill_page_shows_its_salary_with_the_sample_size_and_related_skills(client, board):
    response = client.get(reverse("skill_detail", kwargs={"slug": "rag"}))
    assert response.status_code == 200
    salary = csv_rows(
        client.get(reverse("skill_detail_csv", kwargs={"slug": "rag", "name": "salary"}))
    )
    assert salary[0] == [
        "Roles",
        "Currency",
        "25th percentile",
        "Median",
        "75th percentile",
        "Salaries",
    ]
    assert salary[1][1] == "EUR" and salary[1][5] == "25"
    assert salary[1][3] != "—"
    related = csv_rows(
        client.get(reverse("skill_detail_csv", kwargs={"slug": "rag", "name": "related"}))
    )
    assert related[1][:2] == ["LangChain", "3"]


def test_percentiles_are_hidden_below_the_minimum_sample(client, board):
    rows = csv_rows(
        client.get(reverse("skill_detail_csv", kwargs={"slug": "langchain", "name": "salary"}))
    )
    assert int(rows[1][5]) < MIN_SALARIES
    assert rows[1][2:5] == ["—", "—", "—"]


def test_a_skill_trend_csv_counts_open_roles_per_week(client, board):
    rows = csv_rows(
        client.get(reverse("skill_detail_csv", kwargs={"slug": "langchain", "name": "trend"}))
    )
    header, latest = rows[0], rows[-1]
    assert header[:4] == ["Week of", "Open roles asking", "All open roles", "Share of open"]
    assert latest[1:4] == ["3", "25", "12.0%"]


def test_an_unknown_table_or_skill_is_a_404(client, board):
    assert client.get(reverse("insights_overview_csv", kwargs={"name": "nope"})).status_code == 404
    assert client.get(reverse("skill_detail", kwargs={"slug": "nope"})).status_code == 404


def test_my_insights_need_a_login_and_show_only_my_own_figures(client, board):
    url = reverse("my_insights")
    assert client.get(url).status_code == 302
    me = UserFactory()
    profile = DeveloperProfile.objects.create(
        user=me, seniority="senior", salary_floor=100000, salary_currency="EUR"
    )
    ProfileSkill.objects.create(profile=profile, skill=board["langchain"])
    client.force_login(me)
    response = client.get(url)
    html = response.content.decode()
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    # 100,000 is above the 10 salaries of 80,000..98,000 among the 25.
    assert "above about <strong>40.0%</strong> of the 25" in html
    learn = csv_rows(client.get(reverse("my_insights_csv", kwargs={"name": "learn-next"})))
    assert [row[0] for row in learn[1:]] == ["RAG"]
    assert learn[1][1] == "3"


def test_my_insights_without_a_profile_invite_one(client, board):
    client.force_login(UserFactory())
    response = client.get(reverse("my_insights"))
    assert "No profile yet" in response.content.decode()
    assert client.get(reverse("my_insights_csv", kwargs={"name": "learn-next"})).status_code == 404

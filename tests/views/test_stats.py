"""Tests for opportunities.views.stats: the recruiter's statistics pages and CSV export."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from opportunities.models import Role, RoleStat
from opportunities.posting.stats import stats_record
from tests import factories

pytestmark = pytest.mark.django_db

Kind = RoleStat.Kind


@pytest.fixture
def recruiter(company):
    user = factories.UserFactory()
    factories.MembershipFactory(user=user, company=company)
    return user


@pytest.fixture
def recruiter_client(client, recruiter):
    client.force_login(recruiter)
    return client


def test_the_pages_need_a_login(client, role):
    for url in (
        reverse("hiring_stats"),
        reverse("hiring_role_stats", kwargs={"pk": role.pk}),
        reverse("hiring_stats_csv"),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_someone_with_no_company_sees_an_empty_state(client, role):
    client.force_login(factories.UserFactory())
    html = client.get(reverse("hiring_stats")).content.decode()
    assert "No roles yet." in html
    assert role.title not in html
    assert "chart.umd.min.js" not in html


def test_the_overview_shows_each_role_with_chart_data_and_table(recruiter_client, company):
    live = factories.RoleFactory(company=company, title="LLM Engineer")
    factories.RoleFactory(company=company, title="Draft role", status=Role.Status.DRAFT)
    factories.RoleFactory(company=factories.CompanyFactory(), title="Somebody else's role")
    stats_record(live.pk, Kind.VIEW, count=12)
    stats_record(live.pk, Kind.SEARCH_APPEARANCE, count=340)
    stats_record(live.pk, Kind.APPLY_CLICK, count=3)

    response = recruiter_client.get(reverse("hiring_stats"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "LLM Engineer" in html and "Draft role" in html
    assert "Somebody else" not in html
    assert re.search(r"<h2[^>]*>Published", html) and re.search(r"<h2[^>]*>Draft", html)
    assert "<strong>12</strong> views" in html
    assert "<strong>340</strong> search appearances" in html
    data = re.search(
        rf'<script id="role-stats-{live.pk}" type="application/json">(.*?)</script>', html
    )
    chart = json.loads(data.group(1))
    views = next(d for d in chart["datasets"] if d["key"] == "view")
    assert views["data"][-1] == 12
    assert f'data-chart="role-stats-{live.pk}"' in html
    today = timezone.localdate().isoformat()
    assert re.search(
        rf'<time datetime="{today}">[^<]*</time></th><td>12</td><td>340</td><td>3</td><td>0</td>',
        html,
    )
    assert "No views, search appearances" in html  # the draft
    # Scripts come from static files only; the data is a JSON element, never run.
    assert not re.search(r"<script(?![^>]*(src=|application/json))", html)
    assert "/static/vendor/chart.umd.min.js" in html
    assert "/static/js/role-stats.js" in html


def test_the_role_page_of_stats_shows_one_role(recruiter_client, company):
    role = factories.RoleFactory(company=company, title="Prompt Engineer")
    stats_record(role.pk, Kind.TRACKER_SAVE, count=2)
    html = recruiter_client.get(reverse("hiring_role_stats", kwargs={"pk": role.pk})).content
    html = html.decode()
    assert "<h1>Prompt Engineer</h1>" in html
    assert "<strong>2</strong> tracker saves" in html
    assert '<details class="stats-table" open>' in html


def test_another_companys_role_is_404(recruiter_client):
    theirs = factories.RoleFactory(company=factories.CompanyFactory())
    response = recruiter_client.get(reverse("hiring_role_stats", kwargs={"pk": theirs.pk}))
    assert response.status_code == 404


def test_the_csv_holds_the_recruiters_counters_only(recruiter_client, company):
    role = factories.RoleFactory(company=company, title='=HYPERLINK("http://x")')
    theirs = factories.RoleFactory(company=factories.CompanyFactory())
    stats_record(role.pk, Kind.VIEW, count=4)
    stats_record(theirs.pk, Kind.VIEW, count=9)

    response = recruiter_client.get(reverse("hiring_stats_csv"))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    body = b"".join(response.streaming_content).decode()
    rows = list(csv.reader(io.StringIO(body)))
    assert rows == [
        ["role_id", "role", "day", "kind", "count"],
        [str(role.pk), '\'=HYPERLINK("http://x")', timezone.localdate().isoformat(), "view", "4"],
    ]


def test_the_pages_are_get_only(recruiter_client):
    assert recruiter_client.post(reverse("hiring_stats")).status_code == 405
    assert recruiter_client.post(reverse("hiring_stats_csv")).status_code == 405

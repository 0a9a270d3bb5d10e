"""The search page at /jobs/: what a visitor sees, with and without htmx."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone

from opportunities import search
from tests import factories

URL = reverse("role_search")


@pytest.fixture
def board(db):
    health = factories.IndustryFactory(name="Healthcare", slug="healthcare")
    finance = factories.IndustryFactory(name="Finance", slug="finance")
    pytorch = factories.SkillFactory(name="PyTorch", slug="pytorch")
    factories.RoleFactory(
        title="Clinical NLP Engineer", industry=health, workplace="remote", skills=[pytorch]
    )
    factories.RoleFactory(title="Radiology CV Engineer", industry=health, workplace="onsite")
    factories.RoleFactory(
        title="Quant ML Engineer", industry=finance, workplace="hybrid", skills=[pytorch]
    )
    return {"health": health, "finance": finance}


def test_page_lists_roles_with_filters_and_count(client, board):
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Clinical NLP Engineer" in html
    assert "3 roles" in html
    assert "<legend>Industry</legend>" in html
    assert 'name="industry" value="healthcare"' in html
    assert "django_htmx/htmx-2.min.js" in html  # the copy django-htmx ships


def test_text_search_and_filters_narrow_results(client, board):
    response = client.get(URL, {"q": "engineer", "industry": "healthcare", "workplace": "remote"})
    assert [role.title for role in response.context["roles"]] == ["Clinical NLP Engineer"]


def test_filtered_skill_is_highlighted_on_cards(client, board):
    response = client.get(URL, {"skill": "pytorch"})
    # Highlighted, and like every skill chip a link to the skill's page.
    assert 'skill-hit"><a href="/skills/pytorch/">PyTorch</a>' in response.content.decode()


def test_facets_count_with_the_other_filters(client, board):
    result = search.search_roles({"industry": "healthcare", "workplace": "remote"})
    industry = {option.value: option.count for option in result.facets["industry"]}
    workplace = {option.value: option.count for option in result.facets["workplace"]}
    # Industry counts ignore the industry filter but keep workplace=remote, and vice versa.
    assert industry == {"healthcare": 1}
    assert workplace == {"remote": 1, "onsite": 1, "hybrid": 0}
    assert result.count == 1 and not result.count_is_estimate
    assert result.facets_are_estimates is False


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"industry": "nope"}, "We don&#x27;t know the industry “nope”"),
        ({"salary_min": "abc"}, "as a number, like 120000"),
        ({"salary_min": "-10"}, "can&#x27;t be negative"),
        ({"page": "999999"}, "Page 999999 doesn&#x27;t exist; showing the last page."),
        ({"sort": "bogus"}, "Sort by relevance, newest or salary"),
        ({"country": "ZZZ"}, "isn&#x27;t a country code we know"),
    ],
)
def test_invalid_values_give_the_page_with_a_message(client, board, params, message):
    response = client.get(URL, params)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert len(response.context["roles"]) == 3


def test_htmx_request_gets_the_results_partial(client, board):
    response = client.get(URL, {"q": "quant"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert "Quant ML Engineer" in html
    assert 'id="result-count-text" hx-swap-oob="true"' in html
    assert "HX-Request" in response["Vary"]


def test_empty_state_suggests_dropping_each_filter(client, board):
    response = client.get(URL, {"industry": "finance", "workplace": "remote"})
    html = response.content.decode()
    assert "No open roles match this search." in html
    assert 'href="?workplace=remote">Without Finance' in html
    assert 'href="?industry=finance">Without Remote' in html


def follow(query: str, page_size: int = 2) -> search.SearchResult:
    return search.search_roles(QueryDict(query), page_size=page_size)


def test_newest_pages_follow_a_keyset_cursor(client, db):
    now = timezone.now()
    for n in range(5):
        factories.RoleFactory(title=f"Role {n}", posted_at=now - timedelta(hours=n))
    first = follow("")
    assert [r.title for r in first.roles] == ["Role 0", "Role 1"]
    assert "after=" in first.page.next_query
    second = follow(first.page.next_query)
    assert [r.title for r in second.roles] == ["Role 2", "Role 3"]
    assert second.page.number == 2 and second.page.has_previous
    third = follow(second.page.next_query)
    assert [r.title for r in third.roles] == ["Role 4"]
    assert third.page.is_last
    assert [r.title for r in follow(third.page.previous_query).roles] == ["Role 2", "Role 3"]
    response = client.get(f"{URL}?{second.page.next_query}")
    assert "Role 4" in response.content.decode()


def test_salary_sort_puts_highest_first_and_unsalaried_last(db):
    factories.RoleFactory(title="Low", salary_yearly_min=50_000, salary_yearly_max=60_000)
    factories.RoleFactory(title="None")
    factories.RoleFactory(title="High", salary_yearly_min=200_000, salary_yearly_max=250_000)
    result = search.search_roles({"sort": "salary"})
    assert [role.title for role in result.roles] == ["High", "Low", "None"]


def test_relevance_is_the_default_with_text(db):
    factories.RoleFactory(title="Backend Engineer", description="<p>Some diffusion work.</p>")
    factories.RoleFactory(
        title="Diffusion Researcher", posted_at=timezone.now() - timedelta(days=3)
    )
    result = search.search_roles({"q": "diffusion"})
    assert result.sort == "relevance"
    assert [role.title for role in result.roles] == ["Diffusion Researcher", "Backend Engineer"]


def test_search_roles_interface_for_feeds(db):
    factories.RoleFactory(title="Feed Role")
    result = search.search_roles({"q": "feed"}, facets=False, page_size=5)
    assert [role.title for role in result.roles] == ["Feed Role"]
    assert result.facets == {}
    assert result.count_display == "1"


def test_salary_pages_follow_a_keyset_cursor(db):
    for n in range(5):
        factories.RoleFactory(
            title=f"R{n}", salary_yearly_min=1000 * n + 1, salary_yearly_max=1000 * n + 1
        )
    first = search.search_roles({"sort": "salary"}, page_size=2)
    second = follow(first.page.next_query)
    third = follow(second.page.next_query)
    assert [r.title for r in first.roles] == ["R4", "R3"]
    assert [r.title for r in second.roles] == ["R2", "R1"]
    assert [r.title for r in third.roles] == ["R0"]
    assert [r.title for r in follow(third.page.previous_query).roles] == ["R2", "R1"]


def test_overlong_keywords_are_left_out_with_a_message(client, board):
    response = client.get(URL, {"q": "engineer " * 30})
    html = response.content.decode()
    assert "Keep the search under 200 characters; it was left out." in html
    assert 'aria-invalid="true" aria-describedby="q-error"' in html
    assert len(response.context["roles"]) == 3


def test_page_and_htmx_partial_show_the_same_cards(client, board):
    page = client.get(URL, {"industry": "healthcare"}).content.decode()
    partial = client.get(URL, {"industry": "healthcare"}, headers={"HX-Request": "true"})
    start = page.index('<div class="role-list">')
    cards = page[start : page.index("</div>\n", page.index("</article>", start))]
    assert cards.count("<article") == 2
    assert cards in partial.content.decode()


@pytest.mark.django_db
def test_a_newer_search_replaces_one_still_on_its_way(client):
    # Typing starts a request 300 ms after the last key; a filter ticked meanwhile starts
    # another. Without hx-sync the slower, older answer could land last and show stale roles.
    page = client.get(reverse("role_search")).content.decode()
    form = re.search(r'<form id="search-form"[^>]*>', page).group(0)
    assert 'hx-sync="this:replace"' in form

"""Tests for opportunities.feeds: RSS and Atom for any search."""

from __future__ import annotations

from datetime import timedelta

import feedparser
import pytest
from django.utils import timezone

from opportunities import feeds
from opportunities.models import Role
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def board(db):
    """Three open roles, newest last, plus rows a feed must never show."""
    now = timezone.now()
    health = factories.IndustryFactory(name="Healthcare", slug="healthcare")
    media = factories.IndustryFactory(name="Media", slug="media")
    pytorch = factories.SkillFactory(name="PyTorch", slug="pytorch")
    jax = factories.SkillFactory(name="JAX", slug="jax")
    company = factories.CompanyFactory(name="Acme Health AI", slug="acme-health-ai")
    roles = {
        "remote_pytorch": factories.RoleFactory(
            title="Remote PyTorch Engineer",
            company=company,
            industry=health,
            workplace="remote",
            posted_at=now - timedelta(days=3),
            skills=[pytorch],
        ),
        "onsite_pytorch": factories.RoleFactory(
            title="On-site PyTorch Engineer",
            industry=media,
            workplace="onsite",
            city="Paris",
            country="FR",
            posted_at=now - timedelta(days=2),
            skills=[pytorch],
        ),
        "remote_jax": factories.RoleFactory(
            title="Remote JAX Researcher",
            industry=media,
            workplace="remote",
            posted_at=now - timedelta(days=1),
            skills=[jax],
        ),
    }
    factories.RoleFactory(title="Draft PyTorch role", status=Role.Status.DRAFT, skills=[pytorch])
    factories.RoleFactory(title="Closed PyTorch role", status=Role.Status.CLOSED)
    factories.RoleFactory(title="Expired role", expires_at=now - timedelta(hours=1))
    return roles


def read(client, url: str, params: dict | None = None) -> feedparser.FeedParserDict:
    response = client.get(url, params or {})
    assert response.status_code == 200
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    return parsed


def test_rss_lists_open_roles_newest_first(client, board):
    response = client.get("/jobs/feed/")
    assert response["Content-Type"].startswith("application/rss+xml")
    parsed = read(client, "/jobs/feed/")

    assert parsed.version == "rss20"
    assert parsed.feed.title == "GenAI Jobs: newest roles"
    assert parsed.feed.link == "http://testserver/jobs/"
    assert [e.title for e in parsed.entries] == [
        "Remote JAX Researcher at " + board["remote_jax"].company.name,
        "On-site PyTorch Engineer at " + board["onsite_pytorch"].company.name,
        "Remote PyTorch Engineer at Acme Health AI",
    ]


def test_items_carry_link_date_author_categories_and_description(client, board):
    role = board["remote_pytorch"]
    entry = read(client, "/jobs/feed/", {"skill": "pytorch", "industry": "healthcare"}).entries[0]

    assert entry.link == f"http://testserver{role.get_absolute_url()}"
    assert entry.published_parsed[:3] == role.posted_at.timetuple()[:3]
    assert entry.author == "Acme Health AI"
    assert {tag.term for tag in entry.tags} == {"Healthcare", "PyTorch"}
    assert "Build retrieval-augmented generation systems." in entry.summary


def test_params_filter_items_and_name_the_feed(client, board):
    parsed = read(client, "/jobs/feed/", {"workplace": "remote", "skill": "pytorch"})

    assert parsed.feed.title == "GenAI Jobs: remote pytorch roles"
    assert [e.title for e in parsed.entries] == ["Remote PyTorch Engineer at Acme Health AI"]
    assert parsed.feed.link == "http://testserver/jobs/?workplace=remote&skill=pytorch"


def test_text_query_is_in_the_title(client, board):
    parsed = read(client, "/jobs/feed/", {"q": "JAX"})
    assert parsed.feed.title == "GenAI Jobs: “JAX” roles"
    assert [e.title.split(" at ")[0] for e in parsed.entries] == ["Remote JAX Researcher"]


def test_invalid_params_still_give_a_valid_feed(client, board):
    parsed = read(
        client,
        "/jobs/feed/",
        {
            "industry": "no-such-industry",
            "workplace": "moon",
            "salary_min": "abc",
            "posted_within": "-4",
            "page": "999999",
            "sort": "sideways",
        },
    )
    assert parsed.feed.title == "GenAI Jobs: newest roles"
    assert len(parsed.entries) == 3


def test_feed_holds_at_most_fifty_items(client, db, monkeypatch):
    company = factories.CompanyFactory()
    for _ in range(feeds.FEED_SIZE + 3):
        factories.RoleFactory(company=company)
    assert len(read(client, "/jobs/feed/").entries) == feeds.FEED_SIZE


def test_atom_feed_has_the_same_items(client, board):
    response = client.get("/jobs/feed/atom/", {"workplace": "remote"})
    assert response["Content-Type"].startswith("application/atom+xml")
    parsed = read(client, "/jobs/feed/atom/", {"workplace": "remote"})

    assert parsed.version == "atom10"
    assert parsed.feed.title == "GenAI Jobs: remote roles"
    assert parsed.feed.subtitle == "The newest remote roles for generative-AI developers."
    assert [e.title.split(" at ")[0] for e in parsed.entries] == [
        "Remote JAX Researcher",
        "Remote PyTorch Engineer",
    ]


def test_country_and_company_are_named(client, board):
    parsed = read(client, "/jobs/feed/", {"country": "fr", "company": "acme-health-ai"})
    assert parsed.feed.title == "GenAI Jobs: newest roles in France at Acme Health AI"


def test_hostile_query_is_escaped(client, board):
    parsed = read(client, "/jobs/feed/", {"q": "</title><script>x</script>"})
    assert parsed.feed.title == "GenAI Jobs: “</title><script>x</script>” roles"


def test_search_page_links_to_the_feed_of_its_search(client, board):
    html = client.get("/jobs/", {"workplace": "remote", "skill": "pytorch"}).content.decode()
    assert (
        '<link rel="alternate" type="application/rss+xml" title="GenAI Jobs: this search (RSS)" '
        'href="/jobs/feed/?workplace=remote&amp;skill=pytorch">'
    ) in html
    assert 'href="/jobs/feed/atom/?workplace=remote&amp;skill=pytorch"' in html


@pytest.mark.parametrize("url", ["/jobs/feed/", "/jobs/feed/atom/"])
@pytest.mark.parametrize("query", ["a\x01b", "a\x00b", "\x0c", "a\x7fb\x9b", "%ff%fe"])
def test_control_characters_in_the_query_give_a_valid_feed(client, board, url, query):
    response = client.get(f"{url}?q={query}&skill=py\x0btorch")
    assert response.status_code == 200
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.get("bozo_exception")


def test_control_characters_in_stored_text_never_break_a_feed(client, board):
    role = board["remote_pytorch"]
    Role.objects.filter(pk=role.pk).update(
        title="Prompt\x0c Engineer\x7f", description="<p>Builds\x1b things</p>"
    )
    role.company.__class__.objects.filter(pk=role.company.pk).update(name="Acme\x08 Health")
    for url in ("/jobs/feed/", "/jobs/feed/atom/"):
        parsed = read(client, url)
        entry = next(e for e in parsed.entries if "Prompt" in e.title)
        assert entry.title == "Prompt Engineer at Acme Health"
        assert "Builds things" in entry.summary


def test_items_carry_the_stored_html_as_html(client, board):
    role = board["remote_jax"]
    Role.objects.filter(pk=role.pk).update(description="<p>Train <strong>JAX</strong> models</p>")
    parsed = read(client, "/jobs/feed/")
    entry = next(e for e in parsed.entries if e.title.startswith("Remote JAX"))
    assert "<p>Train <strong>JAX</strong> models</p>" in entry.summary

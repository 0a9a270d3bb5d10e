"""The feeds carry the corpus as escaped text and stored, sanitised HTML: nothing that runs."""

from __future__ import annotations

from datetime import timedelta
from html.parser import HTMLParser
from xml.etree import ElementTree

import pytest
from django.utils import timezone

from opportunities.catalog.services import company_create, role_create
from opportunities.feeds import FEED_SIZE
from opportunities.ingest.normalise.sanitise import sanitise_html
from opportunities.models import Role
from tests.security.payloads import packed

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


class _Active(HTMLParser):
    """What in a piece of HTML a feed reader could run or load."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"script", "style", "iframe", "object", "embed", "svg", "img", "base", "meta"}:
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            scheme = (value or "").strip().lower().replace("\t", "").replace("\n", "")
            if name.startswith("on") or name in {"style", "srcdoc", "formaction"}:
                self.found.append(f"<{tag} {name}>")
            if name in {"href", "src", "action"} and not scheme.startswith(
                ("http:", "https:", "mailto:")
            ):
                self.found.append(f"<{tag} {name}={value!r}>")


def _active(html: str) -> list[str]:
    parser = _Active()
    parser.feed(html)
    return parser.found


@pytest.fixture
def hostile_roles(db):
    now = timezone.now()
    descriptions = packed(1500)
    roles = []
    for n, text in enumerate(packed(200)):
        company = company_create(name=text)
        role = role_create(
            company=company,
            title=text,
            workplace="remote",
            description=descriptions[n % len(descriptions)],
            status=Role.Status.PUBLISHED,
            posted_at=now - timedelta(minutes=n),
        )
        # As in test_xss: stored as the catalog services are to store it (a no-op once they
        # sanitise on write themselves).
        Role.objects.filter(pk=role.pk).update(description=sanitise_html(role.description))
        roles.append(role)
    return roles


def test_rss_items_carry_titles_as_text_and_only_inert_html(client, hostile_roles):
    response = client.get("/jobs/feed/")
    items = ElementTree.fromstring(response.content).iter("item")  # noqa: S314 - our own XML
    by_title = {role.title: role for role in hostile_roles}
    seen = 0
    for item in items:
        title = item.findtext("title")
        role = by_title[title.rsplit(" at ", 1)[0]]
        assert title == f"{role.title} at {role.company.name}"
        assert _active(item.findtext("description")) == [], title
        seen += 1
    assert seen == min(len(hostile_roles), FEED_SIZE)


def test_atom_entries_carry_only_inert_html(client, hostile_roles):
    response = client.get("/jobs/feed/atom/")
    feed = ElementTree.fromstring(response.content)  # noqa: S314 - our own XML
    entries = list(feed.iter(f"{ATOM}entry"))
    assert len(entries) == min(len(hostile_roles), FEED_SIZE)
    for entry in entries:
        assert _active(entry.findtext(f"{ATOM}summary")) == []

"""Control characters and invalid UTF-8 in any query parameter of any GET view: never a 500."""

from __future__ import annotations

import feedparser
import pytest
from django.test import Client

from opportunities.search.filters import RoleFilterSet
from tests.security.project_urls import path_for, patterns
from tests.security.test_headers import site  # noqa: F401 - the same rows and users

pytestmark = pytest.mark.django_db

# Raw query-string values, already percent-encoded: control characters (NUL first, which
# PostgreSQL refuses), DEL and C1, and byte sequences that are not UTF-8 at all.
HOSTILE = [
    "a%00b",
    "%01",
    "a%0Cb",
    "%1B%5B31m",
    "%7F%C2%9B",
    "%FF%FE",
    "%C3%28",
    "%ED%A0%80",
    "%F8%88%80%80%80",
    "%E2%80%AE%EF%BF%BF",
]
EVERYTHING = "".join(HOSTILE)
# Every parameter a view or the admin reads, beside the search's own filters.
PARAMS = sorted(
    {*RoleFilterSet.base_filters, "page", "after", "before", "next", "show", "o", "p", "e"}
    | {"_changelist_filters", "_popup", "_to_field", "all", "term"}
)


def _get(client: Client, path: str, query: str):
    return client.get(path, QUERY_STRING=query, secure=True)


def _visitors(path: str) -> list[str]:
    """Who reaches the view behind a path (not a redirect to the login page)."""
    if path.startswith("/admin/"):
        return ["admin"]
    if path.startswith("/me/"):
        return ["developer"]
    if path.endswith("/candidates/"):
        return ["recruiter"]
    return ["anonymous", "developer"]


def _queries(path: str) -> list[str]:
    """Hostile values in every parameter at once, and in names.

    The site's own views also get each hostile value alone and each parameter alone holding
    all of them, so that no parameter's refusal hides another's crash; the admin's hundred
    pages (Django's code, slow to render) get a value that is nothing but control characters
    and one that holds every kind.
    """
    names = [f"{EVERYTHING}={EVERYTHING}", f"q{EVERYTHING}=1"]
    if path.startswith("/admin/"):
        return names + [
            "&".join(f"{name}={value}" for name in PARAMS) for value in ("%01%00", EVERYTHING)
        ]
    names += ["&".join(f"{name}={value}" for name in PARAMS) for value in [*HOSTILE, EVERYTHING]]
    return names + [f"{name}={EVERYTHING}" for name in PARAMS]


def test_no_get_view_answers_500_to_control_characters_or_invalid_utf8(site):  # noqa: F811
    values, clients = site
    errors = []
    for path in sorted({path_for(pattern, values) for pattern in patterns()}):
        for who in _visitors(path):
            client = clients[who]
            client.raise_request_exception = False
            for query in _queries(path):
                response = _get(client, path, query)
                if response.status_code >= 500:
                    errors.append(f"{path}?{query} as {who}: {response.status_code}")
    assert errors == [], "\n".join(errors[:10])


@pytest.mark.parametrize("path", ["/jobs/feed/", "/jobs/feed/atom/"])
def test_feeds_stay_valid_xml_whatever_the_query(site, path):  # noqa: F811
    client = site[1]["anonymous"]
    for value in [*HOSTILE, EVERYTHING]:
        query = "&".join(f"{name}={value}" for name in PARAMS)
        response = _get(client, path, query)
        assert response.status_code == 200, query
        parsed = feedparser.parse(response.content)
        assert not parsed.bozo, (query, parsed.get("bozo_exception"))


def test_the_search_page_never_echoes_a_control_character(site):  # noqa: F811
    client = site[1]["anonymous"]
    response = _get(client, "/jobs/", f"q=rag{EVERYTHING}&sort=x%00y")
    page = response.content.decode()
    assert response.status_code == 200
    assert not any(chr(c) in page for c in [*range(0x00, 0x09), *range(0x0B, 0x20), 0x7F])
    assert "rag" in page

"""Tests for opportunities/ingest/rss.py."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pytest

from opportunities.ingest.parsers import rss
from opportunities.ingest.parsers.records import FeedError, ItemError, RawRole
from tests import paths

FIXTURES = paths.FIXTURES / "rss"

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
  <!ENTITY lol "lol">
  <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
  <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
  <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
  <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
  <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
  <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<rss version="2.0"><channel><title>&lol9;</title>
<item><title>&lol9;</title><guid>1</guid></item></channel></rss>
"""


def parse_fixture(name: str, **kwargs: str) -> list[RawRole | ItemError]:
    with (FIXTURES / name).open("rb") as stream:
        return list(rss.parse(stream, **kwargs))


def test_fixture_really_mixes_line_endings() -> None:
    data = (FIXTURES / "weworkremotely.rss").read_bytes()

    assert b"\r\n" in data
    assert data.replace(b"\r\n", b"").count(b"\n") > 0


def test_we_work_remotely_item_gives_the_fields_users_see() -> None:
    role = parse_fixture("weworkremotely.rss")[0]

    assert isinstance(role, RawRole)
    link = "https://weworkremotely.com/remote-jobs/quillstack-senior-python-engineer-llm-tooling"
    assert role.external_id == link
    assert role.url == link
    assert role.company == "Quillstack"
    assert role.title == "Senior Python Engineer (LLM tooling)"
    assert role.locations == ["Anywhere in the World"]
    assert role.applicant_countries == []
    assert role.workplace == "remote"
    assert role.employment_type == "Full-Time"
    assert role.tags == ["Back-End Programming"]
    assert role.posted_at == datetime(2022, 11, 8, 0, 8, 24, tzinfo=UTC)
    assert role.expires_at == datetime(2022, 12, 8, 0, 8, 24, tzinfo=UTC)


def test_description_is_unescaped_html_without_the_leading_logo() -> None:
    role = parse_fixture("weworkremotely.rss")[0]

    assert role.description_html.startswith("<p>")
    assert "<img" not in role.description_html
    assert "<strong>Headquarters:</strong> Lisbon" in role.description_html
    assert "code models &amp; agents" in role.description_html


def test_only_the_first_colon_splits_company_from_title() -> None:
    role = parse_fixture("weworkremotely.rss")[1]

    assert role.company == "Northbeam Analytics"
    assert role.title == "Data Scientist: Forecasting"
    assert role.applicant_countries == ["USA"]
    # No guid: the link identifies the item.
    assert role.external_id == (
        "https://weworkremotely.com/remote-jobs/northbeam-analytics-data-scientist-forecasting"
    )
    assert role.posted_at == datetime(2022, 11, 7, 23, 30, tzinfo=UTC)
    assert role.expires_at is None  # "someday"


def test_item_without_title_is_an_item_error() -> None:
    results = parse_fixture("weworkremotely.rss")

    assert results[2] == ItemError(
        2, "missing title", "https://weworkremotely.com/remote-jobs/untitled-posting"
    )


def test_atom_feed_with_relative_links_and_authors() -> None:
    first, second = parse_fixture("atom.xml")

    assert first.external_id == "urn:halcyon:job:381"
    assert first.title == "Applied AI Engineer: Retrieval"  # not We Work Remotely: no split
    assert first.company == "Halcyon Robotics"
    assert first.url == "https://careers.halcyon.example/jobs/applied-ai-engineer-retrieval"
    assert first.description_html == "<p>Improve retrieval for robot manuals.</p>"
    assert first.posted_at == datetime(2026, 5, 1, 7, 0, tzinfo=UTC)
    assert second.posted_at == datetime(2026, 4, 28, 12, 0, tzinfo=UTC)
    assert second.description_html == "<p>Score model outputs.</p><p>Two days a week in office.</p>"


def test_billion_laughs_is_refused_before_parsing() -> None:
    # The message names the pre-parse check, so no entity was ever expanded.
    with pytest.raises(FeedError, match="billion laughs"):
        list(rss.parse(io.BytesIO(BILLION_LAUGHS)))


def test_entity_declarations_are_found_in_utf16_too() -> None:
    with pytest.raises(FeedError, match="entities"):
        list(rss.parse(io.BytesIO(BILLION_LAUGHS.decode().encode("utf-16"))))


def test_external_dtd_without_entities_is_accepted() -> None:
    feed = (
        b'<?xml version="1.0"?>\n'
        b'<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN"'
        b' "http://my.netscape.com/publish/formats/rss-0.91.dtd">\n'
        b'<rss version="0.91"><channel><title>Jobs</title><link>https://jobs.example/</link>'
        b"<item><title>ML Engineer</title><link>https://jobs.example/1</link></item>"
        b"</channel></rss>"
    )

    [role] = rss.parse(io.BytesIO(feed))

    assert role.title == "ML Engineer"
    assert role.url == "https://jobs.example/1"


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        (b"", "empty"),
        (b'{"jobs": []}', "not an RSS or Atom feed"),
        (
            b'<?xml version="1.0"?><rss version="2.0"><channel><title>x</title>'
            b"<item><title>A</title><guid>1</guid></item><item><title>B",
            "cut short",
        ),
    ],
)
def test_unusable_feeds_raise_feed_error(payload: bytes, message: str) -> None:
    with pytest.raises(FeedError, match=message):
        list(rss.parse(io.BytesIO(payload)))


def test_declared_latin1_feed_is_decoded() -> None:
    feed = (
        '<?xml version="1.0" encoding="ISO-8859-1"?><rss version="2.0"><channel><title>x</title>'
        "<item><title>Ingénieur IA</title><guid>42</guid></item></channel></rss>"
    ).encode("latin-1")

    [role] = rss.parse(io.BytesIO(feed))

    assert role.title == "Ingénieur IA"
    assert role.external_id == "42"

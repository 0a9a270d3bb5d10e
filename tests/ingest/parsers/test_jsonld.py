"""Tests for opportunities/ingest/jsonld.py."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from opportunities.ingest.parsers import jsonld
from opportunities.ingest.parsers.records import FeedError, ItemError, RawRole, RawSalary
from tests import paths

FIXTURES = paths.FIXTURES / "jsonld"
PAGE_URL = "https://meridian.example/careers/"


def parse_page() -> list[RawRole | ItemError]:
    with (FIXTURES / "careers-page.html").open("rb") as stream:
        return list(jsonld.parse(stream, base_url=PAGE_URL))


def test_posting_in_a_graph_gives_the_fields_users_see() -> None:
    role = parse_page()[0]

    assert isinstance(role, RawRole)
    assert role.external_id == "MM-2041"
    assert role.title == "Senior Inference Engineer"
    assert role.company == "Meridian Models"
    assert role.url == "https://meridian.example/careers/senior-inference-engineer"
    assert role.apply_url == role.url  # directApply
    assert role.description_html == "<p>Make <strong>LLM inference</strong> fast and cheap.</p>"
    assert role.requirements_html == "<ul><li>CUDA</li><li>Triton</li></ul>"
    assert role.locations == ["San Francisco, CA, US", "Toronto, ON, CA"]
    assert role.workplace is None
    assert role.employment_type == "FULL_TIME, CONTRACTOR"
    assert role.tags == ["CUDA", "Triton", "PyTorch"]
    assert role.salary == RawSalary(
        minimum=Decimal(180000), maximum=Decimal("240000.50"), currency="USD", period="year"
    )
    assert role.posted_at == datetime(2026, 4, 2, tzinfo=UTC)
    assert role.expires_at == datetime(2026, 7, 1, 3, 0, tzinfo=UTC)


def test_telecommute_posting_with_applicant_countries_and_hourly_value() -> None:
    role = parse_page()[1]

    assert role.title == "Remote Prompt Engineer"
    assert role.external_id == "MM-2042"
    assert role.company == "Meridian Models"
    assert role.workplace == "remote"
    assert role.applicant_countries == ["USA", "Canada"]
    assert role.url == PAGE_URL  # no url of its own: the page it was found on
    assert role.apply_url is None
    assert role.salary == RawSalary(
        minimum=Decimal(65), maximum=Decimal(65), currency="USD", period="hour"
    )
    assert role.posted_at == datetime(2026, 4, 10, 8, 0, tzinfo=UTC)
    assert role.description_html == (
        "<p>Write and test prompts.</p><p>Work from anywhere in the US or Canada.</p>"
    )


def test_bad_postings_and_broken_blocks_are_item_errors() -> None:
    results = parse_page()

    assert [type(result) for result in results] == [
        RawRole,
        RawRole,
        ItemError,
        RawRole,
        ItemError,
    ]
    assert results[2] == ItemError(2, "missing title", "MM-2043")
    assert results[4] == ItemError(4, "JSON-LD block 4 is not valid JSON")


def test_name_escaped_description_and_hashed_id() -> None:
    role = parse_page()[3]

    assert role.title == "Evaluation Researcher"
    assert role.description_html == "<p>Design benchmarks.</p>"
    assert role.posted_at is None
    assert len(role.external_id) == 24
    # The derived id is stable from one run to the next.
    assert parse_page()[3].external_id == role.external_id


def test_scripts_of_other_types_are_ignored() -> None:
    titles = [result.title for result in parse_page() if isinstance(result, RawRole)]

    assert "Ignored" not in titles


def test_bare_json_ld_document() -> None:
    document = {
        "@context": "https://schema.org",
        "@type": "ItemList",
        "itemListElement": [
            {
                "@type": "ListItem",
                "position": 1,
                "item": {
                    "@type": "JobPosting",
                    "title": "Agent Reliability Engineer",
                    "url": "https://jobs.example/42",
                    "hiringOrganization": {"@type": "Organization", "name": "Agentic"},
                    "baseSalary": {
                        "@type": "MonetaryAmount",
                        "currency": "GBP",
                        "value": {"minValue": "70000", "maxValue": "90000", "unitText": "YEAR"},
                    },
                },
            }
        ],
    }

    [role] = jsonld.parse(io.BytesIO(json.dumps(document).encode()))

    assert role.external_id == "https://jobs.example/42"
    assert role.company == "Agentic"
    assert role.salary == RawSalary(
        minimum=Decimal(70000), maximum=Decimal(90000), currency="GBP", period="year"
    )


def test_windows_1252_page_is_decoded_by_its_meta_charset() -> None:
    page = (
        '<html><head><meta charset="windows-1252"><script type="application/ld+json">'
        '{"@type": "JobPosting", "title": "Ingénieur IA \u2013 Paris", "identifier": "p1"}'
        "</script></head></html>"
    ).encode("cp1252")

    [role] = jsonld.parse(io.BytesIO(page))

    assert role.title == "Ingénieur IA \u2013 Paris"


def test_page_without_json_ld_raises_feed_error() -> None:
    with pytest.raises(FeedError, match="no JSON-LD"):
        list(jsonld.parse(io.BytesIO(b"<html><body>Please verify you are human</body></html>")))


def test_deeply_nested_json_ld_does_not_crash() -> None:
    nested = "[" * 5000 + '{"@type": "JobPosting", "title": "Deep"}' + "]" * 5000
    page = f'<script type="application/ld+json">{nested}</script>'.encode()

    results = list(jsonld.parse(io.BytesIO(page)))

    assert results == [ItemError(0, "JSON-LD block 1 is nested too deeply to read")]


def test_markup_that_trips_the_html_parser_is_a_feed_error() -> None:
    # Python 3.11's html.parser raises AssertionError on "<![x"; the run must fail cleanly.
    page = b"<html><head><title>Jobs</title></head><body><![x</body></html>"

    with pytest.raises(FeedError, match="too broken"):
        list(jsonld.parse(io.BytesIO(page)))

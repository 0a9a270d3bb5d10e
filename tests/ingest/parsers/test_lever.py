"""Tests for opportunities/ingest/lever.py."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from opportunities.ingest.parsers import lever
from opportunities.ingest.parsers.records import FeedError, ItemError, RawRole, RawSalary
from tests import paths

FIXTURES = paths.FIXTURES / "lever"


def parse_fixture(name: str, **kwargs: str) -> list[RawRole | ItemError]:
    with (FIXTURES / name).open("rb") as stream:
        return list(lever.parse(stream, **kwargs))


def test_modern_posting_gives_the_fields_users_see() -> None:
    role = parse_fixture("postings.json")[0]

    assert isinstance(role, RawRole)
    assert role.external_id == "3f1c2a9e-7b44-4c1e-9a51-0c8d2e6f1a01"
    assert role.title == "Staff Machine Learning Engineer, Agents"
    assert role.url == "https://jobs.lever.co/northwind/3f1c2a9e-7b44-4c1e-9a51-0c8d2e6f1a01"
    assert role.apply_url == role.url + "/apply"
    assert role.locations == ["San Francisco, CA", "New York, NY"]
    assert role.workplace == "hybrid"
    assert role.employment_type == "Full-time"
    assert role.department == "Engineering"
    assert role.tags == ["LLM", "Agents"]
    # createdAt is in epoch milliseconds.
    assert role.posted_at == datetime(2026, 1, 1, tzinfo=UTC)
    assert role.salary == RawSalary(
        minimum=Decimal(210000), maximum=Decimal(265000), currency="USD", period="year"
    )


def test_lists_are_split_into_requirements_nice_to_have_and_description() -> None:
    role = parse_fixture("postings.json")[0]

    assert role.requirements_html == (
        "<ul><li>5+ years of Python</li><li>Experience with LLM fine-tuning</li></ul>"
    )
    assert "Published research on RLHF" in role.nice_to_have_html
    assert "<li>Rust</li>" in role.nice_to_have_html
    assert role.description_html.startswith("<div><b>Northwind AI</b>")
    assert "<h3>What you'll do</h3><ul><li>Design tool-use evaluations</li>" in (
        role.description_html
    )
    assert role.description_html.endswith("<div>We offer equity &amp; a learning budget.</div>")
    assert "RLHF" not in role.description_html


def test_plain_descriptions_become_paragraphs_and_hourly_pay_is_kept() -> None:
    role = parse_fixture("postings.json")[1]

    assert role.description_html == (
        "<p>Help customers deploy retrieval pipelines.</p>"
        "<p>You will pair with our engineers &amp; theirs.</p>"
    )
    assert role.workplace == "remote"
    assert role.salary == RawSalary(
        minimum=Decimal(80), maximum=Decimal(120), currency="EUR", period="hour"
    )


def test_posting_without_id_is_an_item_error_and_the_rest_parse() -> None:
    results = parse_fixture("postings.json")

    assert [type(result) for result in results] == [RawRole, RawRole, ItemError, RawRole]
    assert results[2] == ItemError(2, "missing id ('id')")
    last = results[3]
    assert last.title == "Research Scientist, Multimodal"
    assert last.posted_at is None  # "yesterday" is not a timestamp
    assert last.workplace is None  # "unspecified"
    assert last.requirements_html == "<ul><li>PhD or equivalent</li></ul>"


def test_missing_links_are_derived_from_the_api_url() -> None:
    last = parse_fixture("postings.json", base_url="https://api.lever.co/v0/postings/northwind")[3]

    assert last.url == "https://jobs.lever.co/northwind/c5e1f7a2-9d3b-4e6f-8a1b-2c3d4e5f6a03"
    assert last.apply_url == last.url + "/apply"


def test_grouped_shape_yields_the_postings_inside_each_group() -> None:
    roles = parse_fixture("grouped.json")

    assert [role.title for role in roles] == [
        "Applied Scientist, Search",
        "ML Ops Engineer",
        "Design Engineer",
    ]
    assert roles[0].locations == ["Berlin"]
    assert roles[2].locations == []
    assert roles[1].posted_at == datetime(2026, 1, 3, tzinfo=UTC)


def test_bare_single_posting() -> None:
    [role] = parse_fixture("single.json")

    assert role.title == "Founding AI Engineer"
    assert role.locations == ["Paris"]
    assert role.posted_at == datetime(2026, 2, 1, tzinfo=UTC)


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        (b'[{"id": "a", "text": "Cut', "cut short"),
        (b"Service Unavailable", "not valid JSON"),
        (b"42", "expected a Lever postings list"),
        (b'[{"id": "a", "text": "x"}] trailing', "extra text"),
    ],
)
def test_unusable_feeds_raise_feed_error(payload: bytes, message: str) -> None:
    with pytest.raises(FeedError, match=message):
        list(lever.parse(io.BytesIO(payload)))


def test_non_object_elements_are_item_errors() -> None:
    payload = b'[7, {"id": "b", "text": "Kept"}]'

    results = list(lever.parse(io.BytesIO(payload)))

    assert results[0] == ItemError(0, "item is a number, not an object")
    assert results[1].title == "Kept"


def test_large_grouped_feed_streams_postings_within_groups() -> None:
    groups = [
        {
            "title": f"City {group}",
            "postings": [
                {
                    "id": f"{group}-{number}",
                    "text": f"AI Engineer {group}-{number}",
                    "createdAt": 1767225600000,
                    "categories": {"location": f"City {group}"},
                    "lists": [{"text": "Requirements", "content": "<li>Python</li>"}],
                }
                for number in range(2_000)
            ],
        }
        for group in range(10)
    ]
    payload = json.dumps(groups).encode()
    stream = io.BytesIO(payload)

    roles = lever.parse(stream)
    first = next(roles)
    # The first group is far larger than what has been read when its first posting comes out.
    assert stream.tell() < len(payload) // 10
    rest = list(roles)

    assert first.external_id == "0-0"
    assert len(rest) == 19_999
    assert rest[-1].locations == ["City 9"]


def test_a_posting_is_named_for_its_board_when_nothing_else_names_the_company() -> None:
    posting = {"id": "p1", "text": "ML Engineer", "hostedUrl": "https://jobs.lever.co/acme-ai/p1"}

    role = next(lever.parse(io.BytesIO(json.dumps([posting]).encode())))

    assert isinstance(role, RawRole)
    assert role.company == "Acme AI"

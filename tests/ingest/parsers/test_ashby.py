"""Tests for opportunities/ingest/ashby.py."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from opportunities.ingest.parsers import ashby
from opportunities.ingest.parsers.records import FeedError, ItemError, RawRole, RawSalary
from tests import paths

FIXTURES = paths.FIXTURES / "ashby"


def parse_fixture(name: str, **kwargs: str) -> list[RawRole | ItemError]:
    with (FIXTURES / name).open("rb") as stream:
        return list(ashby.parse(stream, **kwargs))


def test_job_with_salary_and_equity_takes_the_salary() -> None:
    role = parse_fixture("board.json")[0]

    assert isinstance(role, RawRole)
    assert role.external_id == "0b7e2f4a-5c6d-4e8f-9a0b-1c2d3e4f5a61"
    assert role.title == "Member of Technical Staff, Pretraining"
    assert role.url == "https://jobs.ashbyhq.com/orbital/0b7e2f4a-5c6d-4e8f-9a0b-1c2d3e4f5a61"
    assert role.apply_url == role.url + "/application"
    assert role.locations == ["*HQ - San Francisco, CA"]
    assert role.workplace == "onsite"
    assert role.employment_type == "FullTime"
    assert role.department == "Research"
    assert role.description_html == "<p>Scale pretraining runs to thousands of GPUs.</p>"
    assert role.posted_at == datetime(2026, 2, 3, 17, 20, 11, 250000, tzinfo=UTC)
    assert role.salary == RawSalary(
        minimum=Decimal(250000), maximum=Decimal(400000), currency="USD", period="year"
    )


def test_secondary_locations_remote_flag_and_empty_tiers() -> None:
    role = parse_fixture("board.json")[1]

    assert role.locations == ["London", "Remote", "Dublin"]
    assert role.workplace == "remote"
    assert role.salary is None
    assert role.description_html == "<p>Embed with customers.</p><p>Ship integrations.</p>"


def test_unlisted_jobs_are_left_out_and_bad_ones_reported() -> None:
    results = parse_fixture("board.json")

    titles = [result.title for result in results if isinstance(result, RawRole)]
    assert "Internal Transfer Only" not in titles
    assert [result for result in results if isinstance(result, ItemError)] == [
        ItemError(3, "missing id ('id')")
    ]
    assert titles[-1] == "Research Intern"


def test_salary_found_in_tiers_when_the_summary_is_empty() -> None:
    role = parse_fixture(
        "board.json", base_url="https://api.ashbyhq.com/posting-api/job-board/orbital"
    )[-1]

    assert role.salary == RawSalary(
        minimum=Decimal(90000), maximum=Decimal(120000), currency="INR", period="month"
    )
    assert role.url == "https://jobs.ashbyhq.com/orbital/0b7e2f4a-5c6d-4e8f-9a0b-1c2d3e4f5a65"


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        (b'{"jobs": [{"id": "x", "title": "Cut', "cut short"),
        (b"<!doctype html><title>Not found</title>", "not valid JSON"),
        (b'{"apiVersion": "1"}', "without a 'jobs' list"),
    ],
)
def test_unusable_feeds_raise_feed_error(payload: bytes, message: str) -> None:
    with pytest.raises(FeedError, match=message):
        list(ashby.parse(io.BytesIO(payload)))

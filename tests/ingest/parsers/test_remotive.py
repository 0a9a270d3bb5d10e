"""Tests for opportunities/ingest/remotive.py."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pytest

from opportunities.ingest.parsers import remotive
from opportunities.ingest.parsers.records import FeedError, ItemError, RawRole, RawSalary
from tests import paths

FIXTURES = paths.FIXTURES / "remotive"


def parse_fixture(name: str) -> list[RawRole | ItemError]:
    with (FIXTURES / name).open("rb") as stream:
        return list(remotive.parse(stream))


def test_job_fields_and_free_text_salary() -> None:
    role = parse_fixture("jobs.json")[0]

    assert isinstance(role, RawRole)
    assert role.external_id == "3100201"
    assert role.title == "Senior LLM Engineer"
    assert role.company == "Parallax Data"
    assert role.url == "https://remotive.com/remote-jobs/software-dev/senior-llm-engineer-3100201"
    assert role.workplace == "remote"
    assert role.locations == ["USA, Canada"]
    assert role.applicant_countries == ["USA", "Canada"]
    assert role.employment_type == "full_time"
    assert role.tags == ["Software Development", "python", "llm", "AI/ML"]
    assert role.salary == RawSalary(text="$150k - $230k")
    # Remotive gives no time zone: the time is taken as UTC.
    assert role.posted_at == datetime(2026, 7, 20, 14, 5, 9, tzinfo=UTC)
    assert role.description_html == "<p>Own our fine-tuning stack.</p>"


def test_worldwide_has_no_country_limit_and_empty_salary_is_none() -> None:
    role = parse_fixture("jobs.json")[1]

    assert role.locations == ["Worldwide"]
    assert role.applicant_countries == []
    assert role.salary is None


def test_notice_keys_are_not_roles_and_bad_items_are_reported() -> None:
    results = parse_fixture("jobs.json")

    assert len(results) == 4
    assert results[2] == ItemError(2, "missing title ('title')", "3100203")
    last = results[3]
    assert last.title == "AI Support Engineer"
    assert last.posted_at is None  # "07/17/2026" is not ISO 8601
    assert last.salary == RawSalary(text="$18 - $22/hr")


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        (b'{"0-legal-notice": "x", "jobs": [{"id": 1', "cut short"),
        (b"[]", "expected a Remotive"),
        (b'{"0-legal-notice": "x"}', "without a 'jobs' list"),
        (b"\xff\xfe{\x00}\x00", "not valid JSON"),
    ],
)
def test_unusable_feeds_raise_feed_error(payload: bytes, message: str) -> None:
    with pytest.raises(FeedError, match=message):
        list(remotive.parse(io.BytesIO(payload)))

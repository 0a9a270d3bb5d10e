"""Tests for opportunities/ingest/remoteok.py."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from opportunities.ingest.parsers import remoteok
from opportunities.ingest.parsers.records import FeedError, ItemError, RawRole, RawSalary
from tests import paths

FIXTURES = paths.FIXTURES / "remoteok"


def parse_fixture(name: str) -> list[RawRole | ItemError]:
    with (FIXTURES / name).open("rb") as stream:
        return list(remoteok.parse(stream))


def test_legal_notice_is_skipped_and_fields_read() -> None:
    results = parse_fixture("api.json")
    role = results[0]

    assert len(results) == 4
    assert isinstance(role, RawRole)
    assert role.external_id == "2200001"
    assert role.title == "Senior AI Engineer"
    assert role.url == (
        "https://remoteOK.com/remote-jobs/remote-senior-ai-engineer-zocalo-health-2200001"
    )
    assert role.workplace == "remote"
    assert role.tags == ["ai", "python", "llm"]
    # epoch is in seconds.
    assert role.posted_at == datetime(2026, 3, 16, 0, 0, 3, tzinfo=UTC)
    assert role.salary == RawSalary(
        minimum=Decimal(150000), maximum=Decimal(190000), currency="USD", period="year"
    )


def test_double_encoded_text_is_repaired() -> None:
    role = parse_fixture("api.json")[0]

    assert role.company == "Zócalo Health"
    assert role.locations == ["Gdańsk"]
    assert role.description_html == (
        "<p>We\u2019re building clinical copilots — join us in Gdańsk or anywhere.</p>"
    )


def test_windows_1252_mojibake_is_repaired_and_correct_text_left_alone() -> None:
    role = parse_fixture("api.json")[1]

    assert role.title == "Prompt Writer \u2013 \u2018Docs\u2019"
    assert role.company == "Café Labs"
    assert role.description_html == "<p>Résumé required. Naïve café owners welcome.</p>"


def test_zero_salary_means_unknown() -> None:
    role = parse_fixture("api.json")[1]

    assert role.salary is None


def test_empty_job_is_an_item_error_and_small_figures_get_no_period() -> None:
    results = parse_fixture("api.json")

    assert results[2] == ItemError(3, "missing title ('position')", "2200003")
    tutor = results[3]
    assert tutor.salary == RawSalary(minimum=Decimal(30), maximum=Decimal(45), currency="USD")
    # No epoch, so the ISO date is used.
    assert tutor.posted_at == datetime(2026, 3, 14, 14, 53, 20, tzinfo=UTC)
    # A javascript: link never becomes an apply link; the posting page is used instead.
    assert tutor.apply_url == "https://remoteOK.com/remote-jobs/remote-ml-tutor-2200004"


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        (b'[{"legal": "x"}, {"id": "1", "position": "Cut', "cut short"),
        (b'{"jobs": []}', "expected a RemoteOK"),
        (b"Too many requests", "not valid JSON"),
    ],
)
def test_unusable_feeds_raise_feed_error(payload: bytes, message: str) -> None:
    with pytest.raises(FeedError, match=message):
        list(remoteok.parse(io.BytesIO(payload)))


def test_large_list_parses() -> None:
    jobs = [{"legal": "notice"}] + [
        {"id": str(number), "position": f"AI Engineer {number}", "epoch": 1773619203}
        for number in range(5_000)
    ]

    roles = list(remoteok.parse(io.BytesIO(json.dumps(jobs).encode())))

    assert len(roles) == 5_000
    assert roles[-1].title == "AI Engineer 4999"

"""Tests for opportunities/ingest/greenhouse.py."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from opportunities.ingest.parsers import greenhouse
from opportunities.ingest.parsers.records import (
    FeedError,
    ItemError,
    PendingRole,
    RawRole,
    RawSalary,
)
from tests import paths

FIXTURES = paths.FIXTURES / "greenhouse"


def parse_fixture(name: str, **kwargs: str) -> list[RawRole | ItemError]:
    with (FIXTURES / name).open("rb") as stream:
        return list(greenhouse.parse(stream, **kwargs))


def test_board_list_gives_the_fields_users_see() -> None:
    role = parse_fixture("board.json")[0]

    assert isinstance(role, RawRole)
    assert role.external_id == "4410021"
    assert role.title == "Senior LLM Evaluation Engineer"
    assert role.company == "Lumen Labs"
    assert role.url == "https://job-boards.greenhouse.io/lumenlabs/jobs/4410021"
    assert role.apply_url == role.url
    assert role.locations == ["Berlin, Germany"]
    assert role.department == "Applied AI"
    assert role.employment_type == "Full-time"
    assert role.seniority == "Senior"
    assert role.salary == RawSalary(
        minimum=Decimal("85000.0"), maximum=Decimal("110000.0"), currency="EUR"
    )
    assert role.posted_at == datetime(2026, 2, 20, 8, 30, tzinfo=UTC)
    assert role.expires_at == datetime(2026, 4, 30, 23, 59, 59, tzinfo=UTC)


def test_content_is_unescaped_exactly_once() -> None:
    role = parse_fixture("board.json")[0]

    assert role.description_html.startswith("<h2>About the role</h2>")
    # "&amp;amp;" in the payload is "&amp;" in the posting's own HTML, which shows as "&".
    assert "retrieval &amp; agents" in role.description_html
    assert "<li>PyTorch</li>" in role.description_html


def test_several_remote_locations_are_split_and_marked_remote() -> None:
    role = parse_fixture("board.json")[1]

    assert role.locations == ["Remote, Canada", "Remote, United States"]
    assert role.workplace == "remote"
    # first_published is not a date here, so the update time stands in.
    assert role.posted_at == datetime(2026, 3, 5, 18, 0, tzinfo=UTC)


def test_malformed_jobs_become_item_errors_and_the_rest_parse() -> None:
    results = parse_fixture("board.json")

    errors = [result for result in results if isinstance(result, ItemError)]
    assert [(error.position, error.external_id) for error in errors] == [
        (2, "4410023"),
        (3, "4410024"),
    ]
    assert "missing title" in errors[0].reason
    assert "not text" in errors[1].reason
    titles = [result.title for result in results if isinstance(result, RawRole)]
    assert titles[-1] == "Data Engineer, Training Pipelines"


def test_offices_stand_in_for_an_empty_location_and_base_url_gives_the_link() -> None:
    role = parse_fixture(
        "board.json", base_url="https://boards-api.greenhouse.io/v1/boards/lumenlabs/jobs"
    )[-1]

    assert role.locations == ["Lisbon, Portugal"]
    assert role.url == "https://boards.greenhouse.io/lumenlabs/jobs/4410025"


def test_bare_single_job_with_questions() -> None:
    [role] = parse_fixture("single_job.json")

    assert role.external_id == "5520010"
    assert role.title == "Machine Learning Engineer, Speech"
    assert role.workplace == "hybrid"
    assert role.department == "Speech"
    assert role.description_html == "<p>Train streaming ASR models &mdash; on-device.</p>"
    assert role.posted_at == datetime(2026, 1, 15, 21, 45, tzinfo=UTC)


def test_scraper_envelope_is_read_through_to_its_jobs() -> None:
    roles = parse_fixture("envelope.json")

    assert [role.external_id for role in roles] == ["7001", "7002"]
    # The envelope's "company" is a slug, not a name; the job URL's board token names it.
    assert roles[0].company == "Vectorworksai"
    assert roles[1].company == "VectorWorks AI"
    assert roles[0].posted_at == datetime(2026, 5, 1, 15, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        (b'{"jobs": [{"id": 1, "title": "Cut', "cut short"),
        (b"<html><body>Bad gateway</body></html>", "not valid JSON"),
        (b"", "cut short"),
        (b'"just a string"', "expected a Greenhouse"),
        (b'{"error": "board not found"}', "without a 'jobs' list"),
    ],
)
def test_unusable_feeds_raise_feed_error(payload: bytes, message: str) -> None:
    with pytest.raises(FeedError, match=message):
        list(greenhouse.parse(io.BytesIO(payload)))


def test_an_item_that_is_not_utf8_is_rejected_and_its_siblings_kept() -> None:
    payload = b'{"jobs": [{"id": 1, "title": "Caf\xe9"}, {"id": 2, "title": "Caf\xc3\xa9"}]}'

    first, second = greenhouse.parse(io.BytesIO(payload))

    assert isinstance(first, ItemError) and "not UTF-8" in first.reason
    assert isinstance(second, RawRole) and second.title == "Caf\u00e9"


def test_byte_order_mark_is_accepted() -> None:
    payload = b'\xef\xbb\xbf{"jobs": [{"id": 3, "title": "Caf\xc3\xa9 AI Lead"}]}'

    [role] = greenhouse.parse(io.BytesIO(payload))

    assert role.title == "Café AI Lead"


def test_large_board_is_streamed_one_job_at_a_time() -> None:
    jobs = [
        {
            "id": number,
            "title": f"LLM Engineer {number}",
            "absolute_url": f"https://boards.greenhouse.io/big/jobs/{number}",
            "location": {"name": "Remote"},
            "updated_at": "2026-01-01T00:00:00Z",
            "content": "&lt;p&gt;" + "Train models. " * 20 + "&lt;/p&gt;",
        }
        for number in range(20_000)
    ]
    payload = json.dumps({"jobs": jobs}).encode()
    stream = io.BytesIO(payload)

    roles = greenhouse.parse(stream)
    first = next(roles)
    # Only the first buffer has been read when the first role comes out.
    assert stream.tell() < len(payload) // 10
    rest = list(roles)

    assert first.title == "LLM Engineer 0"
    assert len(rest) == 19_999
    assert rest[-1].url == "https://boards.greenhouse.io/big/jobs/19999"


@pytest.mark.parametrize("name", ["board.json", "envelope.json", "single_job.json"])
def test_pending_roles_build_into_what_parse_gives(name: str) -> None:
    path = FIXTURES / name
    base_url = "https://boards-api.greenhouse.io/v1/boards/acme/jobs"
    with path.open("rb") as stream:
        parsed = list(greenhouse.parse(stream, base_url=base_url))
    with path.open("rb") as stream:
        pending = list(greenhouse.parse_pending(stream, base_url=base_url))

    built = [item.build() if isinstance(item, PendingRole) else item for item in pending]
    assert built == parsed
    for item, role in zip(pending, built, strict=True):
        if isinstance(item, PendingRole) and isinstance(role, RawRole):
            assert item.external_id == role.external_id

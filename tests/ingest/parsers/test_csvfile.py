"""Tests for opportunities/ingest/csvfile.py."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from opportunities.ingest.parsers import csvfile
from opportunities.ingest.parsers.records import FeedError, ItemError, RawRole, RawSalary
from tests import paths

FIXTURES = paths.FIXTURES / "csv"


def parse_fixture(name: str) -> list[RawRole | ItemError]:
    with (FIXTURES / name).open("rb") as stream:
        return list(csvfile.parse(stream))


def test_fixture_starts_with_a_byte_order_mark() -> None:
    assert (FIXTURES / "roles.csv").read_bytes().startswith(b"\xef\xbb\xbf")


def test_full_row_gives_the_fields_users_see() -> None:
    role = parse_fixture("roles.csv")[0]

    assert role == RawRole(
        external_id="cur-001",
        title="Generative AI Engineer",
        company="Fjord Intelligence",
        url="https://fjord.example/jobs/genai",
        apply_url="https://fjord.example/jobs/genai/apply",
        description_html="<p>Ship RAG features.</p>",
        locations=["Oslo", "Stockholm"],
        workplace="hybrid",
        employment_type="Full-time",
        seniority="Senior",
        tags=["LLM", "RAG", "Python"],
        salary=RawSalary(
            minimum=Decimal(750000), maximum=Decimal(900000), currency="NOK", period="year"
        ),
        posted_at=datetime(2026, 5, 4, 7, 0, tzinfo=UTC),
        expires_at=datetime(2026, 6, 1, 23, 59, 59, tzinfo=UTC),
    )


def test_plain_text_description_email_and_hourly_pay() -> None:
    role = parse_fixture("roles.csv")[1]

    assert role.company == "Kite & Key"
    assert role.apply_email == "jobs@kiteandkey.example"
    assert role.workplace == "remote"
    assert role.description_html == (
        "<p>Plain text description.</p><p>Second paragraph &amp; more.</p>"
    )
    assert role.salary == RawSalary(
        minimum=Decimal(95), maximum=Decimal(120), currency="EUR", period="hour"
    )
    assert role.posted_at == datetime(2026, 5, 5, tzinfo=UTC)


def test_rows_without_title_or_id_are_item_errors_naming_the_line() -> None:
    errors = [result for result in parse_fixture("roles.csv") if isinstance(result, ItemError)]

    assert [(error.reason, error.external_id) for error in errors] == [
        ("line 6: missing title", "cur-003"),
        ("line 7: missing external_id", None),
    ]


def test_bad_values_are_dropped_not_fatal() -> None:
    role = parse_fixture("roles.csv")[-1]

    assert role.title == "Évaluation Lead (Montréal)"
    assert role.company == "Café Modèle"
    assert role.url is None  # javascript: is not a link
    assert role.apply_url == "https://cafe.example/apply"
    assert role.apply_email is None
    assert role.locations == ["Montréal, QC"]
    assert role.workplace == "onsite"
    assert role.salary is None
    assert role.posted_at is None
    assert role.expires_at is None


def test_semicolon_delimited_export_without_bom() -> None:
    payload = b"external_id;title;location\nx1;Data Scientist;Paris\n"

    [role] = csvfile.parse(io.BytesIO(payload))

    assert (role.external_id, role.title, role.locations) == ("x1", "Data Scientist", ["Paris"])


def test_windows_1252_file_is_refused_in_plain_words() -> None:
    payload = "external_id,title\nx1,Ingénieur IA\n".encode("cp1252")

    with pytest.raises(FeedError, match="not UTF-8"):
        list(csvfile.parse(io.BytesIO(payload)))


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        (b"", "empty"),
        (b"id,name\n1,ML Engineer\n", "no external_id or title column"),
    ],
)
def test_unusable_files_raise_feed_error(payload: bytes, message: str) -> None:
    with pytest.raises(FeedError, match=message):
        list(csvfile.parse(io.BytesIO(payload)))


def test_caller_stream_stays_open() -> None:
    stream = io.BytesIO(b"external_id,title\nx1,AI Engineer\n")

    list(csvfile.parse(stream))

    assert not stream.closed


def test_large_upload_parses() -> None:
    lines = ["external_id,title,tags"] + [f"r{n},Engineer {n},llm;rag" for n in range(5_000)]

    roles = list(csvfile.parse(io.BytesIO("\n".join(lines).encode())))

    assert len(roles) == 5_000
    assert roles[-1].tags == ["llm", "rag"]

"""Tests for opportunities/ingest/common.py."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from opportunities.ingest.parsers.common import (
    OVERSIZED,
    BadItem,
    as_html,
    clean_url,
    convert,
    defer,
    from_epoch,
    normalise_period,
    normalise_workplace,
    parse_datetime,
    read_capped,
    repair_mojibake,
    stable_id,
    to_decimal,
)
from opportunities.ingest.parsers.records import FeedError, ItemError, PendingRole, RawRole


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-08-10T16:52:46-04:00", datetime(2026, 8, 10, 20, 52, 46, tzinfo=UTC)),
        ("2013-09-12T21:01:50Z", datetime(2013, 9, 12, 21, 1, 50, tzinfo=UTC)),
        ("2026-07-28T14:23:05", datetime(2026, 7, 28, 14, 23, 5, tzinfo=UTC)),
        ("2026-07-01", datetime(2026, 7, 1, tzinfo=UTC)),
        ("20260701T120000Z", datetime(2026, 7, 1, 12, tzinfo=UTC)),
        ("Thu, 08 Dec 2022 00:08:24 +0000", datetime(2022, 12, 8, 0, 8, 24, tzinfo=UTC)),
        ("Mon, 07 Nov 2022 18:30:00 EST", datetime(2022, 11, 7, 23, 30, tzinfo=UTC)),
        (
            datetime(2026, 1, 1, 9, tzinfo=timezone(timedelta(hours=9))),
            datetime(2026, 1, 1, tzinfo=UTC),
        ),
        ("tomorrow", None),
        ("3", None),
        ("2026-02-30", None),
        ("", None),
        (None, None),
        (12, None),
    ],
)
def test_parse_datetime_gives_aware_utc_or_none(value: object, expected: datetime | None) -> None:
    assert parse_datetime(value) == expected


def test_bare_expiry_date_lasts_the_whole_day() -> None:
    assert parse_datetime("2026-04-30", end_of_day=True) == datetime(
        2026, 4, 30, 23, 59, 59, tzinfo=UTC
    )


def test_epochs_in_seconds_and_milliseconds() -> None:
    assert from_epoch(1773619203) == datetime(2026, 3, 16, 0, 0, 3, tzinfo=UTC)
    assert from_epoch(1767225600000, milliseconds=True) == datetime(2026, 1, 1, tzinfo=UTC)
    assert from_epoch(10**20) is None
    assert from_epoch("soon") is None
    assert from_epoch(True) is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (144000, Decimal(144000)),
        ("120,000", Decimal(120000)),
        (" 95000.50 ", Decimal("95000.50")),
        (85000.5, Decimal("85000.5")),
        (Decimal("1E+2"), Decimal(100)),
        ("abc", None),
        ("", None),
        (-5, None),
        ("NaN", None),
        (True, None),
        (None, None),
    ],
)
def test_to_decimal(value: object, expected: Decimal | None) -> None:
    assert to_decimal(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("per-year-salary", "year"),
        ("per-month-salary", "month"),
        ("per-hour-wage", "hour"),
        ("1 YEAR", "year"),
        ("1 MONTH", "month"),
        ("HOUR", "hour"),
        ("DAY", "day"),
        ("WEEK", "week"),
        ("yearly", "year"),
        ("per hour", "hour"),
        ("one-time", None),
        (None, None),
    ],
)
def test_normalise_period(value: object, expected: str | None) -> None:
    assert normalise_period(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("remote", "remote"),
        ("Hybrid", "hybrid"),
        ("OnSite", "onsite"),
        ("on-site", "onsite"),
        ("ON_SITE", "onsite"),
        ("unspecified", None),
    ],
)
def test_normalise_workplace(value: str, expected: str | None) -> None:
    assert normalise_workplace(value) == expected


@pytest.mark.parametrize(
    ("broken", "repaired"),
    [
        ("CafÃ©", "Café"),
        ("Weâ\x80\x99re", "We\u2019re"),
        ("Weâ€™re", "We\u2019re"),
        ("ZÃ³calo", "Zócalo"),
        ("GdaÅ\x84sk", "Gdańsk"),
        ("ð\x9f\x9a\x80 launch", "🚀 launch"),
        ("Â\xa0spaced", "\xa0spaced"),
        ("Café résumé naïve", "Café résumé naïve"),
        ("plain ASCII", "plain ASCII"),
        ("Ã alone", "Ã alone"),
    ],
)
def test_repair_mojibake_only_when_it_round_trips(broken: str, repaired: str) -> None:
    assert repair_mojibake(broken) == repaired


def test_as_html_keeps_html_and_wraps_plain_text() -> None:
    assert as_html("<p>Hi</p>") == "<p>Hi</p>"
    assert (
        as_html("Tom & Jerry\nline two\n\nnext") == "<p>Tom &amp; Jerry<br>line two</p><p>next</p>"
    )
    assert as_html(None) == ""


def test_clean_url_refuses_other_schemes() -> None:
    assert clean_url("https://jobs.example/1") == "https://jobs.example/1"
    assert clean_url("/jobs/1", "https://jobs.example/list") == "https://jobs.example/jobs/1"
    assert clean_url("javascript:alert(1)") is None
    assert clean_url("data:text/html,hi") is None
    assert clean_url("/relative/without/base") is None
    assert clean_url("http://[::1") is None


def test_stable_id_is_stable_and_distinguishes_parts() -> None:
    assert stable_id("Engineer", "Acme") == stable_id("Engineer", "Acme")
    assert stable_id("Engineer", "Acme") != stable_id("EngineerAcme", None)


def test_convert_reports_why_an_item_is_not_a_role() -> None:
    def to_role(item: dict[str, object]) -> RawRole:
        if item.get("boom"):
            raise BadItem("exploded", "id-9")
        return RawRole(external_id="1", title=str(item["title"]))

    assert convert(0, {"title": "Ok"}, to_role) == RawRole(external_id="1", title="Ok")
    assert convert(1, {"boom": True}, to_role) == ItemError(1, "exploded", "id-9")
    assert convert(2, "text", to_role) == ItemError(2, "item is a string, not an object")
    assert convert(3, OVERSIZED, to_role) == ItemError(3, "item is too large to process")
    assert "unexpected shape" in convert(4, {"id": 5}, to_role).reason


def test_read_capped_refuses_oversized_documents() -> None:
    assert read_capped(io.BytesIO(b"12345"), limit=5) == b"12345"
    with pytest.raises(FeedError, match="larger than"):
        read_capped(io.BytesIO(b"123456"), limit=5)


def test_workplace_phrases_and_far_off_dates() -> None:
    assert normalise_workplace("Remote (EU time zones)") == "remote"
    assert normalise_workplace("Hybrid, 2 days in office") == "hybrid"
    assert normalise_workplace("Flexible") is None
    assert parse_datetime("0001-01-01T00:00:00+01:00") is None
    assert parse_datetime("9999-12-31T23:00:00-05:00") is None


def _titled(item: dict, suffix: str = "") -> RawRole:
    return RawRole(external_id=str(item["id"]), title=item["title"] + suffix)


def test_defer_identifies_an_item_and_builds_it_only_when_asked() -> None:
    item = {"id": 5, "title": "Engineer", "pay": Decimal("1.5")}

    pending = defer(2, item, _titled)

    assert isinstance(pending, PendingRole)
    assert (pending.position, pending.external_id) == (2, "5")
    assert pending.build() == convert(2, item, _titled) == RawRole("5", "Engineer")


def test_defer_digest_follows_the_items_values_and_the_parsers_arguments() -> None:
    from functools import partial

    def digest(item: dict, to_role=_titled) -> bytes:
        return defer(0, item, to_role).digest

    item = {"id": 5, "title": "Engineer", "tags": ["a", {"b": None}]}

    assert digest(item) == digest({"id": 5, "title": "Engineer", "tags": ["a", {"b": None}]})
    assert digest(item) != digest({**item, "tags": ["a", {"b": 0}]})
    assert digest(item) != digest({**item, "title": "Engineer "})
    assert digest({**item, "n": Decimal("1.0")}) != digest({**item, "n": Decimal("1.5")})
    assert digest(item, partial(_titled, suffix="!")) != digest(item, partial(_titled, suffix="?"))


@pytest.mark.parametrize("item", [{"title": "no id"}, {"id": True}, OVERSIZED, "text"])
def test_defer_without_a_usable_id_gives_convert_s_error_at_once(item: object) -> None:
    assert defer(4, item, _titled) == convert(4, item, _titled)

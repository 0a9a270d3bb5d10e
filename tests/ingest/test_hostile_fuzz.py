"""Property-based fuzzing of the JSON parsers and normalise with mutated real items.

Each example takes one item of a real fixture and damages it: deleted fields, wrong types,
huge strings, bytes that are not UTF-8, surrogate escapes, NUL and bidi characters, odd
dates, deep nesting. Whatever the damage, the parser yields one RawRole or ItemError per
item and the other items exactly as before, and whatever normalise accepts obeys the rules
values must meet before the database sees them. INGEST_FUZZ_EXAMPLES raises the count.
"""

from __future__ import annotations

import io
import json
import os
from datetime import UTC, datetime, timedelta
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from opportunities.ingest.normalise.role import (
    COMPANY_MAX,
    EARLIEST_DATE,
    EXTERNAL_ID_MAX,
    TITLE_MAX,
    URL_MAX,
    NormaliseError,
    normalise,
)
from opportunities.ingest.normalise.skills import SkillRecogniser, SkillTerms
from opportunities.ingest.parsers import parse_pending
from opportunities.ingest.parsers.records import ItemError, PendingRole, RawRole
from opportunities.text import text_clean
from tests import paths
from tests.ingest.normalise.test_role_hostile import texts

EXAMPLES = int(os.environ.get("INGEST_FUZZ_EXAMPLES", "200"))
FEEDS = {
    "greenhouse": "greenhouse/board.json",
    "ashby": "ashby/board.json",
    "remotive": "remotive/jobs.json",
    "remoteok": "remoteok/api.json",
    "lever": "lever/postings.json",
}
DOCUMENTS = {kind: (paths.FIXTURES / name).read_bytes() for kind, name in FEEDS.items()}
SKILLS = SkillRecogniser([SkillTerms("python", "Python"), SkillTerms("pytorch", "PyTorch")])
NOW = datetime(2026, 6, 1, tzinfo=UTC)
RAW = "@@raw{}@@"  # stands for raw JSON text put in after serialising

# Raw JSON text that json.dumps cannot write: not UTF-8, lone surrogates, deep nesting.
RAW_VALUES = [
    b'"Caf\xe9 \xff\xfe"',
    b'"\\udfff"',
    b'"ok \\ud800 then"',
    b'"\\ud83d\\ude00 pair"',
    b"[" * 200 + b"]" * 200,
    b'{"a":' * 80 + b"1" + b"}" * 80,
]
NASTY_TEXT = st.sampled_from(
    ["\x00", "\x07", "\x1b", "\u202e", "\u2066", "\u200b", "\u3164", "\ufeff", "\r", "\x85"]
)
DATES = st.sampled_from(
    [
        "9999-12-31T23:59:59Z",
        "0001-01-01",
        "1970-01-01T00:00:00Z",
        "1989-12-31",
        "2026-02-30",
        "2100-01-01T00:00:00+14:00",
        "-1",
        "yesterday",
        "",
    ]
)
VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=40),
    st.builds(lambda c, n: c * n, NASTY_TEXT, st.integers(1, 5)),
    st.builds(lambda a, c, b: f"{a}{c}{b}", st.text(max_size=10), NASTY_TEXT, st.text(max_size=10)),
    st.builds(lambda n: "x" * n, st.sampled_from([301, 5_000, 300_000])),
    DATES,
    st.integers(min_value=-(2**40), max_value=2**45),  # epoch seconds or milliseconds
    st.lists(st.text(max_size=5), max_size=3),
    st.dictionaries(st.text(max_size=5), st.text(max_size=5), max_size=3),
    st.sampled_from([RAW.format(n) for n in range(len(RAW_VALUES))]),
)


# Not damage but another feed: an unlisted Ashby posting made listed is one item more.
UNDAMAGED_KEYS = {"ashby": {"isListed"}}


def _elements(document: Any) -> list[dict[str, Any]]:
    """The fixture's list elements, in feed order; their index is the parser's position."""
    return document["jobs"] if isinstance(document, dict) else document


def _is_notice(kind: str, element: dict[str, Any]) -> bool:
    return kind == "remoteok" and "legal" in element  # RemoteOK's legal notice, not an item


@st.composite
def damaged_feeds(draw) -> tuple[str, int, bytes]:
    """(kind, index of the damaged item, the feed with that item damaged)."""
    kind = draw(st.sampled_from(sorted(FEEDS)))
    document = json.loads(DOCUMENTS[kind])
    elements = _elements(document)
    index = draw(
        st.sampled_from([n for n, item in enumerate(elements) if not _is_notice(kind, item)])
    )
    item = elements[index]
    for _ in range(draw(st.integers(1, 4))):
        target = item
        keys = sorted(set(target) - UNDAMAGED_KEYS.get(kind, set()))
        if not keys:
            break
        key = draw(st.sampled_from(keys))
        if isinstance(target[key], dict) and target[key] and draw(st.booleans()):
            target = target[key]
            key = draw(st.sampled_from(sorted(target)))
        if draw(st.booleans()) and len(target) > 1:
            del target[key]
        else:
            target[key] = draw(VALUES)
    data = json.dumps(document).encode()
    for n, raw in enumerate(RAW_VALUES):
        data = data.replace(json.dumps(RAW.format(n)).encode(), raw)
    return kind, index, data


def read(kind: str, data: bytes) -> list[tuple[int, RawRole | ItemError]]:
    """(position in the feed, RawRole or ItemError) for every item the parser yields."""
    read_items = []
    for item in parse_pending(kind, io.BytesIO(data)):
        if isinstance(item, PendingRole):
            read_items.append((item.position, item.build()))
        else:
            assert isinstance(item, ItemError), item  # a RawRole comes from a PendingRole
            read_items.append((item.position, item))
    return read_items


ORIGINAL = {kind: read(kind, data) for kind, data in DOCUMENTS.items()}


def assert_storable(normalised) -> None:
    """The rules values meet before the database sees them."""
    for text in texts(normalised):
        assert text_clean(text) == text, repr(text)
        text.encode("utf-8")  # no surrogates
    assert normalised.title.strip() and len(normalised.title) <= TITLE_MAX
    assert len(normalised.company_name) <= COMPANY_MAX
    assert len(normalised.external_id) <= EXTERNAL_ID_MAX
    assert len(normalised.canonical_url) <= URL_MAX and len(normalised.apply_url) <= URL_MAX
    if normalised.posted_at is not None:
        assert EARLIEST_DATE <= normalised.posted_at <= NOW + timedelta(days=365)
    if normalised.expires_at is not None:
        assert normalised.expires_at >= EARLIEST_DATE
        if normalised.posted_at is not None:
            assert normalised.expires_at >= normalised.posted_at


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(damaged_feeds())
def test_a_damaged_item_costs_at_most_that_item(feed: tuple[str, int, bytes]) -> None:
    kind, index, data = feed
    original = ORIGINAL[kind]

    result = read(kind, data)

    assert all(isinstance(item, RawRole | ItemError) for _, item in result)
    assert len([position for position, _ in result if position == index]) <= 1
    siblings = [entry for entry in result if entry[0] != index]
    assert siblings == [entry for entry in original if entry[0] != index]
    for _, item in result:
        if isinstance(item, ItemError):
            assert text_clean(item.reason) == item.reason
            continue
        try:
            normalised = normalise(item, skills=SKILLS, default_company="Acme", now=NOW)
        except NormaliseError as exc:
            assert str(exc)
            continue
        assert_storable(normalised)

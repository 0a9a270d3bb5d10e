"""Hostile JSON feeds: deep nesting and lone surrogate escapes cost one item, never the feed.

Each feed is a real fixture with one item changed; the changed item must come out as an
ItemError and every sibling exactly as it does from the unchanged fixture.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
import textwrap
from decimal import Decimal
from typing import Any

import pytest

from opportunities.ingest.parsers import parse, parse_pending
from opportunities.ingest.parsers.common import TooDeep, defer, item_digest
from opportunities.ingest.parsers.records import ItemError, PendingRole, RawRole
from tests import paths

FEEDS = {
    "greenhouse": "greenhouse/board.json",
    "ashby": "ashby/board.json",
    "remotive": "remotive/jobs.json",
    "remoteok": "remoteok/api.json",
    "lever": "lever/postings.json",
}
MARK = "@@hostile@@"


def _items(document: Any) -> list[dict[str, Any]]:
    """The item objects of a feed document, in feed order, notices left out."""
    items = document["jobs"] if isinstance(document, dict) else document
    return [item for item in items if "id" in item]


def hostile_feed(kind: str, key: str, raw_json: str) -> tuple[bytes, bytes]:
    """(the fixture, the fixture with `key` of its first item set to the raw JSON text)."""
    original = (paths.FIXTURES / FEEDS[kind]).read_bytes()
    document = json.loads(original)
    _items(document)[0][key] = MARK
    hostile = json.dumps(document).replace(json.dumps(MARK), raw_json)
    return original, hostile.encode()


def read(kind: str, data: bytes, *, pending: bool) -> list[RawRole | ItemError]:
    if not pending:
        return list(parse(kind, io.BytesIO(data)))
    return [
        item.build() if isinstance(item, PendingRole) else item
        for item in parse_pending(kind, io.BytesIO(data))
    ]


def assert_only_the_first_item_is_rejected(
    kind: str, original: bytes, hostile: bytes, reason: str
) -> None:
    for pending in (False, True):
        before = read(kind, original, pending=pending)
        after = read(kind, hostile, pending=pending)
        first = next(n for n, item in enumerate(before) if isinstance(item, RawRole))
        assert len(after) == len(before)
        assert isinstance(after[first], ItemError)
        assert reason in after[first].reason
        assert after[:first] + after[first + 1 :] == before[:first] + before[first + 1 :]


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


@pytest.mark.parametrize("kind", FEEDS)
@pytest.mark.parametrize("depth", [65, 200, 5_000])
def test_a_deeply_nested_item_costs_that_item_only(kind: str, depth: int) -> None:
    original, hostile = hostile_feed(kind, "extra", nested(depth))

    assert_only_the_first_item_is_rejected(kind, original, hostile, "more than 64 levels")


@pytest.mark.parametrize("kind", FEEDS)
def test_nesting_within_the_limit_is_read(kind: str) -> None:
    _, hostile = hostile_feed(kind, "extra", nested(40))

    roles = read(kind, hostile, pending=True)

    assert not any("levels" in item.reason for item in roles if isinstance(item, ItemError))


@pytest.mark.parametrize("kind", FEEDS)
@pytest.mark.parametrize("escape", ["\\udfff", "\\ud800x", "\\uDC00", "\\ud83d\\u0041"])
def test_a_lone_surrogate_escape_costs_that_item_only(kind: str, escape: str) -> None:
    key = {"lever": "text", "remoteok": "position", "remotive": "title"}.get(kind, "title")
    original, hostile = hostile_feed(kind, key, f'"Engineer {escape}"')

    assert_only_the_first_item_is_rejected(kind, original, hostile, "lone surrogate escape")


@pytest.mark.parametrize("kind", ["greenhouse", "lever"])
def test_surrogate_pairs_and_escaped_backslashes_are_ordinary_text(kind: str) -> None:
    key = "text" if kind == "lever" else "title"
    _, hostile = hostile_feed(kind, key, '"Engineer \\ud83d\\ude00 \\\\udfff"')

    first = read(kind, hostile, pending=True)[0]

    assert isinstance(first, RawRole)
    assert first.title == "Engineer \U0001f600 \\udfff"


def test_a_lone_surrogate_in_one_json_ld_posting_costs_that_posting_only() -> None:
    page = (paths.FIXTURES / "jsonld" / "careers-page.html").read_text()
    before = list(parse("jsonld", io.BytesIO(page.encode())))
    first = next(role for role in before if isinstance(role, RawRole))
    hostile = page.replace(json.dumps(first.title)[1:-1], first.title + " \\udfff", 1)

    after = list(parse("jsonld", io.BytesIO(hostile.encode())))

    assert len(after) == len(before)
    rejected = [n for n, item in enumerate(after) if item != before[n]]
    assert len(rejected) == 1
    assert isinstance(after[rejected[0]], ItemError)
    assert "lone surrogate escape" in after[rejected[0]].reason


def _deep_value(depth: int) -> Any:
    value: Any = Decimal("1.5")  # no marshal form, so the digest falls back to repr
    for _ in range(depth):
        value = {"x": value}
    return value


def test_the_item_digest_refuses_an_item_too_deep_to_digest() -> None:
    item = {"id": 7, "title": "Engineer", "extra": _deep_value(5_000)}

    with pytest.raises(TooDeep):
        item_digest(item, _identity)

    deferred = defer(3, item, _identity)
    assert isinstance(deferred, ItemError)
    assert deferred.position == 3 and deferred.external_id == "7"


def _identity(item: dict[str, Any]) -> Any:
    return item


_BOUNDED_READ = textwrap.dedent(
    """
    import io, json, resource, sys
    resource.setrlimit(resource.RLIMIT_AS, (512 * 1024 * 1024, 512 * 1024 * 1024))
    from opportunities.ingest.parsers import parse_pending
    from opportunities.ingest.parsers.records import PendingRole
    kind, data = sys.argv[1], sys.stdin.buffer.read()
    items = [
        item.build() if isinstance(item, PendingRole) else item
        for item in parse_pending(kind, io.BytesIO(data))
    ]
    print(json.dumps([type(item).__name__ for item in items]))
    print(getattr(items[0], "reason", ""))
    """
)


@pytest.mark.parametrize("kind", FEEDS)
def test_an_item_nested_50_000_levels_is_read_in_bounded_memory(kind: str) -> None:
    original, hostile = hostile_feed(kind, "extra", nested(50_000))
    expected = [type(item).__name__ for item in read(kind, original, pending=True)]

    finished = subprocess.run(
        [sys.executable, "-c", _BOUNDED_READ, kind],
        input=hostile,
        capture_output=True,
        cwd=paths.ROOT,
        timeout=120,
        check=False,
    )

    assert finished.returncode == 0, finished.stderr.decode()[-2000:]
    names, reason = finished.stdout.decode().splitlines()
    assert json.loads(names) == ["ItemError", *expected[1:]]
    assert "more than 64 levels" in reason

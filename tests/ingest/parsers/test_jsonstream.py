"""Tests for opportunities/ingest/jsonstream.py."""

from __future__ import annotations

import io
import json

import pytest

from opportunities.ingest.parsers import jsonstream
from opportunities.ingest.parsers.common import OVERSIZED
from opportunities.ingest.parsers.records import FeedError


def items(payload: bytes, **kwargs: object) -> list[tuple[object, dict[str, object]]]:
    return list(jsonstream.feed_items(io.BytesIO(payload), what="a test feed", **kwargs))


def test_top_level_list() -> None:
    assert items(b'[{"a": 1}, 2]') == [({"a": 1}, {}), (2, {})]


def test_list_under_a_key_with_the_fields_read_before_it() -> None:
    payload = b'{"company": "Acme", "jobs": [{"id": 1}], "meta": {"total": 1}}'

    assert items(payload, list_key="jobs") == [({"id": 1}, {"company": "Acme"})]


def test_bare_item_recognised_by_its_keys() -> None:
    payload = b'{"id": 7, "title": "Engineer", "tags": ["a"]}'

    assert items(payload, list_key="jobs", single_keys=frozenset({"title"})) == [
        ({"id": 7, "title": "Engineer", "tags": ["a"]}, {})
    ]


def test_wrong_shapes_name_what_was_expected() -> None:
    with pytest.raises(FeedError, match="expected a test feed"):
        items(b"[]", list_key="jobs", bare_list=False)
    with pytest.raises(FeedError, match="without a 'jobs' list"):
        items(b'{"other": []}', list_key="jobs")


def test_oversized_item_is_replaced_and_the_next_one_still_read(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(jsonstream, "MAX_ITEM_EVENTS", 50)
    huge = {"id": 1, "numbers": list(range(1000))}
    payload = json.dumps([huge, {"id": 2}]).encode()

    assert items(payload) == [(OVERSIZED, {}), ({"id": 2}, {})]


def test_non_seekable_stream_with_byte_order_mark() -> None:
    class OneWay(io.RawIOBase):
        def __init__(self, data: bytes) -> None:
            self._data = io.BytesIO(data)

        def readable(self) -> bool:
            return True

        def readinto(self, buffer: bytearray) -> int:
            chunk = self._data.read(len(buffer))
            buffer[: len(chunk)] = chunk
            return len(chunk)

    with_bom = list(jsonstream.feed_items(OneWay(b'\xef\xbb\xbf[{"id": 1}]'), what="x"))
    without = list(jsonstream.feed_items(OneWay(b'[{"id": 2}]'), what="x"))

    assert with_bom == [({"id": 1}, {})]
    assert without == [({"id": 2}, {})]


def test_items_built_in_c_match_the_event_walk(monkeypatch: pytest.MonkeyPatch) -> None:
    payloads = [
        (b'[{"a": 1.5, "b": [1, {"c": null}]}, "x", 3, true]', {}),
        (b'{"company": "Acme", "jobs": [{"id": 1}, {"id": 2}], "meta": {"n": 2}}', {}),
        (b'{"jobs": null, "jobs": [{"id": 1}]}', {}),
        (b'{"id": 7, "title": "Engineer"}', {"single_keys": frozenset({"title"})}),
    ]
    fast = [items(payload, list_key="jobs", **extra) for payload, extra in payloads]
    monkeypatch.setattr(jsonstream, "_rewind_point", lambda stream, list_key: None)
    walked = [items(payload, list_key="jobs", **extra) for payload, extra in payloads]

    assert fast == walked
    assert fast[1] == [({"id": 1}, {"company": "Acme"}), ({"id": 2}, {"company": "Acme"})]


def test_an_oversized_item_amid_items_built_in_c_is_still_replaced(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A few read buffers, so the first items are built in C before the walk takes over.
    monkeypatch.setattr(jsonstream, "MAX_ITEM_EVENTS", 4 * jsonstream._C_BUFFER)
    small = [{"id": n, "text": "x" * 50} for n in range(1000)]
    huge = {"id": "huge", "numbers": list(range(jsonstream.MAX_ITEM_EVENTS))}
    payload = json.dumps({"jobs": [*small, huge, {"id": "after"}]}).encode()

    found = items(payload, list_key="jobs")

    assert [item for item, _ in found] == [*small, OVERSIZED, {"id": "after"}]


@pytest.mark.parametrize(
    ("payload", "reason"),
    [
        (b'{"jobs": [{"id": 1}, {"id": 2}', "stops before"),
        (b'[{"id": 1}] [', "extra text"),
        (b'{"jobs": [{"id": 1}]} }', "extra text"),
    ],
)
def test_broken_json_after_items_built_in_c_is_a_feed_error(payload: bytes, reason: str) -> None:
    with pytest.raises(FeedError, match=reason):
        items(payload, list_key="jobs")

"""Walk a JSON document's parse events so large feeds are built one item at a time."""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import accumulate, count
from operator import sub
from typing import Any, BinaryIO

import ijson

from opportunities.ingest.parsers.common import (
    LONE_SURROGATE,
    MAX_DEPTH,
    OVERSIZED,
    TOO_DEEP,
    Unbuilt,
)
from opportunities.ingest.parsers.records import FeedError

Event = tuple[str, Any]

# A real posting is a few hundred events; this bounds what one hostile item can allocate.
MAX_ITEM_EVENTS = 200_000

_STARTS = frozenset({"start_map", "start_array"})
_ENDS = frozenset({"end_map", "end_array"})


class _Prefixed:
    """A read-only stream that replays a few already-read bytes before the rest."""

    def __init__(self, head: bytes, rest: BinaryIO) -> None:
        self._head = head
        self._rest = rest

    def read(self, size: int = -1) -> bytes:
        if not self._head:
            return self._rest.read(size)
        if size is None or size < 0:
            data, self._head = self._head + self._rest.read(), b""
            return data
        data, self._head = self._head[:size], self._head[size:]
        return data


def _without_bom(stream: BinaryIO) -> BinaryIO | _Prefixed:
    if stream.seekable():
        start = stream.tell()
        if stream.read(3) != codecs.BOM_UTF8:
            stream.seek(start)
        return stream
    head = stream.read(3)
    return stream if head == codecs.BOM_UTF8 else _Prefixed(head, stream)


# A \uXXXX escape of a UTF-16 surrogate, with the backslashes before it (an escaped backslash
# is not the start of an escape), and the low surrogate after a high one when there is one.
# The lookbehind starts a match only at the first backslash of a run, so a long run of
# backslashes is scanned once, not once per backslash.
_SURROGATE_ESCAPE = re.compile(
    rb"(?<!\\)(\\+)u([dD][89abAB][0-9a-fA-F]{2}(?:\\u[dD][c-fC-F][0-9a-fA-F]{2})?"
    rb"|[dD][c-fC-F][0-9a-fA-F]{2})"
)
_MAYBE_SURROGATE = re.compile(rb"\\u[dD]")
_HIGH_ESCAPE = re.compile(rb"\\u[dD][89abAB][0-9a-fA-F]{2}")
# An escape may be cut by a read; this many bytes at the end of a read wait for the next one.
_ESCAPE_TAIL = 12


def _mark_invalid(error: UnicodeDecodeError) -> tuple[str, int]:
    return LONE_SURROGATE, error.end


codecs.register_error("ingest-mark-invalid", _mark_invalid)


class _Utf8Repaired:
    """A stream whose bytes that are not UTF-8 read as the noncharacter U+FFFF.

    ijson stops the whole feed at the first byte that is not UTF-8; marked this way, only
    the item holding it is rejected (see common.LONE_SURROGATE).
    """

    def __init__(self, stream: BinaryIO | _Prefixed) -> None:
        self._stream = stream
        self._decoder = codecs.getincrementaldecoder("utf-8")("ingest-mark-invalid")

    def read(self, size: int = -1) -> bytes:
        if size == 0:
            return self._stream.read(0)
        while True:
            data = self._stream.read(size)
            if not data:
                return self._decoder.decode(b"", final=True).encode()
            if data.isascii() and not self._decoder.getstate()[0]:
                return data
            text = self._decoder.decode(data, final=size is None or size < 0)
            if text:
                return text.encode()


class _SurrogatesMarked:
    r"""A stream whose lone surrogate escapes read as \uffff (see common.LONE_SURROGATE).

    ijson's C backend turns "\udfff" into bytes that are not UTF-8 and then fails, which would
    end the whole feed; read as a noncharacter, it costs only the item that holds it.
    """

    def __init__(self, stream: BinaryIO | _Prefixed) -> None:
        self._stream = stream
        self._held = b""

    def read(self, size: int = -1) -> bytes:
        if size == 0:
            return self._stream.read(0)  # ijson asks, to tell bytes from text
        while True:
            whole = size is None or size < 0
            new = self._stream.read(size if whole else max(size - len(self._held), 1))
            data, self._held = self._held + new, b""
            if not new or whole:
                return self._marked(data)  # the end: nothing more can complete an escape
            cut = data.find(b"\\", max(len(data) - _ESCAPE_TAIL, 0))
            if cut < 0:
                return self._marked(data)
            if _HIGH_ESCAPE.fullmatch(data, max(cut - 6, 0), cut):
                cut -= 6  # the first half of a pair whose second half is held back
            cut = len(data[:cut].rstrip(b"\\"))  # a run of backslashes stays whole
            data, self._held = data[:cut], data[cut:]
            if data:
                return self._marked(data)

    @staticmethod
    def _marked(data: bytes) -> bytes:
        if not _MAYBE_SURROGATE.search(data):
            return data
        return _SURROGATE_ESCAPE.sub(_mark_lone_surrogate, data)


def _mark_lone_surrogate(match: re.Match[bytes]) -> bytes:
    backslashes, code = match.groups()
    if len(backslashes) % 2 == 0 or len(code) > 4:
        return match.group(0)  # an escaped backslash and text, or a valid surrogate pair
    return backslashes + b"uffff"


def events(stream: BinaryIO) -> Iterator[Event]:
    """Yield (event, value) pairs for the document, raising FeedError in plain words."""
    return _events(_without_bom(stream))


def _events(stream: BinaryIO | _Prefixed) -> Iterator[Event]:
    try:
        yield from ijson.basic_parse(_SurrogatesMarked(_Utf8Repaired(stream)), use_float=False)
    except ijson.JSONError as exc:
        raise FeedError(_plain_reason(exc)) from exc


def _plain_reason(exc: Exception) -> str:
    detail = str(exc)
    if "premature EOF" in detail:
        return "The feed stops before its JSON is complete; the download was probably cut short."
    if "UTF8" in detail:
        return "The feed is not UTF-8 text, so it cannot be read as JSON."
    if "trailing garbage" in detail:
        return "The feed has extra text after its JSON document."
    return "The feed is not valid JSON."


def build(event: str, value: Any, stream_events: Iterator[Event], *, depth: int = 0) -> Any:
    """Build the value that starts with (event, value); OVERSIZED or TOO_DEEP if it cannot be.

    Nesting is checked as each container opens, so a deep item costs no more than its depth
    limit before it is skipped. `depth` is how deep inside its item the value sits.
    """
    limit = MAX_DEPTH - depth
    if event not in _STARTS:
        return value
    # ijson.ObjectBuilder inlined: a method call per event was half the cost of parsing a feed.
    root: Any = {} if event == "start_map" else []
    stack: list[Any] = [root]
    top = root
    key = None
    count = 1
    for event, value in stream_events:
        count += 1
        if count > MAX_ITEM_EVENTS:
            depth = len(stack) + (event in _STARTS) - (event in _ENDS)  # after this event
            _skip_to_depth_zero(depth, stream_events)
            return OVERSIZED
        if event == "map_key":
            key = value
            continue
        if event == "start_map":
            value = {}
        elif event == "start_array":
            value = []
        elif event in _ENDS:
            stack.pop()
            if not stack:
                return root
            top = stack[-1]
            continue
        if type(top) is dict:
            top[key] = value
        else:
            top.append(value)
        if event in _STARTS:
            if len(stack) >= limit:
                _skip_to_depth_zero(len(stack) + 1, stream_events)
                return TOO_DEEP
            stack.append(value)
            top = value
    raise FeedError("The feed stops before its JSON is complete.")


def unbuilt_member(fields: dict[str, Any]) -> Unbuilt | None:
    """The Unbuilt that stands in for a member of an item built member by member, if any."""
    for value in fields.values():
        if isinstance(value, Unbuilt):
            return value
    return None


def skip(event: str, stream_events: Iterator[Event]) -> None:
    """Consume the value that starts with event without building it."""
    if event in _STARTS:
        _skip_to_depth_zero(1, stream_events)


def _skip_to_depth_zero(depth: int, stream_events: Iterator[Event]) -> None:
    while depth:
        event, _ = next(stream_events)
        if event in _STARTS:
            depth += 1
        elif event in _ENDS:
            depth -= 1


def array_items(stream_events: Iterator[Event]) -> Iterator[Any]:
    """Yield each element of the array whose start_array was just consumed."""
    for event, value in stream_events:
        if event == "end_array":
            return
        yield build(event, value, stream_events)


def object_members(stream_events: Iterator[Event]) -> Iterator[tuple[str, str, Any]]:
    """Yield (key, first event, value) per member of the object whose start_map was consumed.

    The caller must consume each member's value (build, skip or array_items) before asking
    for the next member.
    """
    for event, value in stream_events:
        if event == "end_map":
            return
        key = value
        event, value = next(stream_events)
        yield key, event, value


def describe(event: str) -> str:
    """Name the JSON kind a value starts with, for error messages."""
    return {
        "start_map": "an object",
        "start_array": "a list",
        "string": "a string",
        "number": "a number",
        "boolean": "a boolean",
        "null": "null",
    }.get(event, "something else")


def feed_items(
    stream: BinaryIO,
    *,
    what: str,
    list_key: str | None = None,
    bare_list: bool = True,
    single_keys: frozenset[str] = frozenset(),
) -> Iterator[tuple[Any, dict[str, Any]]]:
    """Yield (item, top-level fields read so far) for each item of a feed, one at a time.

    Accepted shapes: a top-level list (when ``bare_list``), an object holding the list under
    ``list_key`` beside other fields, and a bare item object recognised by any of
    ``single_keys``. Anything else raises FeedError naming ``what`` the feed should be.
    """
    shape = {"what": what, "list_key": list_key, "bare_list": bare_list, "single_keys": single_keys}
    stream = _without_bom(stream)
    start = _rewind_point(stream, list_key)
    if start is None:
        yield from _walk(stream, **shape)
        return
    walk = _walk(stream, stop_at_list=True, **shape)
    for entry in walk:
        if type(entry) is _ListStart:
            break
        yield entry
    else:
        return
    walk.close()
    # The list's items are built by ijson's C code, from the start of the document again:
    # walking its events in Python cost five times as much as the rest of reading an item.
    yielded = 0
    try:
        for item in _built_in_c(stream, start, entry.prefix):
            yield item, entry.before
            yielded += 1
        return
    except _TooLargeForC:
        pass
    # An item too large to build blindly: walk the events from the start again, so it is
    # replaced by OVERSIZED as before, skipping the items already yielded.
    stream.seek(start)
    yield from _walk(stream, skip_items=yielded, **shape)


@dataclass(slots=True)
class _ListStart:
    """Where the list of items starts: its ijson prefix and the fields read before it."""

    prefix: str
    before: dict[str, Any]


def _rewind_point(stream: BinaryIO | _Prefixed, list_key: str | None) -> int | None:
    """The offset the document starts at, when its items may be built in C; else None."""
    if isinstance(stream, _Prefixed) or (list_key and "." in list_key):
        return None  # a non-seekable stream cannot be read twice; a dot would split the prefix
    if ijson.backend != "yajl2_c" or _c_read_limit() <= 0:
        return None
    try:
        return stream.tell() if stream.seekable() else None
    except (AttributeError, OSError, ValueError):
        return None


# ijson reads this many bytes at a time; it bounds how far it reads ahead of an item.
_C_BUFFER = 16 * 1024


def _c_read_limit() -> int:
    """Bytes ijson may read between two items before the next one might be oversized.

    Every event takes at least one byte, so an item of more than MAX_ITEM_EVENTS events is
    longer than that many bytes; at most one buffer of it was read before the item before
    it was yielded.
    """
    return MAX_ITEM_EVENTS - _C_BUFFER


class _TooLargeForC(Exception):
    """ijson read so far past the last item that the next one may be oversized."""


# Bytes that say nothing about nesting, deleted before counting brackets.
_NOT_STRUCTURE = bytes(set(range(256)) - set(b'"[]{}'))
# Opening brackets as 2, closing ones as 0.
_OPENED_TWICE = bytes.maketrans(b"[{]}", b"\x02\x02\x00\x00")


class _ReadGuard:
    """Counts what ijson reads since the last item, stopping it past a size or nesting limit.

    ijson's C code keeps the path of every open container, so an item nested 50,000 levels
    costs gigabytes there: reads that would open more than MAX_DEPTH containers send the
    feed to the Python walk, which skips such an item after MAX_DEPTH levels.
    """

    def __init__(self, stream: Any, limit: int) -> None:
        self._stream = stream
        self._limit = limit
        self.unread_since_item = 0
        self._depth = 0
        self._in_string = False
        self._escape_pending = False

    def read(self, size: int = -1) -> bytes:
        data = self._stream.read(size)
        self.unread_since_item += len(data)
        if self.unread_since_item > self._limit:
            raise _TooLargeForC
        self._track_depth(data)
        return data

    def _unescaped(self, data: bytes) -> bytes:
        """`data` without its escape sequences, whose quotes and brackets are only text."""
        pieces = data.split(b"\\")
        # Each piece after the first follows a backslash; `starts` says whether that
        # backslash begins an escape (else it is the escaped one of a pair).
        kept = [pieces[0][1:] if self._escape_pending else pieces[0]]
        # An escape carried from the last read takes a backslash that comes first.
        starts = not (self._escape_pending and not pieces[0])
        for piece in pieces[1:]:
            if starts and not piece:
                starts = False  # an escaped backslash: the next one is a plain character
                continue
            kept.append(piece[1:] if starts else piece)
            starts = True
        # A backslash that begins an escape at the very end escapes the next read's first byte.
        self._escape_pending = len(pieces) > 1 and not pieces[-1] and not starts
        return b"".join(kept)

    def _track_depth(self, data: bytes) -> None:
        if b"\\" in data or self._escape_pending:
            data = self._unescaped(data)
        structure = data.translate(None, _NOT_STRUCTURE)
        if self._in_string:
            structure = b'"' + structure  # so that every string starts with a quote here
        # A string without brackets is now an empty pair of quotes. Pairs line up only while
        # no string holds a bracket; one that does leaves a quote behind, and the slower
        # exact split below is taken.
        outside = structure.replace(b'""', b"")
        self._in_string = outside.endswith(b'"')
        if self._in_string:
            outside = outside[:-1]
        if b'"' in outside:
            parts = structure.split(b'"')
            outside = b"".join(parts[0::2])
            self._in_string = len(parts) % 2 == 0
        opened = outside.count(b"[") + outside.count(b"{")
        if self._depth + opened > MAX_DEPTH:
            # The deepest point: after k brackets of which o opened, the depth is 2o - k.
            twice_opened = accumulate(outside.translate(_OPENED_TWICE))
            if self._depth + max(map(sub, twice_opened, count(1))) > MAX_DEPTH:
                raise _TooLargeForC
        self._depth += 2 * opened - len(outside)


def _built_in_c(stream: BinaryIO, start: int, prefix: str) -> Iterator[Any]:
    stream.seek(start)
    guard = _ReadGuard(_SurrogatesMarked(_Utf8Repaired(stream)), _c_read_limit())
    try:
        for item in ijson.items(guard, prefix, use_float=False, buf_size=_C_BUFFER):
            guard.unread_since_item = 0
            yield item
    except ijson.JSONError as exc:
        raise FeedError(_plain_reason(exc)) from exc


def _walk(
    stream: BinaryIO | _Prefixed,
    *,
    what: str,
    list_key: str | None,
    bare_list: bool,
    single_keys: frozenset[str],
    stop_at_list: bool = False,
    skip_items: int = 0,
) -> Iterator[Any]:
    """feed_items over Python-level events; with stop_at_list, a _ListStart ends the walk."""
    stream_events = _events(stream)
    event, _ = next(stream_events)
    if event == "start_array" and bare_list:
        if stop_at_list:
            yield _ListStart("item", {})
            return
        for item in _list_items(stream_events, skip_items):
            yield item, {}
    elif event == "start_map":
        fields: dict[str, Any] = {}
        found_list = False
        for key, member_event, member_value in object_members(stream_events):
            if key == list_key and member_event == "start_array":
                before = dict(fields)
                if stop_at_list and not found_list:
                    yield _ListStart(f"{list_key}.item", before)
                    return
                found_list = True
                for item in _list_items(stream_events, skip_items):
                    yield item, before
                skip_items = 0
            else:
                fields[key] = build(member_event, member_value, stream_events, depth=1)
        if not found_list:
            if not single_keys.intersection(fields):
                expected = f"a {list_key!r} list" if list_key else "a list"
                raise FeedError(f"The feed is a JSON object without {expected}; expected {what}.")
            yield unbuilt_member(fields) or fields, {}
    else:
        raise FeedError(f"The feed is {describe(event)}; expected {what}.")
    for _ in stream_events:
        # Reading to the end makes ijson report text after the document.
        pass


def _list_items(stream_events: Iterator[Event], skip_items: int) -> Iterator[Any]:
    """array_items, passing over the first skip_items elements without building them."""
    for event, value in stream_events:
        if event == "end_array":
            return
        if skip_items:
            skip_items -= 1
            skip(event, stream_events)
            continue
        yield build(event, value, stream_events)

"""Property-based fuzzing of the Hacker News parser with damaged comments of its fixture.

Whatever one top-level comment holds (wrong types, huge strings, bytes that are not UTF-8,
surrogate escapes, deep nesting, hostile text), it costs at most that comment: the other
comments' roles come out exactly as before, and whatever normalise accepts is storable.
"""

from __future__ import annotations

import io
import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from opportunities.ingest.normalise.role import NormaliseError, normalise
from opportunities.ingest.parsers import hn
from opportunities.ingest.parsers.records import ItemError, RawRole
from opportunities.text import text_clean
from tests import paths
from tests.ingest.test_hostile_fuzz import (
    EXAMPLES,
    NASTY_TEXT,
    NOW,
    RAW,
    RAW_VALUES,
    SKILLS,
    VALUES,
    assert_storable,
)

DOCUMENT = json.loads((paths.FIXTURES / "hn" / "algolia_thread.json").read_bytes())
FIELDS = [
    *("Acme", "ML Engineer", "Remote (US)", "$150k", "https://a.example/jobs", ""),
    *("x" * 5_000, "jobs [at] a [dot] io", "Roles: A, B Engineer", "(((", "<a href="),
]
COMMENT_VALUES = st.one_of(
    VALUES,
    # First lines in the shape the parser reads, with hostile text among the fields.
    st.builds(
        lambda fields, nasty: " | ".join(fields).replace("|", f"{nasty}|", 1),
        st.lists(
            st.sampled_from(FIELDS),
            min_size=1,
            max_size=6,
        ),
        NASTY_TEXT,
    ),
)


def read(document: dict[str, Any], raw: bytes | None = None) -> list[RawRole | ItemError]:
    data = json.dumps(document).encode()
    for n, value in enumerate(RAW_VALUES):
        data = data.replace(json.dumps(RAW.format(n)).encode(), value)
    return list(hn.parse(io.BytesIO(data)))


@st.composite
def damaged_threads(draw) -> tuple[int, dict[str, Any]]:
    """(index of the damaged comment, the thread with it damaged)."""
    document = json.loads(json.dumps(DOCUMENT))
    index = draw(st.integers(0, len(document["children"]) - 1))
    comment = document["children"][index]
    for _ in range(draw(st.integers(1, 3))):
        key = draw(st.sampled_from(sorted(comment)))
        if draw(st.booleans()) and len(comment) > 1:
            del comment[key]
        else:
            comment[key] = draw(COMMENT_VALUES)
    return index, document


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(damaged_threads())
def test_a_damaged_comment_costs_at_most_that_comment(thread: tuple[int, dict[str, Any]]) -> None:
    index, document = thread
    before = dict(DOCUMENT, children=DOCUMENT["children"][:index])
    # The comment deleted: what the thread gives without it, positions kept.
    without = dict(DOCUMENT, children=list(DOCUMENT["children"]))
    without["children"][index] = {"id": 0, "author": None, "text": None}
    head = len(read(before))
    expected = read(without)

    result = read(document)

    own = len(result) - len(expected)
    assert 0 <= own <= 20
    assert result[:head] + result[head + own :] == expected
    mine = result[head : head + own]
    assert all(isinstance(item, RawRole) for item in mine) or (
        len(mine) == 1 and mine[0].position == index
    )
    for item in mine:
        if isinstance(item, ItemError):
            assert text_clean(item.reason) == item.reason
            continue
        try:
            normalised = normalise(item, skills=SKILLS, now=NOW)
        except NormaliseError as exc:
            assert str(exc)
            continue
        assert_storable(normalised)

"""Tests for opportunities/ingest/__init__.py: the parser registry and dispatch."""

from __future__ import annotations

import io

import pytest

from opportunities.ingest.parsers import PARSERS, parse
from opportunities.ingest.parsers.records import RawRole


def test_every_kind_is_registered() -> None:
    assert set(PARSERS) == {
        "greenhouse",
        "lever",
        "ashby",
        "rss",
        "jsonld",
        "remotive",
        "remoteok",
        "csv",
        "hn",
    }


def test_parse_dispatches_on_kind() -> None:
    [role] = parse("csv", io.BytesIO(b"external_id,title\nx1,Agent Engineer\n"))

    assert role == RawRole(external_id="x1", title="Agent Engineer")


def test_unknown_kind_fails_at_once() -> None:
    with pytest.raises(ValueError, match="Unknown source kind 'workday'"):
        parse("workday", io.BytesIO(b""))

"""Source parsers: bytes in, RawRole or ItemError records out, chosen by the source's kind."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import BinaryIO

from opportunities.ingest import (
    ashby,
    csvfile,
    greenhouse,
    jsonld,
    lever,
    remoteok,
    remotive,
    rss,
)
from opportunities.ingest.records import ItemError, RawRole

Parser = Callable[..., Iterator[RawRole | ItemError]]

PARSERS: dict[str, Parser] = {
    "greenhouse": greenhouse.parse,
    "lever": lever.parse,
    "ashby": ashby.parse,
    "rss": rss.parse,
    "jsonld": jsonld.parse,
    "remotive": remotive.parse,
    "remoteok": remoteok.parse,
    "csv": csvfile.parse,
}


def parse(
    kind: str, stream: BinaryIO, *, base_url: str | None = None
) -> Iterator[RawRole | ItemError]:
    """Parse a source document of the given kind; an unknown kind raises ValueError at once."""
    try:
        parser = PARSERS[kind]
    except KeyError:
        known = ", ".join(sorted(PARSERS))
        raise ValueError(f"Unknown source kind {kind!r}; expected one of: {known}.") from None
    return parser(stream, base_url=base_url)

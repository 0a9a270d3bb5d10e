"""Source parsers: bytes in, RawRole or ItemError records out, chosen by the source's kind."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import BinaryIO

from opportunities.ingest.parsers import (
    ashby,
    csvfile,
    greenhouse,
    hn,
    jsonld,
    lever,
    remoteok,
    remotive,
    rss,
)
from opportunities.ingest.parsers.records import ItemError, PendingRole, RawRole

Parser = Callable[..., Iterator[RawRole | ItemError]]
PendingParser = Callable[..., Iterator[PendingRole | RawRole | ItemError]]

PARSERS: dict[str, Parser] = {
    "greenhouse": greenhouse.parse,
    "lever": lever.parse,
    "ashby": ashby.parse,
    "rss": rss.parse,
    "jsonld": jsonld.parse,
    "remotive": remotive.parse,
    "remoteok": remoteok.parse,
    "csv": csvfile.parse,
    "hn": hn.parse,
}
# Formats whose items can be identified and hashed before their RawRole is built. Not "hn":
# one comment may become several roles, known only once its first line is read.
PENDING_PARSERS: dict[str, PendingParser] = {
    "greenhouse": greenhouse.parse_pending,
    "lever": lever.parse_pending,
    "ashby": ashby.parse_pending,
    "remotive": remotive.parse_pending,
    "remoteok": remoteok.parse_pending,
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


def parse_pending(
    kind: str, stream: BinaryIO, *, base_url: str | None = None
) -> Iterator[PendingRole | RawRole | ItemError]:
    """parse, where the format allows leaving each RawRole to be built when asked for."""
    parser = PENDING_PARSERS.get(kind)
    if parser is None:
        return parse(kind, stream, base_url=base_url)
    return parser(stream, base_url=base_url)

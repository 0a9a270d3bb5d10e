"""RSS 2.0 and Atom job feeds, We Work Remotely's extensions included, read with feedparser."""

from __future__ import annotations

import calendar
import codecs
import io
import re
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from functools import partial
from typing import Any, BinaryIO

import feedparser
from feedparser.encodings import convert_to_utf8

from opportunities.ingest.parsers.common import (
    BadItem,
    as_html,
    as_list,
    clean_str,
    clean_url,
    convert,
    parse_datetime,
    read_capped,
    unique,
)
from opportunities.ingest.parsers.records import FeedError, ItemError, RawRole

# Entity declarations, and a DOCTYPE with an internal subset (where declarations live).
_DECLARATION = re.compile(r"<!\s*ENTITY|<!\s*DOCTYPE[^>\[]*\[", re.I)
# The root's closing tag, matched against the text from the last "</" on, so that no
# pattern ever runs over the untrusted rest of the feed.
_ROOT_END = re.compile(r"</\s*(?:[\w.-]{1,100}:)?(?:rss|feed|RDF)\s*>", re.I)
_LEADING_IMAGE = re.compile(r"\A\s*<img\b[^>]*>\s*", re.I)


def parse(stream: BinaryIO, *, base_url: str | None = None) -> Iterator[RawRole | ItemError]:
    """Yield the roles of an RSS or Atom feed; hostile or truncated XML raises FeedError."""
    data = read_capped(stream)
    text = _text_for_checks(data)
    if any(_DECLARATION.search(candidate) for candidate in (text, *_decodings(data))):
        raise FeedError(
            "The feed declares XML entities or a DTD of its own. Such feeds are refused because "
            "entities can expand to gigabytes (the 'billion laughs' attack)."
        )
    if not text.strip():
        raise FeedError("The feed is empty.")
    parsed = feedparser.parse(io.BytesIO(data), sanitize_html=False, resolve_relative_uris=False)
    if not parsed.get("version") and not parsed.entries:
        raise FeedError("The document is not an RSS or Atom feed.")
    if not _root_closed(text[-65536:]):
        # A cut-off feed would look like a feed whose missing roles were all withdrawn.
        raise FeedError(
            "The feed stops before its closing tag; the download was probably cut short."
        )
    # Relative entry links are resolved against the given URL, else the feed's own link.
    feed_url = clean_url(base_url) or clean_url(parsed.feed.get("link"))
    to_role = partial(
        _role, base_url=feed_url, weworkremotely="weworkremotely.com" in (feed_url or "").lower()
    )
    for position, entry in enumerate(parsed.entries):
        yield convert(position, entry, to_role)


def _decodings(data: bytes) -> tuple[str, str]:
    """The feed as feedparser will decode it, and with every NUL byte taken out.

    feedparser reads UTF-7, EBCDIC and whatever the XML declaration names, so declarations
    are looked for in the text it will parse, not in the raw bytes: "+ADwAIQ-ENTITY" in
    UTF-7 is "<!ENTITY" once decoded. Without its NULs, UTF-16 or UTF-32 markup without a
    byte order mark reads as ASCII.
    """
    decoded = convert_to_utf8({}, data, feedparser.FeedParserDict())
    return decoded.decode("utf-8", "replace"), data.replace(b"\x00", b"").decode("latin-1")


def _root_closed(tail: str) -> bool:
    """Whether the feed ends with its root's closing tag, then only space, comments and PIs."""
    tail = tail.rstrip("\x00")
    while True:
        tail = tail.rstrip()
        # str methods instead of one pattern: "(?:\s|<!--.*?-->)*" backtracks exponentially
        # on a run of "<!---->" followed by anything else.
        if tail.endswith("-->"):
            start = tail.rfind("<!--")
        elif tail.endswith("?>"):
            start = tail.rfind("<?")
        else:
            break
        if start < 0:
            return False
        tail = tail[:start]
    start = tail.rfind("</")
    return start >= 0 and _ROOT_END.fullmatch(tail, start) is not None


def _text_for_checks(data: bytes) -> str:
    """Decode enough to search for markup whatever the declared encoding."""
    for bom, codec in (
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            return data.decode(codec, "replace")
    if data.startswith(b"<\x00"):
        return data.decode("utf-16-le", "replace")
    if data.startswith(b"\x00<"):
        return data.decode("utf-16-be", "replace")
    # Every ASCII-compatible encoding keeps markup bytes as they are.
    return data.decode("latin-1")


def _role(entry: dict[str, Any], base_url: str | None, weworkremotely: bool) -> RawRole:
    link = clean_url(entry.get("link"), base_url)
    external_id = clean_str(entry.get("id")) or clean_str(entry.get("link"))
    if external_id is None:
        raise BadItem("missing guid and link")
    title = clean_str(entry.get("title"))
    if title is None:
        raise BadItem("missing title", external_id)
    region = clean_str(entry.get("region"))
    company = None
    # We Work Remotely titles read "Company: Job Title".
    if (weworkremotely or region is not None) and ": " in title:
        company, _, rest = title.partition(": ")
        company, title = company.strip() or None, rest.strip() or title
    if company is None:
        author = entry.get("author_detail")
        company = clean_str(author.get("name")) if isinstance(author, dict) else None
    description = _description(entry)
    if weworkremotely or region is not None:
        description = _LEADING_IMAGE.sub("", description, count=1)
    locations = unique([region, clean_str(entry.get("location"))])
    countries = []
    if region and region.lower().endswith(" only"):
        countries = [region[: -len(" only")].strip()]
    return RawRole(
        external_id=external_id,
        title=title,
        company=company,
        url=link,
        apply_url=link,
        description_html=description,
        locations=locations,
        workplace="remote" if weworkremotely or region is not None else None,
        applicant_countries=countries,
        employment_type=clean_str(entry.get("type")),
        tags=unique(
            clean_str(tag.get("term"))
            for tag in as_list(entry.get("tags"))
            if isinstance(tag, dict)
        ),
        posted_at=_entry_date(entry, "published") or _entry_date(entry, "updated"),
        expires_at=parse_datetime(entry.get("expires_at")),
    )


def _description(entry: dict[str, Any]) -> str:
    for content in as_list(entry.get("content")):
        if isinstance(content, dict) and clean_str(content.get("value")):
            return as_html(content["value"])
    return as_html(entry.get("summary"))


def _entry_date(entry: dict[str, Any], name: str) -> datetime | None:
    parsed = entry.get(f"{name}_parsed")
    if isinstance(parsed, time.struct_time):
        # feedparser hands back the moment in UTC as a struct_time.
        return datetime.fromtimestamp(calendar.timegm(parsed), tz=UTC)
    return parse_datetime(entry.get(name))

"""schema.org JobPosting JSON-LD found in HTML pages, bare JSON-LD documents or text."""

from __future__ import annotations

import codecs
import html
import json
import re
from collections.abc import Iterator
from decimal import Decimal
from functools import partial
from html.parser import HTMLParser
from typing import Any, BinaryIO

from opportunities.ingest.parsers.common import (
    BadItem,
    as_html,
    as_list,
    clean_str,
    clean_url,
    convert,
    normalise_currency,
    normalise_period,
    parse_datetime,
    read_capped,
    split_list,
    stable_id,
    to_decimal,
    unique,
)
from opportunities.ingest.parsers.records import FeedError, ItemError, RawRole, RawSalary

# Bounds on walking one page's JSON-LD, which may nest deeply or list a great many nodes.
_MAX_DEPTH = 64
_MAX_NODES = 200_000
_CHARSET = re.compile(rb"""<meta[^<>]+charset\s*=\s*["']?([A-Za-z0-9_-]+)""", re.I)
_WRAPPERS = re.compile(r"^\s*(?://\s*)?(?:<!--|<!\[CDATA\[)|(?://\s*)?(?:-->|\]\]>)\s*$")


class _ScriptCollector(HTMLParser):
    """Collects the text of every ``<script type="application/ld+json">`` element."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self._parts: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag != "script":
            return
        kind = (dict(attrs).get("type") or "").split(";")[0].strip().lower()
        self._parts = [] if kind == "application/ld+json" else None

    def handle_data(self, data: str) -> None:
        if self._parts is not None:
            self._parts.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._parts is not None:
            self.blocks.append("".join(self._parts))
            self._parts = None


def parse(stream: BinaryIO, *, base_url: str | None = None) -> Iterator[RawRole | ItemError]:
    """Yield a role per JobPosting in the page's JSON-LD; url falls back to base_url (the page)."""
    text = _decode(read_capped(stream))
    stripped = text.lstrip()
    if stripped.startswith(("{", "[")):
        blocks = [stripped]
    else:
        collector = _ScriptCollector()
        try:
            collector.feed(text)
            collector.close()
        except AssertionError as exc:
            # Python 3.11's html.parser asserts on some broken markup ("<![x"): the page, not
            # the run, is at fault.
            raise FeedError("The page's HTML is too broken to read.") from exc
        blocks = collector.blocks
    if not blocks:
        raise FeedError('The page has no JSON-LD (<script type="application/ld+json">) at all.')
    to_role = partial(_role, base_url=base_url)
    position = 0
    for number, block in enumerate(blocks, start=1):
        try:
            document = json.loads(_WRAPPERS.sub("", block), strict=False, parse_float=Decimal)
        except ValueError:
            yield ItemError(position, f"JSON-LD block {number} is not valid JSON")
            position += 1
            continue
        except RecursionError:
            yield ItemError(position, f"JSON-LD block {number} is nested too deeply to read")
            position += 1
            continue
        for posting in _job_postings(document):
            yield convert(position, posting, to_role)
            position += 1


def _decode(data: bytes) -> str:
    """Decode a page as UTF-8, else by its meta charset, else as Windows-1252."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    match = _CHARSET.search(data[:4096])
    if match:
        try:
            return data.decode(codecs.lookup(match.group(1).decode("ascii")).name, "replace")
        except LookupError:
            pass
    # JSON-LD is mostly ASCII; an unknown legacy page is most often Windows-1252.
    return data.decode("cp1252", "replace")


def _is_job_posting(node: dict[str, Any]) -> bool:
    return any(
        isinstance(kind, str) and re.split(r"[/:#]", kind)[-1] == "JobPosting"
        for kind in as_list(node.get("@type"))
    )


def _job_postings(document: Any) -> Iterator[dict[str, Any]]:
    """Walk @graph, lists and nested nodes in document order, yielding JobPosting nodes."""
    stack: list[tuple[Any, int]] = [(document, 0)]
    visited = 0
    while stack and visited < _MAX_NODES:
        node, depth = stack.pop()
        visited += 1
        if depth > _MAX_DEPTH:
            continue
        if isinstance(node, list):
            stack.extend((child, depth + 1) for child in reversed(node))
        elif isinstance(node, dict):
            if _is_job_posting(node):
                yield node
                continue
            stack.extend(
                (child, depth + 1)
                for child in reversed(list(node.values()))
                if isinstance(child, dict | list)
            )


def _role(posting: dict[str, Any], base_url: str | None) -> RawRole:
    own_url = clean_url(posting.get("url"), base_url)
    title = clean_str(posting.get("title")) or clean_str(posting.get("name"))
    company = _name(posting.get("hiringOrganization"))
    external_id = _identifier(posting.get("identifier")) or own_url
    if title is None:
        raise BadItem("missing title", external_id)
    url = own_url or clean_url(base_url)
    return RawRole(
        external_id=external_id or stable_id(title, company),
        title=title,
        company=company,
        url=url,
        apply_url=url if posting.get("directApply") is True else None,
        description_html=_description(posting.get("description")),
        requirements_html="\n".join(
            as_html(posting.get(key))
            for key in ("qualifications", "experienceRequirements", "educationRequirements")
            if isinstance(posting.get(key), str) and posting.get(key).strip()
        ),
        locations=unique(_place(place) for place in as_list(posting.get("jobLocation"))),
        workplace="remote" if _telecommute(posting.get("jobLocationType")) else None,
        applicant_countries=unique(
            _name(area) for area in as_list(posting.get("applicantLocationRequirements"))
        ),
        employment_type=", ".join(
            unique(clean_str(kind) for kind in as_list(posting.get("employmentType")))
        )
        or None,
        tags=_skills(posting.get("skills")),
        salary=_salary(posting.get("baseSalary")) or _salary(posting.get("estimatedSalary")),
        posted_at=parse_datetime(posting.get("datePosted")),
        expires_at=parse_datetime(posting.get("validThrough"), end_of_day=True),
    )


def _name(value: Any) -> str | None:
    """Name of an Organization/Country/Place given as an object, a string, or a list of them."""
    for item in as_list(value):
        if isinstance(item, dict):
            name = clean_str(item.get("name"))
        else:
            name = clean_str(item) if isinstance(item, str) else None
        if name:
            return name
    return None


def _identifier(value: Any) -> str | None:
    for item in as_list(value):
        if isinstance(item, dict):
            item = item.get("value")
        if isinstance(item, str | int) and not isinstance(item, bool) and str(item).strip():
            return str(item).strip()
    return None


def _description(value: Any) -> str:
    text = clean_str(value) if isinstance(value, str) else None
    if text is None:
        return ""
    # Some sites put entity-escaped HTML in JSON-LD; unescape it once, as a browser would show.
    if "<" not in text and "&lt;" in text:
        text = html.unescape(text)
    return as_html(text)


def _place(place: Any) -> str | None:
    if isinstance(place, str):
        return clean_str(place)
    if not isinstance(place, dict):
        return None
    address = place.get("address")
    if isinstance(address, str):
        return clean_str(address)
    if isinstance(address, dict):
        parts = unique(
            [
                clean_str(address.get("addressLocality")),
                clean_str(address.get("addressRegion")),
                _name(address.get("addressCountry")),
            ]
        )
        if parts:
            return ", ".join(parts)
    return clean_str(place.get("name"))


def _telecommute(value: Any) -> bool:
    return any(isinstance(kind, str) and kind.upper() == "TELECOMMUTE" for kind in as_list(value))


def _skills(value: Any) -> list[str]:
    if isinstance(value, str):
        return split_list(value, ",")
    return unique(_name(item) for item in as_list(value))


def _salary(value: Any) -> RawSalary | None:
    amount = next((item for item in as_list(value) if isinstance(item, dict)), None)
    if amount is None:
        return None
    # The figures sit in a QuantitativeValue under "value", or on the MonetaryAmount itself.
    quantity = amount.get("value")
    if isinstance(quantity, dict):
        single = to_decimal(quantity.get("value"))
    else:
        single, quantity = to_decimal(quantity), amount
    minimum = to_decimal(quantity.get("minValue"))
    maximum = to_decimal(quantity.get("maxValue"))
    if minimum is None and maximum is None:
        minimum = maximum = single
    if minimum is None and maximum is None:
        return None
    return RawSalary(
        minimum=minimum,
        maximum=maximum,
        currency=normalise_currency(amount.get("currency")),
        period=normalise_period(quantity.get("unitText") or amount.get("unitText")),
    )

"""Greenhouse Job Board API: a board list, one job, or a scraper's envelope around a list."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from functools import partial
from typing import Any, BinaryIO

from opportunities.ingest.parsers.common import (
    as_list,
    clean_str,
    clean_url,
    company_from_board_token,
    convert,
    defer,
    normalise_currency,
    normalise_workplace,
    parse_datetime,
    required_id,
    required_title,
    split_list,
    to_decimal,
    unescape_html,
    unique,
)
from opportunities.ingest.parsers.job_pages import GREENHOUSE, board_token, job_url
from opportunities.ingest.parsers.jsonstream import feed_items
from opportunities.ingest.parsers.records import ItemError, PendingRole, RawRole, RawSalary

_BOARD_TOKEN = re.compile(r"/boards/([A-Za-z0-9_.-]+)")


def parse(stream: BinaryIO, *, base_url: str | None = None) -> Iterator[RawRole | ItemError]:
    """Yield the roles of a Greenhouse board (``{"jobs": [...]}``, a bare job, or an envelope)."""
    return _records(stream, base_url, convert)


def parse_pending(
    stream: BinaryIO, *, base_url: str | None = None
) -> Iterator[PendingRole | RawRole | ItemError]:
    """parse, each role built only when asked for (see PendingRole)."""
    return _records(stream, base_url, defer)


def _records(stream: BinaryIO, base_url: str | None, make: Callable[..., Any]) -> Iterator[Any]:
    match = _BOARD_TOKEN.search(base_url or "")
    board = match.group(1) if match else None
    items = feed_items(
        stream,
        what="a Greenhouse job board list or job",
        list_key="jobs",
        single_keys=frozenset({"title", "absolute_url", "content", "internal_job_id"}),
    )
    for position, (item, envelope) in enumerate(items):
        # A scraper's envelope may name the company once for all its jobs; its "company" is a
        # slug ("gitlab"), not a name, so only "company_name" is trusted.
        fallback_company = clean_str(envelope.get("company_name"))
        yield make(position, item, partial(_role, board=board, fallback_company=fallback_company))


def _role(job: dict[str, Any], board: str | None, fallback_company: str | None) -> RawRole:
    external_id = required_id(job, "id")
    title = required_title(job, "title", external_id)
    url = clean_url(job.get("absolute_url"))
    if url is None and board:
        url = job_url(GREENHOUSE, board, external_id)
    content = job.get("content")
    location = job.get("location")
    location_name = location.get("name") if isinstance(location, dict) else location
    locations = split_list(location_name, ";")
    if not locations:
        locations = unique(
            clean_str(office.get("location")) or clean_str(office.get("name"))
            for office in as_list(job.get("offices"))
            if isinstance(office, dict)
        )
    departments = [
        clean_str(department.get("name"))
        for department in as_list(job.get("departments"))
        if isinstance(department, dict)
    ]
    role = RawRole(
        external_id=external_id,
        title=title,
        company=clean_str(job.get("company_name"))
        or fallback_company
        or company_from_board_token(board_token(url) or board),
        url=url,
        apply_url=url,
        # The board API escapes the posting's HTML once more; undo exactly that layer.
        description_html=unescape_html(content) if isinstance(content, str) else "",
        locations=locations,
        workplace=_workplace_from_locations(locations),
        department=next((name for name in departments if name), None),
        posted_at=parse_datetime(job.get("first_published"))
        or parse_datetime(job.get("updated_at")),
        expires_at=parse_datetime(job.get("application_deadline"), end_of_day=True),
    )
    _apply_metadata(role, job.get("metadata"))
    return role


def _workplace_from_locations(locations: list[str]) -> str | None:
    lowered = [location.lower() for location in locations]
    if any(re.search(r"\bhybrid\b", location) for location in lowered):
        return "hybrid"
    if lowered and all(re.search(r"\bremote\b", location) for location in lowered):
        return "remote"
    return None


def _apply_metadata(role: RawRole, metadata: Any) -> None:
    """Read the custom fields boards commonly use for employment type, level, workplace, pay."""
    for field in as_list(metadata):
        if not isinstance(field, dict):
            continue
        name = (clean_str(field.get("name")) or "").lower()
        value = field.get("value")
        if isinstance(value, list):
            value = ", ".join(str(part) for part in value if isinstance(part, str | int))
        if isinstance(value, dict) and field.get("value_type") in {"currency", "currency_range"}:
            role.salary = role.salary or _metadata_salary(value)
        elif re.search(r"employment|job type|commitment", name):
            role.employment_type = role.employment_type or clean_str(value)
        elif re.search(r"seniority|level", name):
            role.seniority = role.seniority or clean_str(value)
        elif re.search(r"workplace|location type|work model|work arrangement|remote", name):
            role.workplace = normalise_workplace(value) or role.workplace


def _metadata_salary(value: dict[str, Any]) -> RawSalary | None:
    minimum = to_decimal(value.get("min_value", value.get("amount")))
    maximum = to_decimal(value.get("max_value", value.get("amount")))
    if minimum is None and maximum is None:
        return None
    return RawSalary(
        minimum=minimum, maximum=maximum, currency=normalise_currency(value.get("unit"))
    )

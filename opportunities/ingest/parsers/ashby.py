"""Ashby public job board API (``{"jobs": [...]}``, with or without compensation)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from functools import partial
from typing import Any, BinaryIO

from opportunities.ingest.parsers.common import (
    as_html,
    as_list,
    clean_str,
    clean_url,
    company_from_board_token,
    convert,
    defer,
    normalise_currency,
    normalise_period,
    normalise_workplace,
    parse_datetime,
    plain_text_to_html,
    required_id,
    required_title,
    to_decimal,
    unique,
)
from opportunities.ingest.parsers.job_pages import ASHBY, board_token, job_url
from opportunities.ingest.parsers.jsonstream import feed_items
from opportunities.ingest.parsers.records import ItemError, PendingRole, RawRole, RawSalary

# The organisation in the board API's address (sources.BOARD_API_URLS).
_API_BOARD = re.compile(r"/job-board/([A-Za-z0-9_.%-]+)")


def parse(stream: BinaryIO, *, base_url: str | None = None) -> Iterator[RawRole | ItemError]:
    """Yield the listed roles of an Ashby job board; unlisted postings are left out."""
    return _records(stream, base_url, convert)


def parse_pending(
    stream: BinaryIO, *, base_url: str | None = None
) -> Iterator[PendingRole | RawRole | ItemError]:
    """parse, each role built only when asked for (see PendingRole)."""
    return _records(stream, base_url, defer)


def _records(stream: BinaryIO, base_url: str | None, make: Callable[..., Any]) -> Iterator[Any]:
    match = _API_BOARD.search(base_url or "")
    to_role = partial(_role, board=match.group(1) if match else board_token(base_url))
    items = feed_items(stream, what="an Ashby job board ({'jobs': [...]})", list_key="jobs")
    for position, (item, _) in enumerate(items):
        # The board hides unlisted postings from the public; so do we.
        if isinstance(item, dict) and item.get("isListed") is False:
            continue
        yield make(position, item, to_role)


def _role(job: dict[str, Any], board: str | None) -> RawRole:
    external_id = required_id(job, "id")
    title = required_title(job, "title", external_id)
    url = clean_url(job.get("jobUrl"))
    apply_url = clean_url(job.get("applyUrl"))
    if url is None and board:
        url = job_url(ASHBY, board, external_id)
        apply_url = apply_url or f"{url}/application"
    workplace = normalise_workplace(job.get("workplaceType"))
    if workplace is None and job.get("isRemote") is True:
        workplace = "remote"
    return RawRole(
        external_id=external_id,
        title=title,
        company=clean_str(job.get("organizationName"))
        or company_from_board_token(board_token(url) or board),
        url=url,
        apply_url=apply_url,
        description_html=as_html(job.get("descriptionHtml"))
        or plain_text_to_html(clean_str(job.get("descriptionPlain")) or ""),
        locations=unique(
            [clean_str(job.get("location"))]
            + [
                clean_str(place.get("location"))
                for place in as_list(job.get("secondaryLocations"))
                if isinstance(place, dict)
            ]
        ),
        workplace=workplace,
        employment_type=clean_str(job.get("employmentType")),
        department=clean_str(job.get("department")) or clean_str(job.get("team")),
        salary=_salary(job.get("compensation")),
        posted_at=parse_datetime(job.get("publishedAt")),
    )


def _salary(compensation: Any) -> RawSalary | None:
    """Take the salary component of the compensation summary; equity and bonus are ignored."""
    if not isinstance(compensation, dict):
        return None
    components = as_list(compensation.get("summaryComponents"))
    for tier in as_list(compensation.get("compensationTiers")):
        if isinstance(tier, dict):
            components = components + as_list(tier.get("components"))
    for component in components:
        if not isinstance(component, dict) or component.get("compensationType") != "Salary":
            continue
        minimum = to_decimal(component.get("minValue"))
        maximum = to_decimal(component.get("maxValue"))
        if minimum is None and maximum is None:
            continue
        return RawSalary(
            minimum=minimum,
            maximum=maximum,
            currency=normalise_currency(component.get("currencyCode")),
            period=normalise_period(component.get("interval")),
        )
    return None

"""Remotive public API (``/api/remote-jobs``): ``{"jobs": [...]}`` beside notice keys."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, BinaryIO

from opportunities.ingest.parsers.common import (
    as_html,
    as_list,
    clean_str,
    clean_url,
    convert,
    defer,
    parse_datetime,
    required_id,
    required_title,
    split_list,
    unique,
)
from opportunities.ingest.parsers.jsonstream import feed_items
from opportunities.ingest.parsers.records import ItemError, PendingRole, RawRole, RawSalary

_WORLDWIDE = frozenset({"worldwide", "anywhere", "anywhere in the world", "global"})


def parse(stream: BinaryIO, *, base_url: str | None = None) -> Iterator[RawRole | ItemError]:
    """Yield Remotive's roles; the "00-warning" and "0-legal-notice" keys are not roles."""
    return _records(stream, convert)


def parse_pending(
    stream: BinaryIO, *, base_url: str | None = None
) -> Iterator[PendingRole | RawRole | ItemError]:
    """parse, each role built only when asked for (see PendingRole)."""
    return _records(stream, defer)


def _records(stream: BinaryIO, make: Callable[..., Any]) -> Iterator[Any]:
    items = feed_items(
        stream, what="a Remotive jobs response ({'jobs': [...]})", list_key="jobs", bare_list=False
    )
    for position, (item, _) in enumerate(items):
        yield make(position, item, _role)


def _role(job: dict[str, Any]) -> RawRole:
    external_id = required_id(job, "id")
    title = required_title(job, "title", external_id)
    required_location = clean_str(job.get("candidate_required_location"))
    countries = split_list(required_location, ",")
    if any(country.lower() in _WORLDWIDE for country in countries):
        countries = []
    salary_text = clean_str(job.get("salary"))
    return RawRole(
        external_id=external_id,
        title=title,
        company=clean_str(job.get("company_name")),
        url=clean_url(job.get("url")),
        apply_url=clean_url(job.get("url")),
        description_html=as_html(job.get("description")),
        locations=[required_location] if required_location else [],
        # Remotive lists remote roles only.
        workplace="remote",
        applicant_countries=countries,
        employment_type=clean_str(job.get("job_type")),
        tags=unique(
            [clean_str(job.get("category"))]
            + [clean_str(tag) for tag in as_list(job.get("tags")) if isinstance(tag, str)]
        ),
        salary=RawSalary(text=salary_text) if salary_text else None,
        # Remotive's dates carry no zone; they are UTC.
        posted_at=parse_datetime(job.get("publication_date")),
    )

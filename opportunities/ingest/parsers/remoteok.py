"""RemoteOK public API (``/api``): a list whose first element is a legal notice, not a job."""

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
    from_epoch,
    parse_datetime,
    repair_mojibake,
    required_id,
    required_title,
    to_decimal,
    unique,
)
from opportunities.ingest.parsers.jsonstream import feed_items
from opportunities.ingest.parsers.records import ItemError, PendingRole, RawRole, RawSalary

# Below this a figure is an hourly rate or in thousands, not the yearly USD RemoteOK means.
_MIN_YEARLY = 1000


def parse(stream: BinaryIO, *, base_url: str | None = None) -> Iterator[RawRole | ItemError]:
    """Yield RemoteOK's roles, skipping the legal notice and repairing double-encoded text."""
    return _records(stream, convert)


def parse_pending(
    stream: BinaryIO, *, base_url: str | None = None
) -> Iterator[PendingRole | RawRole | ItemError]:
    """parse, each role built only when asked for (see PendingRole)."""
    return _records(stream, defer)


def _records(stream: BinaryIO, make: Callable[..., Any]) -> Iterator[Any]:
    items = feed_items(stream, what="a RemoteOK API list", bare_list=True)
    for position, (item, _) in enumerate(items):
        if isinstance(item, dict) and "id" not in item and "position" not in item:
            # The notice ({"legal": ..., "last_updated": ...}) that leads the list.
            continue
        yield make(position, item, _role)


def _text(value: Any) -> str | None:
    text = clean_str(value) if isinstance(value, str) else None
    return repair_mojibake(text) if text else None


def _role(job: dict[str, Any]) -> RawRole:
    external_id = required_id(job, "id")
    title = required_title(job, "position", external_id)
    location = _text(job.get("location"))
    description = job.get("description")
    return RawRole(
        external_id=external_id,
        title=repair_mojibake(title),
        company=_text(job.get("company")),
        url=clean_url(job.get("url")),
        apply_url=clean_url(job.get("apply_url")) or clean_url(job.get("url")),
        description_html=as_html(repair_mojibake(description))
        if isinstance(description, str)
        else "",
        locations=[location] if location else [],
        # RemoteOK lists remote roles only.
        workplace="remote",
        tags=unique(_text(tag) for tag in as_list(job.get("tags"))),
        salary=_salary(job.get("salary_min"), job.get("salary_max")),
        posted_at=from_epoch(job.get("epoch")) or parse_datetime(job.get("date")),
    )


def _salary(low: Any, high: Any) -> RawSalary | None:
    # RemoteOK writes 0 for "not given".
    minimum = to_decimal(low) or None
    maximum = to_decimal(high) or None
    if minimum is None and maximum is None:
        return None
    yearly = all(figure >= _MIN_YEARLY for figure in (minimum, maximum) if figure is not None)
    return RawSalary(
        minimum=minimum, maximum=maximum, currency="USD", period="year" if yearly else None
    )

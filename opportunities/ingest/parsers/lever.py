"""Lever Postings API: a list, one posting, or the ``group=`` shape ``[{title, postings}]``."""

from __future__ import annotations

import html
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
    from_epoch,
    normalise_currency,
    normalise_period,
    normalise_workplace,
    plain_text_to_html,
    required_id,
    required_title,
    to_decimal,
    unique,
)
from opportunities.ingest.parsers.job_pages import LEVER, board_token, job_url
from opportunities.ingest.parsers.jsonstream import (
    array_items,
    build,
    describe,
    events,
    object_members,
    unbuilt_member,
)
from opportunities.ingest.parsers.records import (
    FeedError,
    ItemError,
    PendingRole,
    RawRole,
    RawSalary,
)

_SITE = re.compile(r"(?:/postings/|jobs\.lever\.co/)([A-Za-z0-9_.-]+)")
# Checked before _REQUIREMENTS: "Preferred qualifications" is a nice-to-have, not a must.
_NICE_TO_HAVE = re.compile(
    r"nice[\s-]+to[\s-]+have|bonus|preferred|desired|a plus|extra credit", re.I
)
_REQUIREMENTS = re.compile(
    r"requir|qualifi|what you('|\u2019)?ll need|what you need|must[\s-]+have|skills|experience"
    r"|you have|you bring|who you are|about you|looking for",
    re.I,
)


def parse(stream: BinaryIO, *, base_url: str | None = None) -> Iterator[RawRole | ItemError]:
    """Yield the roles of a Lever postings response in any of its three shapes."""
    return _records(stream, base_url, convert)


def parse_pending(
    stream: BinaryIO, *, base_url: str | None = None
) -> Iterator[PendingRole | RawRole | ItemError]:
    """parse, each role built only when asked for (see PendingRole)."""
    return _records(stream, base_url, defer)


def _records(stream: BinaryIO, base_url: str | None, make: Callable[..., Any]) -> Iterator[Any]:
    match = _SITE.search(base_url or "")
    to_role = partial(_role, site=match.group(1) if match else None)
    stream_events = events(stream)
    event, value = next(stream_events)
    if event == "start_map":
        yield make(0, build(event, value, stream_events), to_role)
    elif event == "start_array":
        yield from _list(stream_events, to_role, make)
    else:
        raise FeedError(f"The feed is {describe(event)}; expected a Lever postings list.")
    for _ in stream_events:
        # Reading to the end makes ijson report text after the document.
        pass


def _list(stream_events: Iterator[Any], to_role: Any, make: Callable[..., Any]) -> Iterator[Any]:
    position = 0
    for event, value in stream_events:
        if event == "end_array":
            return
        if event != "start_map":
            yield make(position, build(event, value, stream_events), to_role)
            position += 1
            continue
        # An element is a posting, or a group whose postings are streamed one by one.
        fields: dict[str, Any] = {}
        grouped = False
        for key, member_event, member_value in object_members(stream_events):
            if key == "postings" and member_event == "start_array":
                grouped = True
                for posting in array_items(stream_events):
                    yield make(position, posting, to_role)
                    position += 1
            else:
                fields[key] = build(member_event, member_value, stream_events, depth=1)
        if not grouped:
            yield make(position, unbuilt_member(fields) or fields, to_role)
            position += 1


def _role(posting: dict[str, Any], site: str | None) -> RawRole:
    external_id = required_id(posting, "id")
    title = required_title(posting, "text", external_id)
    url = clean_url(posting.get("hostedUrl"))
    apply_url = clean_url(posting.get("applyUrl"))
    if url is None and site:
        url = job_url(LEVER, site, external_id)
        apply_url = apply_url or f"{url}/apply"
    categories = posting.get("categories")
    if not isinstance(categories, dict):
        categories = {}
    description, requirements, nice_to_have = _sections(posting)
    return RawRole(
        external_id=external_id,
        title=title,
        # A posting never names its company; its board does (a Source's company wins).
        company=company_from_board_token(board_token(url) or site),
        url=url,
        apply_url=apply_url,
        description_html=description,
        requirements_html=requirements,
        nice_to_have_html=nice_to_have,
        locations=unique(
            [clean_str(categories.get("location"))]
            + [clean_str(place) for place in as_list(categories.get("allLocations"))]
        ),
        workplace=normalise_workplace(posting.get("workplaceType")),
        employment_type=clean_str(categories.get("commitment")),
        department=clean_str(categories.get("department")) or clean_str(categories.get("team")),
        tags=unique(clean_str(tag) for tag in as_list(posting.get("tags"))),
        salary=_salary(posting.get("salaryRange")),
        posted_at=from_epoch(posting.get("createdAt"), milliseconds=True),
    )


def _sections(posting: dict[str, Any]) -> tuple[str, str, str]:
    """Split the posting into description, requirements and nice-to-have HTML."""
    description = [
        as_html(posting.get("description"))
        or plain_text_to_html(clean_str(posting.get("descriptionPlain")) or "")
    ]
    requirements: list[str] = []
    nice_to_have: list[str] = []
    for section in as_list(posting.get("lists")):
        if not isinstance(section, dict):
            continue
        heading = clean_str(section.get("text")) or ""
        content = clean_str(section.get("content"))
        if content is None:
            continue
        bullets = content if re.search(r"<\s*[uo]l\b", content, re.I) else f"<ul>{content}</ul>"
        if _NICE_TO_HAVE.search(heading):
            nice_to_have.append(bullets)
        elif _REQUIREMENTS.search(heading):
            requirements.append(bullets)
        else:
            title = f"<h3>{html.escape(heading, quote=False)}</h3>" if heading else ""
            description.append(title + bullets)
    description.append(
        as_html(posting.get("additional"))
        or plain_text_to_html(clean_str(posting.get("additionalPlain")) or "")
    )
    return (
        "\n".join(part for part in description if part),
        "\n".join(requirements),
        "\n".join(nice_to_have),
    )


def _salary(salary_range: Any) -> RawSalary | None:
    if not isinstance(salary_range, dict):
        return None
    minimum = to_decimal(salary_range.get("min"))
    maximum = to_decimal(salary_range.get("max"))
    if minimum is None and maximum is None:
        return None
    return RawSalary(
        minimum=minimum,
        maximum=maximum,
        currency=normalise_currency(salary_range.get("currency")),
        period=normalise_period(salary_range.get("interval")),
    )

"""Plain records that parsers yield: no Django, no database, no network."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal


@dataclass(slots=True)
class RawSalary:
    """A salary as the source gave it, before normalisation to a yearly figure."""

    minimum: Decimal | None = None
    maximum: Decimal | None = None
    currency: str | None = None  # ISO 4217 when the source says, else None
    period: str | None = None  # "year" | "month" | "week" | "day" | "hour" | None
    text: str | None = None  # free text such as "$150k - $230k" when not structured


@dataclass(slots=True)
class RawRole:
    """One posting as a source describes it, normalised only as far as its format requires."""

    external_id: str
    title: str
    company: str | None = None
    url: str | None = None  # canonical page of the posting on the source
    apply_url: str | None = None
    apply_email: str | None = None
    description_html: str = ""  # unescaped HTML, not yet sanitised
    locations: list[str] = field(default_factory=list)
    workplace: str | None = None  # "remote" | "hybrid" | "onsite" when the source states it
    applicant_countries: list[str] = field(default_factory=list)  # as the source names them
    employment_type: str | None = None  # the source's own words ("Full-time", "FULL_TIME")
    seniority: str | None = None  # the source's own words, if any
    department: str | None = None
    tags: list[str] = field(default_factory=list)
    salary: RawSalary | None = None
    posted_at: datetime | None = None  # timezone-aware, UTC
    expires_at: datetime | None = None  # timezone-aware, UTC
    requirements_html: str = ""  # a separate "requirements" section when the source has one
    nice_to_have_html: str = ""  # a separate "nice to have" section when the source has one


@dataclass(slots=True)
class ItemError:
    """An item the parser could not turn into a RawRole; recorded on the run and skipped."""

    position: int  # 0-based index of the item in the feed
    reason: str
    external_id: str | None = None


@dataclass(slots=True)
class PendingRole:
    """An item read only far enough to be identified; its RawRole is built when asked for.

    ``digest`` stands for everything the RawRole would be built from (the item's values and
    the feed-level context), so an item whose digest is already stored needs no building.
    """

    position: int  # 0-based index of the item in the feed
    external_id: str  # the id the built RawRole has
    digest: bytes
    build: Callable[[], RawRole | ItemError]


class FeedError(Exception):
    """The whole feed is unusable (not the expected format, truncated, hostile)."""

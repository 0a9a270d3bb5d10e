"""The tracker's writes: tracking a role, moving it through the stages, and its details.

Every change of stage goes through ``opportunity_move`` (or the create functions, which write
the first step): it appends to the StageChange history, the truth, and keeps the entry's
denormalised ``stage``, ``stage_changed_at`` and ``applied_at`` in step with it.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import OuterRef, Q, Subquery, Value
from django.db.models.functions import Lower
from django.utils import timezone
from markdown_it import MarkdownIt

from opportunities.access import can_view_role
from opportunities.models import (
    APPLIED_STAGES,
    Contact,
    InterviewRound,
    OpportunitySource,
    Role,
    Stage,
    StageChange,
    TrackedOpportunity,
    TrackerCalendar,
)
from opportunities.text import html_clean, text_clean
from opportunities.tracker.selectors import token_hash

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")
_TAG_SPLIT = re.compile(r"[,\s]+")
_TAG_CHARS = re.compile(r"[^\w+#.-]")
MAX_TAGS = 20

# The fields a user edits on an entry (the others are the service's to set).
DETAIL_FIELDS = (
    "title",
    "company_name",
    "url",
    "location",
    "source",
    "source_name",
    "tags",
    "salary_offered",
    "next_step",
    "next_step_due",
    "cv_sent",
    "cover_letter_sent",
    "notes",
)


class TrackerError(ValueError):
    """A tracker write that cannot be done; the message is fit to show the user."""


@dataclass
class Tracked:
    """The entry a track or add request ended on, and whether it is new."""

    opportunity: TrackedOpportunity
    created: bool


def url_key(url: str) -> str:
    """The duplicate key of an address: host without "www." and path without trailing slash,
    lower-cased; scheme, query and fragment dropped ("" for no address)."""
    url = (url or "").strip()
    if not url:
        return ""
    parts = urlsplit(url if "//" in url else f"//{url}")
    host = (parts.hostname or "").lower().removeprefix("www.")
    path = parts.path.rstrip("/").lower()
    return f"{host}{path}"[:2000]


def tags_normalise(value: str | list[str]) -> str:
    """Tags as stored: lower-case words, each once, between spaces (" llm remote ")."""
    words = value if isinstance(value, list) else _TAG_SPLIT.split(text_clean(value))
    tags: list[str] = []
    for word in words:
        tag = _TAG_CHARS.sub("", word.lower())[:40]
        if tag and tag not in tags:
            tags.append(tag)
    return f" {' '.join(tags[:MAX_TAGS])} " if tags else ""


def markdown_html(text: str) -> str:
    """The notes' Markdown as sanitised HTML (raw HTML in the notes is shown as text)."""
    return html_clean(_markdown.render(text)) if text.strip() else ""


def _clean_fields(fields: dict) -> dict:
    cleaned: dict = {}
    for name, value in fields.items():
        if name == "tags":
            cleaned[name] = tags_normalise(value or "")
        elif name == "next_step_due":
            cleaned[name] = value or None
        elif isinstance(value, str):
            cleaned[name] = text_clean(value).strip()
        else:
            cleaned[name] = value
    if "notes" in cleaned:
        cleaned["notes_html"] = markdown_html(cleaned["notes"])
    if "url" in cleaned:
        cleaned["url_key"] = url_key(cleaned["url"])
    if "description_html" in cleaned:
        cleaned["description_html"] = html_clean(cleaned["description_html"])
    return cleaned


def _same_title(title: str, company_name: str) -> Q:
    return Q(title_lower=Lower(Value(title)), company_lower=Lower(Value(company_name)))


def opportunity_duplicate(
    *, user: AbstractBaseUser, url: str = "", title: str = "", company_name: str = ""
) -> TrackedOpportunity | None:
    """The user's entry with this address, or this company and title, if there is one."""
    key = url_key(url)
    match = Q(pk__in=[])
    if key:
        match |= Q(url_key=key)
    title, company_name = text_clean(title).strip(), text_clean(company_name).strip()
    if title and company_name:
        match |= _same_title(title, company_name)
    return (
        TrackedOpportunity.objects.of_user(user)
        .annotate(title_lower=Lower("title"), company_lower=Lower("company_name"))
        .filter(match)
        .order_by("id")
        .first()
    )


def _first_step(opportunity: TrackedOpportunity, note: str) -> StageChange:
    return StageChange.objects.create(
        opportunity=opportunity,
        stage=opportunity.stage,
        at=opportunity.stage_changed_at,
        note=note,
    )


def opportunity_track_role(
    *, user: AbstractBaseUser, role: Role | int, at: datetime | None = None
) -> Tracked:
    """Track a board role as "saved", or find the user's entry for it (or for the same company
    and title); three queries on the way in."""
    role_id = role if isinstance(role, int) else role.pk
    existing = (
        TrackedOpportunity.objects.of_user(user)
        .annotate(title_lower=Lower("title"), company_lower=Lower("company_name"))
        .filter(
            Q(role_id=OuterRef("pk"))
            | Q(
                title_lower=Lower(OuterRef("title")),
                company_lower=Lower(OuterRef("company__name")),
            )
        )
        .order_by("id")
        .values("pk")[:1]
    )
    found = (
        Role.objects.select_related("company")
        .annotate(tracked_id=Subquery(existing))
        .filter(pk=role_id)
        .first()
    )
    if found is None or not can_view_role(user, found):
        raise TrackerError("That role is not on the board.")
    if found.tracked_id is not None:
        return Tracked(TrackedOpportunity.objects.get(pk=found.tracked_id), created=False)
    now = at or timezone.now()
    with transaction.atomic(savepoint=False):
        opportunity = TrackedOpportunity.objects.create(
            user=user,
            role=found,
            title=found.title[:300],
            company_name=found.company.name[:200],
            location=found.location_display[:200],
            source=OpportunitySource.BOARD,
            stage=Stage.SAVED,
            stage_changed_at=now,
        )
        _first_step(opportunity, "")
    opportunity.role = found
    return Tracked(opportunity, created=True)


def opportunity_create(
    *,
    user: AbstractBaseUser,
    title: str,
    company_name: str,
    stage: str = Stage.SAVED,
    at: datetime | None = None,
    description_html: str = "",
    **fields,
) -> Tracked:
    """Track a role from elsewhere, or find the user's entry with its address or title."""
    cleaned = _clean_fields(
        {"title": title, "company_name": company_name, "description_html": description_html}
        | {name: value for name, value in fields.items() if name in DETAIL_FIELDS}
    )
    if not cleaned["title"] or not cleaned["company_name"]:
        raise TrackerError("A title and a company are needed.")
    if stage not in Stage.values:
        raise TrackerError(f"“{stage}” is not a stage.")
    duplicate = opportunity_duplicate(
        user=user,
        url=cleaned.get("url", ""),
        title=cleaned["title"],
        company_name=cleaned["company_name"],
    )
    if duplicate is not None:
        return Tracked(duplicate, created=False)
    at = at or timezone.now()
    cleaned.setdefault("source", OpportunitySource.OTHER_SITE)
    with transaction.atomic():
        opportunity = TrackedOpportunity.objects.create(
            user=user,
            stage=stage,
            stage_changed_at=at,
            applied_at=at if stage in APPLIED_STAGES else None,
            **cleaned,
        )
        _first_step(opportunity, "")
    return Tracked(opportunity, created=True)


def opportunity_move(
    *,
    user: AbstractBaseUser,
    opportunity_id: int,
    stage: str,
    note: str = "",
    at: datetime | None = None,
) -> TrackedOpportunity | None:
    """Move the user's entry into a stage (three queries); None when it is not theirs.

    Moving into the stage it is in already changes nothing.
    """
    if stage not in Stage.values:
        raise TrackerError(f"“{stage}” is not a stage.")
    opportunity = (
        TrackedOpportunity.objects.of_user(user)
        .filter(pk=opportunity_id)
        .only("pk", "user_id", "stage", "stage_changed_at", "applied_at", "title")
        .first()
    )
    if opportunity is None:
        return None
    if opportunity.stage == stage:
        return opportunity
    at = at or timezone.now()
    opportunity.stage, opportunity.stage_changed_at = stage, at
    if stage in APPLIED_STAGES and opportunity.applied_at is None:
        opportunity.applied_at = at
    # No savepoint: in a request this is the whole transaction, and the two writes stand or
    # fall together.
    with transaction.atomic(savepoint=False):
        StageChange.objects.create(
            opportunity_id=opportunity.pk, stage=stage, at=at, note=text_clean(note)[:500]
        )
        TrackedOpportunity.objects.filter(pk=opportunity.pk).update(
            stage=stage,
            stage_changed_at=at,
            applied_at=opportunity.applied_at,
            updated_at=at,
        )
    return opportunity


def opportunity_resync(*, opportunity: TrackedOpportunity) -> TrackedOpportunity:
    """Set the entry's stage fields from its history again (after a history is edited)."""
    steps = list(opportunity.stage_changes.order_by("at", "id"))
    if steps:
        last = steps[-1]
        applied = next((s.at for s in steps if s.stage in APPLIED_STAGES), None)
        TrackedOpportunity.objects.filter(pk=opportunity.pk).update(
            stage=last.stage, stage_changed_at=last.at, applied_at=applied
        )
        opportunity.stage, opportunity.stage_changed_at = last.stage, last.at
        opportunity.applied_at = applied
    return opportunity


def opportunity_update(*, opportunity: TrackedOpportunity, **fields) -> TrackedOpportunity:
    """Change the entry's details (not its stage, user or role)."""
    unknown = set(fields) - set(DETAIL_FIELDS)
    if unknown:
        raise TrackerError(f"Not a detail of an entry: {', '.join(sorted(unknown))}.")
    cleaned = _clean_fields(fields)
    if "title" in cleaned and not cleaned["title"]:
        raise TrackerError("A title is needed.")
    if "company_name" in cleaned and not cleaned["company_name"]:
        raise TrackerError("A company is needed.")
    if cleaned.get("url_key"):
        clash = (
            TrackedOpportunity.objects.of_user(opportunity.user_id)
            .filter(url_key=cleaned["url_key"])
            .exclude(pk=opportunity.pk)
            .first()
        )
        if clash is not None:
            raise TrackerError(f"You already track that address: “{clash}”.")
    for name, value in cleaned.items():
        setattr(opportunity, name, value)
    opportunity.save(update_fields=[*cleaned, "updated_at"])
    return opportunity


def opportunity_delete(*, opportunity: TrackedOpportunity) -> None:
    """Forget the entry and everything recorded about it."""
    opportunity.delete()


def contact_add(
    *,
    opportunity: TrackedOpportunity,
    name: str,
    role_title: str = "",
    email: str = "",
    profile_url: str = "",
) -> Contact:
    name = text_clean(name).strip()
    if not name:
        raise TrackerError("A contact needs a name.")
    return Contact.objects.create(
        opportunity=opportunity,
        name=name[:200],
        role_title=text_clean(role_title).strip()[:200],
        email=text_clean(email).strip(),
        profile_url=text_clean(profile_url).strip(),
    )


def part_delete(*, part: Contact | InterviewRound) -> None:
    """Forget one of an entry's contacts or interview rounds."""
    part.delete()


def interview_add(
    *,
    opportunity: TrackedOpportunity,
    at: datetime,
    kind: str = InterviewRound.Kind.OTHER,
    with_whom: str = "",
    notes: str = "",
) -> InterviewRound:
    """Record an interview; an entry still saved or applied moves on to "interviewing"."""
    if kind not in InterviewRound.Kind.values:
        raise TrackerError(f"“{kind}” is not a kind of interview.")
    with transaction.atomic():
        interview = InterviewRound.objects.create(
            opportunity=opportunity,
            at=at,
            kind=kind,
            with_whom=text_clean(with_whom).strip()[:300],
            notes=text_clean(notes).strip(),
        )
        if opportunity.stage in {Stage.SAVED, Stage.APPLIED}:
            opportunity_move(
                user=opportunity.user,
                opportunity_id=opportunity.pk,
                stage=Stage.INTERVIEWING,
                note=f"{interview.get_kind_display()} interview planned",
            )
    return interview


def calendar_rotate(*, user: AbstractBaseUser) -> str:
    """A new secret for the user's calendar feed (the old address stops working); only its
    hash is kept, so the address is shown once."""
    token = secrets.token_urlsafe(32)
    TrackerCalendar.objects.update_or_create(
        user=user, defaults={"token_hash": token_hash(token), "created_at": timezone.now()}
    )
    return token


def calendar_revoke(*, user: AbstractBaseUser) -> None:
    """Switch the user's calendar feed off."""
    TrackerCalendar.objects.filter(user=user).delete()

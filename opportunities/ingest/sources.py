"""Sources: where a Source's location points, when it runs, and the Sources made for it.

Resolving a location decides what a run may read (board APIs, http(s) URLs, the demo feeds;
other local files only for an operator's command line). Scheduling picks the due sources for
the beat; the one-off and demo sources are Sources that the command line and seed_sources
create.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import quote, urlsplit

from django.conf import settings
from django.db import transaction
from django.utils.text import slugify

from opportunities.enqueue import INGEST_SOURCE, enqueue_on_commit
from opportunities.ingest.parsers.hn import thread_url
from opportunities.models import Company, Industry, Source, SourceKind

# Where seed_sources points its demo sources: the only local files a scheduled run may read.
DEMO_FEEDS_DIR = Path(__file__).resolve().parent.parent / "data" / "demo_feeds"

BOARD_API_URLS = {
    SourceKind.GREENHOUSE: "https://boards-api.greenhouse.io/v1/boards/{token}/jobs?content=true",
    SourceKind.LEVER: "https://api.lever.co/v0/postings/{token}?mode=json",
    SourceKind.ASHBY: (
        "https://api.ashbyhq.com/posting-api/job-board/{token}?includeCompensation=true"
    ),
}
# A board token has no dot or slash, which is what tells it from a file name or a URL.
_BOARD_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,199}")


def location_token_url(kind: str, location: str) -> str | None:
    """The URL a location that is not itself a URL stands for: a Greenhouse, Lever or Ashby
    board token, or a Hacker News thread's id (or its page, read through the Algolia API)."""
    location = location.strip()
    if kind == SourceKind.HN:
        return thread_url(location)
    template = BOARD_API_URLS.get(kind)
    if template and _BOARD_TOKEN.fullmatch(location):
        return template.format(token=quote(location))
    return None


class IngestRefused(Exception):
    """The Source's location may not be read by this kind of run."""


def source_location_resolve(*, source: Source, allow_local_files: bool = False) -> str:
    """The URL or absolute file path a Source's location stands for.

    A Greenhouse, Lever or Ashby board token becomes that board's API URL, and a Hacker News
    thread's id or page the thread's Algolia items URL. A path is read only
    when the caller says an operator typed it (the command line) or when it lies inside the
    demo feeds shipped with the repository; a curator's form input never reads local files.
    """
    location = source.location.strip()
    token_url = location_token_url(source.kind, location)
    if token_url:
        return token_url
    if urlsplit(location).scheme:
        return location  # open_location accepts http(s) and refuses every other scheme
    path = Path(location)
    if not path.is_absolute():
        path = Path(settings.BASE_DIR) / path
    path = path.resolve()
    if allow_local_files or path.is_relative_to(DEMO_FEEDS_DIR):
        return str(path)
    raise IngestRefused(
        f"{location} is a local path; scheduled sources read http(s) URLs or board tokens only"
    )


def sources_run_now(*, sources: Iterable[Source]) -> list[int]:
    """Queue a run of each of these sources once the caller's transaction commits."""
    ids = [source.pk for source in sources]
    for source_id in ids:
        enqueue_on_commit(INGEST_SOURCE, source_id)
    return ids


def source_schedule_due(*, now: datetime) -> list[int]:
    """Ids of enabled sources due at `now`, each rescheduled so a second beat skips it."""
    due: list[int] = []
    with transaction.atomic():
        sources = (
            Source.objects.select_for_update(skip_locked=True)
            .filter(enabled=True)
            .exclude(next_run_at__gt=now)
            .only("pk", "interval_minutes")
        )
        for source in sources:
            Source.objects.filter(pk=source.pk).update(
                next_run_at=now + timedelta(minutes=source.interval_minutes)
            )
            due.append(source.pk)
    return due


def one_off_source_name(*, kind: str, location: str, company: Company | None = None) -> str:
    """The public name of a one-off source: its kind and, for a URL, its host; never a local
    path, which is the operator's machine's business (role pages show "Found on" this)."""
    label = SourceKind(kind).label if kind in SourceKind.values else kind
    # A board token or thread id is named by the host it is read from, not as a file.
    location = location_token_url(kind, location) or location
    host = urlsplit(location).hostname if location.startswith(("http://", "https://")) else None
    name = f"{label} at {host}" if host else f"{label} (imported file)"
    if company is not None:
        name = f"{company.name}: {name}"
    return name[:200]


def source_one_off_get_or_create(
    *,
    kind: str,
    location: str,
    company: Company | None = None,
    industry: Industry | None = None,
) -> Source:
    """The disabled Source that records command-line runs of one kind and location."""
    source, created = Source.objects.get_or_create(
        kind=kind,
        location=location,
        enabled=False,
        company=company,
        defaults={
            "name": one_off_source_name(kind=kind, location=location, company=company),
            "default_industry": industry,
            "interval_minutes": 24 * 60,
        },
    )
    if not created and industry is not None and source.default_industry_id != industry.pk:
        source.default_industry = industry
        source.save(update_fields=["default_industry", "updated_at"])
    return source


DEMO_SOURCES = [
    # (name, kind, file in DEMO_FEEDS_DIR, employer when the feed is one company's board)
    ("Demo: Northwind AI (Greenhouse)", SourceKind.GREENHOUSE, "greenhouse.json", None),
    ("Demo: Tessellate Labs (Lever)", SourceKind.LEVER, "lever.json", "Tessellate Labs"),
    ("Demo: GenAI roles (RSS)", SourceKind.RSS, "rss.xml", None),
]
DEMO_INTERVAL_MINUTES = 5  # the shortest allowed, so a newcomer sees runs happen


def sources_demo_seed() -> list[Source]:
    """Create (or leave as they are) the demo Sources that read the feeds shipped in the repo."""
    sources = []
    with transaction.atomic():
        for name, kind, filename, company_name in DEMO_SOURCES:
            company = None
            if company_name:
                company, _ = Company.objects.get_or_create(
                    slug=slugify(company_name), defaults={"name": company_name}
                )
            location = str((DEMO_FEEDS_DIR / filename).relative_to(settings.BASE_DIR))
            source, _ = Source.objects.get_or_create(
                kind=kind,
                location=location,
                defaults={
                    "name": name,
                    "company": company,
                    "interval_minutes": DEMO_INTERVAL_MINUTES,
                    "enabled": True,
                },
            )
            sources.append(source)
    return sources

"""Ingest: fetch a Source, parse and normalise its items, upsert them as Roles, close the rest.

One service for the Celery task, the command line and the admin's CSV upload; this module
keeps the run's lifecycle (its IngestRun, its tally, fetching, failing) and hands the feed to
two phases, so that a feed which cannot be parsed to its end changes nothing:

1. read (read.py): parse the feed item by item, hash each item and spool the new and changed
   ones; an unchanged item costs one share of an indexed lookup and nothing more;
2. write (write.py): normalise each spooled batch and upsert it in its own transaction, then
   close the roles missing from the feed.

Every write is an idempotent upsert keyed on (source, external_id), so a run repeated after a
crash, a retry or a killed worker ends in the same rows as one clean run. To rewrite every
stored role once after a change to parsing or normalisation, bump read.PIPELINE_VERSION.
"""

from __future__ import annotations

import contextlib
import logging
import tempfile
from typing import IO

from django.conf import settings
from django.db import OperationalError
from django.utils import timezone

from opportunities.ingest.fetch import FetchError, open_location
from opportunities.ingest.parsers import parse_pending
from opportunities.ingest.parsers.records import FeedError
from opportunities.ingest.read import Progress, items_read, spooled, statistics_refresh
from opportunities.ingest.recognisers import recognisers_current
from opportunities.ingest.sources import IngestRefused, source_location_resolve
from opportunities.ingest.tally import Tally
from opportunities.ingest.write import (
    company_industries_settle,
    matching_enqueue,
    normalise_and_write,
    roles_vanished_close,
    unknown_terms_record,
)
from opportunities.models import Company, Industry, IngestRun, Source, SourceKind
from opportunities.text import text_clean

logger = logging.getLogger(__name__)

MESSAGE_LENGTH = 2000  # of a run's closing message


def source_ingest(
    *,
    source: Source,
    progress: Progress | None = None,
    allow_local_files: bool = False,
    raise_retryable: bool = False,
    stream: IO[bytes] | None = None,
) -> IngestRun:
    """Run one ingest of `source` and return its IngestRun (succeeded, not_modified or failed).

    `progress(n)` is called as items are parsed. `allow_local_files` is for locations an
    operator typed. With `raise_retryable`, a network error or a database outage is recorded
    and then re-raised so a Celery task can retry. `stream` feeds an uploaded file instead of
    fetching the location (the admin's CSV upload).
    """
    _runs_interrupted_close(source=source)
    run = IngestRun.objects.create(source=source)
    tally = Tally()
    try:
        if stream is not None:
            _run_stream(source=source, run=run, stream=stream, tally=tally, progress=progress)
        else:
            _run_fetch(source, run, tally, progress, allow_local_files)
    except (FetchError, FeedError, IngestRefused, ValueError) as exc:
        _run_fail(run, tally, _plain(exc))
        if raise_retryable and isinstance(exc, FetchError) and exc.retryable:
            raise
    except OperationalError as exc:
        logger.exception("ingest of source %s hit a database error", source.pk)
        # If the database is gone the run stays "running"; the next run marks it interrupted.
        with contextlib.suppress(OperationalError):
            _run_fail(run, tally, f"Database error after {tally.fetched} items: {exc}")
        if raise_retryable:
            raise
    except Exception as exc:
        # A fault of ours, not the feed's: the run still ends, saying what stopped it and
        # where, and the error goes on to the log and the task's own failure record.
        logger.exception("ingest of source %s failed unexpectedly", source.pk)
        _run_fail(
            run,
            tally,
            f"Stopped by an unexpected error after {tally.fetched} items: "
            f"{exc.__class__.__name__}: {exc}",
        )
        raise
    return run


def _plain(exc: Exception) -> str:
    message = str(exc) or exc.__class__.__name__
    return message[0].upper() + message[1:]


def _run_fetch(
    source: Source,
    run: IngestRun,
    tally: Tally,
    progress: Progress | None,
    allow_local_files: bool,
) -> None:
    location = source_location_resolve(source=source, allow_local_files=allow_local_files)
    result = open_location(
        location,
        etag=source.etag or None,
        last_modified=source.last_modified or None,
        max_bytes=settings.INGEST_MAX_BYTES,
        allow_loopback=settings.INGEST_ALLOW_LOOPBACK,
    )
    with result:
        if result.not_modified:
            run.status = IngestRun.Status.NOT_MODIFIED
            run.finished_at = timezone.now()
            run.message = "The feed has not changed since the last run."
            run.save(update_fields=["status", "finished_at", "message"])
            return
        _run_stream(
            source=source,
            run=run,
            stream=result.body,
            tally=tally,
            progress=progress,
            base_url=result.url if result.status is not None else None,
        )
    # Validators are stored only after a complete run, so a failed run is fetched again.
    if run.status == IngestRun.Status.SUCCEEDED:
        Source.objects.filter(pk=source.pk).update(
            etag=(result.etag or "")[:500], last_modified=(result.last_modified or "")[:100]
        )
        source.etag, source.last_modified = result.etag or "", result.last_modified or ""


def _run_stream(
    *,
    source: Source,
    run: IngestRun,
    stream: IO[bytes],
    tally: Tally,
    progress: Progress | None,
    base_url: str | None = None,
) -> None:
    recognisers = recognisers_current()
    items = parse_pending(source.kind, stream, base_url=base_url)
    with tempfile.TemporaryFile() as spool:
        seen = items_read(source, items, recognisers, spool, tally, progress)
        spool.seek(0)
        normalise_and_write(source, spooled(spool), recognisers, tally)
    if tally.fetched and tally.rejected == tally.fetched:
        # Nothing usable is a broken feed or a mis-set Source, not an empty board: fail, and
        # close none of the roles the source had.
        first = tally.errors[0]["reason"] if tally.errors else "no reason given"
        raise FeedError(
            f"Every one of the {tally.fetched} items was rejected, so nothing changed (the "
            f"first: {first}). Check that the source's kind matches its feed, and set the "
            "source's company if its postings do not name one."
        )
    statistics_refresh(created=tally.created)
    now = timezone.now()
    tally.closed = roles_vanished_close(source=source, seen=seen, now=now)
    unknown_terms_record(tally.unknown_terms)
    # Roles whose company's industry the run's last guess changed are rematched too.
    touched = set(tally.touched_ids)
    settled = company_industries_settle(source=source, tally=tally, recognisers=recognisers)
    tally.touched_ids.extend(pk for pk in settled if pk not in touched)
    run.status = IngestRun.Status.SUCCEEDED
    run.finished_at = timezone.now()
    if tally.rejected > len(tally.errors):
        run.message = (
            f"{tally.rejected} items were rejected; the first {len(tally.errors)} are listed."
        )
    _run_counts_save(run, tally)
    matching_enqueue(tally.touched_ids)


def _run_fail(run: IngestRun, tally: Tally, message: str) -> None:
    run.status = IngestRun.Status.FAILED
    run.finished_at = timezone.now()
    run.message = text_clean(message)[:MESSAGE_LENGTH]
    _run_counts_save(run, tally)


def _run_counts_save(run: IngestRun, tally: Tally) -> None:
    for name in ("fetched", "created", "updated", "unchanged", "closed", "rejected"):
        setattr(run, name, getattr(tally, name))
    run.errors = tally.errors
    run.save()


def _runs_interrupted_close(*, source: Source) -> None:
    """Mark runs left "running" by a killed worker as failed, so the admin does not wait on them."""
    IngestRun.objects.filter(source=source, status=IngestRun.Status.RUNNING).update(
        status=IngestRun.Status.FAILED,
        finished_at=timezone.now(),
        message="Interrupted: the worker stopped before the run finished; a later run redid it.",
    )


def csv_upload_ingest(
    *,
    source_or_none: Source | None,
    file: IO[bytes],
    company: Company | None,
    industry: Industry | None,
) -> IngestRun:
    """Ingest a curator's CSV upload through the same pipeline, into its own Source.

    Without a Source, one disabled CSV source per company (or one for uploads with no company)
    holds the rows, so a later upload of the same file updates rather than duplicates them.
    Rows missing from a later upload to the same source are closed, like any feed.
    """
    source = source_or_none
    if source is None:
        name = f"CSV uploads: {company.name}" if company else "CSV uploads"
        source, _ = Source.objects.get_or_create(
            kind=SourceKind.CSV,
            company=company,
            location="upload",
            defaults={
                "name": name,
                "enabled": False,
                "default_industry": industry,
                "interval_minutes": 24 * 60,
            },
        )
    if industry is not None and source.default_industry_id != industry.pk:
        source.default_industry = industry
        source.save(update_fields=["default_industry", "updated_at"])
    return source_ingest(source=source, stream=file)

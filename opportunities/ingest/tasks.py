"""Ingest tasks: load a Source by id and call the ingest service; safe to run twice."""

from __future__ import annotations

from celery import shared_task
from django.db import OperationalError
from django.utils import timezone

from opportunities import enqueue
from opportunities.ingest.fetch import FetchError
from opportunities.ingest.run import source_ingest
from opportunities.ingest.sources import source_schedule_due
from opportunities.models import Source


@shared_task(
    name=enqueue.INGEST_SOURCE,
    # Every write is an upsert keyed on (source, external_id), so a run redelivered after a
    # worker died mid-way ends in the same rows as one clean run.
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(FetchError, OperationalError),
    retry_backoff=30,
    retry_backoff_max=30 * 60,
    retry_jitter=True,
    max_retries=5,
    soft_time_limit=20 * 60,
    time_limit=25 * 60,
)
def ingest_source_task(source_id: int) -> dict:
    """Run one ingest of the Source; network errors and database outages retry with backoff."""
    source = Source.objects.select_related("company", "default_industry").filter(pk=source_id)
    source = source.first()
    if source is None:
        return {"source": source_id, "status": "missing"}
    # Only retryable failures are re-raised; a 404 or a refused address is a failed run.
    run = source_ingest(source=source, raise_retryable=True)
    return {"source": source_id, "run": run.pk, "status": run.status}


@shared_task(name=enqueue.INGEST_DUE_SOURCES, time_limit=60, soft_time_limit=50)
def ingest_due_sources_task() -> list[int]:
    """Enqueue a run for every enabled Source whose interval has passed (beat, every minute)."""
    due = source_schedule_due(now=timezone.now())
    for source_id in due:
        ingest_source_task.delay_on_commit(source_id)
    return due

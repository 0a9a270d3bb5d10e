"""Ingest tasks: thin adapters around the ingest service, retried on network errors."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.utils import timezone

from opportunities.ingest import tasks
from opportunities.ingest.fetch import NetworkError
from opportunities.ingest.sources import sources_demo_seed
from opportunities.ingest.tasks import ingest_due_sources_task, ingest_source_task
from opportunities.models import IngestRun, Role, Source

pytestmark = pytest.mark.django_db


def test_a_source_run_ingests_and_reports_its_status():
    source = sources_demo_seed()[0]

    result = ingest_source_task(source.pk)

    assert result["status"] == IngestRun.Status.SUCCEEDED
    assert Role.objects.filter(source=source).count() == 10


def test_a_missing_source_is_not_an_error():
    assert ingest_source_task(987654)["status"] == "missing"


def test_a_permanent_failure_is_a_failed_run_not_a_retry():
    source = Source.objects.create(name="Gone", kind="rss", location="ftp://example.com/feed")

    result = ingest_source_task.apply(args=[source.pk]).get()

    assert result["status"] == IngestRun.Status.FAILED
    assert IngestRun.objects.get(source=source).status == IngestRun.Status.FAILED


def test_network_errors_are_retried_then_given_up(monkeypatch):
    source = Source.objects.create(name="Flaky", kind="rss", location="https://a.example/rss")
    calls = []

    def flaky(**kwargs):
        calls.append(kwargs)
        raise NetworkError("timed out connecting to a.example")

    monkeypatch.setattr(tasks, "source_ingest", flaky)

    result = ingest_source_task.apply(args=[source.pk])

    assert isinstance(result.result, NetworkError)
    assert len(calls) == 1 + ingest_source_task.max_retries
    assert all(call["raise_retryable"] for call in calls)


def test_the_task_is_safe_to_redeliver():
    assert ingest_source_task.acks_late is True
    assert ingest_source_task.reject_on_worker_lost is True
    assert ingest_source_task.soft_time_limit < ingest_source_task.time_limit
    assert ingest_source_task.retry_jitter is True


def test_due_sources_are_enqueued_once(monkeypatch, django_capture_on_commit_callbacks):
    due = Source.objects.create(name="Due", kind="rss", location="https://a.example/rss")
    Source.objects.create(
        name="Later",
        kind="rss",
        location="https://b.example/rss",
        next_run_at=timezone.now() + timezone.timedelta(hours=1),
    )
    sent = []
    monkeypatch.setattr(ingest_source_task, "delay", lambda source_id: sent.append(source_id))

    with django_capture_on_commit_callbacks(execute=True):
        first = ingest_due_sources_task()
        second = ingest_due_sources_task()

    assert first == [due.pk] and second == []
    assert sent == [due.pk]


def test_beat_runs_the_due_sources_task_every_minute():
    entry = settings.CELERY_BEAT_SCHEDULE["ingest-due-sources"]
    assert entry["task"] == ingest_due_sources_task.name
    assert entry["schedule"] == 60.0

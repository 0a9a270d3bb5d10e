"""Sources: what a location may read, when a source is due, and the Sources made for runs."""

from __future__ import annotations

import pytest
from django.utils import timezone

from opportunities.ingest.run import source_ingest
from opportunities.ingest.sources import (
    IngestRefused,
    source_location_resolve,
    source_one_off_get_or_create,
    source_schedule_due,
    sources_demo_seed,
)
from opportunities.models import IngestRun, Role, Source
from tests import factories
from tests.ingest.boards import greenhouse_source, job, write_feed

pytestmark = pytest.mark.django_db


def test_a_local_path_is_refused_for_scheduled_runs(tmp_path):
    source = greenhouse_source(write_feed(tmp_path / "feed.json", [job(1)]))

    run = source_ingest(source=source)

    assert run.status == IngestRun.Status.FAILED
    assert "local path" in run.message
    assert not Role.objects.exists()


def test_board_tokens_become_api_urls(tmp_path):
    def resolve(kind, location):
        return source_location_resolve(source=Source(kind=kind, location=location))

    assert resolve("greenhouse", "acme") == (
        "https://boards-api.greenhouse.io/v1/boards/acme/jobs?content=true"
    )
    assert resolve("lever", "acme-ai") == "https://api.lever.co/v0/postings/acme-ai?mode=json"
    assert resolve("ashby", "Acme") == (
        "https://api.ashbyhq.com/posting-api/job-board/Acme?includeCompensation=true"
    )
    assert resolve("hn", "40000") == "https://hn.algolia.com/api/v1/items/40000"
    assert resolve("hn", "https://news.ycombinator.com/item?id=40000") == (
        "https://hn.algolia.com/api/v1/items/40000"
    )
    assert resolve("hn", "https://hn.algolia.com/api/v1/items/40000") == (
        "https://hn.algolia.com/api/v1/items/40000"
    )
    with pytest.raises(IngestRefused):  # a board token means nothing to Hacker News
        resolve("hn", "acme")
    assert resolve("rss", "https://x.example/feed") == "https://x.example/feed"
    with pytest.raises(IngestRefused):
        resolve("rss", "/etc/passwd")


def test_due_sources_are_rescheduled_so_a_second_beat_skips_them():
    now = timezone.now()
    due = Source.objects.create(name="Due", kind="rss", location="https://a.example/rss")
    later = Source.objects.create(
        name="Later",
        kind="rss",
        location="https://b.example/rss",
        next_run_at=now + timezone.timedelta(minutes=3),
    )
    Source.objects.create(name="Off", kind="rss", location="https://c.example", enabled=False)

    assert source_schedule_due(now=now) == [due.pk]
    assert source_schedule_due(now=now) == []
    due.refresh_from_db()
    assert due.next_run_at == now + timezone.timedelta(minutes=due.interval_minutes)
    assert source_schedule_due(now=now + timezone.timedelta(minutes=4)) == [later.pk]


def test_demo_sources_read_the_feeds_shipped_in_the_repository(skills):
    sources = sources_demo_seed()
    assert sources_demo_seed() == sources

    for source in sources:
        run = source_ingest(source=source)  # scheduled-style: no local-file allowance
        assert run.status == IngestRun.Status.SUCCEEDED, run.message
        assert run.created >= 10


def test_command_line_runs_of_one_location_share_a_disabled_source():
    energy = factories.IndustryFactory(name="Energy", slug="energy")

    first = source_one_off_get_or_create(kind="rss", location="https://a.example/rss")
    again = source_one_off_get_or_create(
        kind="rss", location="https://a.example/rss", industry=energy
    )
    other = source_one_off_get_or_create(kind="rss", location="https://b.example/rss")

    assert again.pk == first.pk != other.pk
    assert first.enabled is False and first.name == "RSS / Atom feed at a.example"
    assert Source.objects.get(pk=first.pk).default_industry == energy


def test_a_one_off_source_of_a_local_file_never_names_the_path(tmp_path):
    acme = factories.CompanyFactory(name="Acme AI")
    path = str(tmp_path / "secret-dir" / "board.json")

    source = source_one_off_get_or_create(kind="greenhouse", location=path, company=acme)

    assert source.name == "Acme AI: Greenhouse job board (imported file)"
    assert "secret-dir" not in source.name


def test_a_one_off_source_of_a_thread_id_is_named_by_where_it_is_read():
    source = source_one_off_get_or_create(kind="hn", location="40000")

    assert source.name == "Hacker News: Who is hiring? at hn.algolia.com"

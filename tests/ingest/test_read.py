"""Phase 1, reading: unchanged items cost nothing, changed ones are rebuilt, bad ones rejected."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from opportunities.models import IngestRun, Role
from tests.ingest.boards import dump, greenhouse_source, ingest, job, write_feed

pytestmark = pytest.mark.django_db


def test_ingest_twice_writes_nothing_the_second_time(skills, tmp_path):
    source = greenhouse_source(write_feed(tmp_path / "feed.json", [job(n) for n in range(5)]))
    first = ingest(source)
    before = dump()

    with CaptureQueriesContext(connection) as queries:
        second = ingest(source)

    assert (first.created, first.unchanged) == (5, 0)
    assert (second.created, second.updated, second.unchanged, second.closed) == (0, 0, 5, 0)
    assert dump() == before
    writes = [
        query["sql"]
        for query in queries.captured_queries
        if query["sql"].startswith(("INSERT", "UPDATE", "DELETE"))
        and ("opportunities_role" in query["sql"])
    ]
    assert writes == []


def test_a_changed_item_is_updated_and_the_rest_left_alone(skills, tmp_path):
    feed = tmp_path / "feed.json"
    source = greenhouse_source(write_feed(feed, [job(1), job(2)]))
    ingest(source)
    untouched = Role.objects.get(external_id="9002").updated_at

    write_feed(
        feed, [job(1, title="Staff LLM Engineer", content="&lt;p&gt;Only Python&lt;/p&gt;"), job(2)]
    )
    run = ingest(source)

    assert (run.created, run.updated, run.unchanged) == (0, 1, 1)
    changed = Role.objects.get(external_id="9001")
    assert changed.title == "Staff LLM Engineer"
    assert list(changed.role_skills.values_list("skill__slug", flat=True)) == ["python"]
    assert changed.skill_text == "Python"
    assert Role.objects.get(external_id="9002").updated_at == untouched


def test_a_malformed_item_is_recorded_and_the_rest_ingested(skills, tmp_path):
    bad = job(2)
    del bad["title"]
    source = greenhouse_source(write_feed(tmp_path / "feed.json", [job(1), bad, job(3), job(3)]))

    run = ingest(source)

    assert run.status == IngestRun.Status.SUCCEEDED
    assert (run.fetched, run.created, run.rejected) == (4, 2, 2)
    assert [error["position"] for error in run.errors] == [1, 3]
    assert run.errors[0]["external_id"] == "9002"
    assert "repeats" in run.errors[1]["reason"]


def test_scripts_in_descriptions_are_stripped(skills, tmp_path):
    hostile = job(
        1, content="&lt;p onclick='x()'&gt;Hi&lt;/p&gt;&lt;script&gt;alert(1)&lt;/script&gt;"
    )
    source = greenhouse_source(write_feed(tmp_path / "feed.json", [hostile]))
    ingest(source)

    description = Role.objects.get().description
    assert "Hi" in description
    assert "script" not in description and "alert" not in description
    assert "onclick" not in description

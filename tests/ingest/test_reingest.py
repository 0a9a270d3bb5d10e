"""Re-ingesting a JSON board: items are hashed as decoded, and only changed ones are built.

Covers the read phase (opportunities/ingest/read.py) with the parsers' PendingRole path.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from opportunities.ingest.parsers import greenhouse
from opportunities.ingest.run import source_ingest
from opportunities.models import IngestRun, Role, Source
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def skills(db):
    factories.SkillFactory(name="Python", slug="python")
    factories.SkillFactory(name="LangChain", slug="langchain")


def job(number: int, **changes) -> dict:
    item = {
        "id": 7000 + number,
        "title": f"LLM Engineer {number}",
        "company_name": "Acme AI",
        "absolute_url": f"https://boards.greenhouse.io/acme/jobs/{7000 + number}",
        "location": {"name": "Berlin, Germany"},
        "first_published": "2026-11-01T09:00:00Z",
        "content": f"&lt;p&gt;Python and LangChain, posting {number}.&lt;/p&gt;",
        "metadata": [{"name": "Employment type", "value": "Full-time"}],
    }
    item.update(changes)
    return item


def ingest(path: Path, jobs: list[dict], source: Source | None = None) -> IngestRun:
    path.write_text(json.dumps({"jobs": jobs}))
    if source is None:
        source = Source.objects.create(name="Acme", kind="greenhouse", location=str(path))
    Source.objects.filter(pk=source.pk).update(etag="", last_modified="")
    source.refresh_from_db()
    return source_ingest(source=source, allow_local_files=True)


@pytest.fixture
def built(monkeypatch) -> list[str]:
    """Ids of the items the Greenhouse parser turned into RawRoles."""
    ids: list[str] = []
    role = greenhouse._role

    def counting(item, **kwargs):
        ids.append(str(item.get("id")))
        return role(item, **kwargs)

    monkeypatch.setattr(greenhouse, "_role", counting)
    return ids


def test_an_unchanged_feed_builds_and_writes_nothing(skills, tmp_path, built):
    feed = tmp_path / "feed.json"
    first = ingest(feed, [job(1), job(2), job(3)])
    source = first.source
    before = list(Role.objects.order_by("pk").values_list("pk", "updated_at", "content_hash"))
    built.clear()

    again = ingest(feed, [job(1), job(2), job(3)], source)

    assert (again.fetched, again.unchanged, again.created, again.updated) == (3, 3, 0, 0)
    assert built == []
    assert list(Role.objects.order_by("pk").values_list("pk", "updated_at", "content_hash")) == (
        before
    )


@pytest.mark.parametrize(
    "change",
    [
        {"title": "Staff LLM Engineer 2"},
        {"location": {"name": "Remote"}},
        {"metadata": [{"name": "Employment type", "value": "Contract"}]},
        {"updated_at": "2026-11-20T09:00:00Z"},  # read only when first_published is missing
    ],
)
def test_a_changed_field_makes_its_item_changed(skills, tmp_path, built, change):
    feed = tmp_path / "feed.json"
    source = ingest(feed, [job(1), job(2)]).source
    built.clear()

    run = ingest(feed, [job(1), job(2, **change)], source)

    assert (run.unchanged, run.updated, run.created) == (1, 1, 0)
    assert built == ["7002"]


def test_the_envelope_company_is_part_of_each_items_hash(skills, tmp_path):
    feed = tmp_path / "feed.json"
    jobs = [job(1, company_name=None)]
    feed.write_text(json.dumps({"company_name": "Acme AI", "jobs": jobs}))
    source = Source.objects.create(name="Acme", kind="greenhouse", location=str(feed))
    source_ingest(source=source, allow_local_files=True)
    feed.write_text(json.dumps({"company_name": "Acme Labs", "jobs": jobs}))
    Source.objects.filter(pk=source.pk).update(etag="", last_modified="")
    source.refresh_from_db()

    run = source_ingest(source=source, allow_local_files=True)

    assert run.updated == 1
    assert Role.objects.get().company.name == "Acme Labs"


def test_a_malformed_item_is_rejected_in_feed_order_and_its_role_closed(skills, tmp_path):
    feed = tmp_path / "feed.json"
    source = ingest(feed, [job(1), job(2), job(3)]).source
    bad = job(2, title=["not", "text"])

    run = ingest(feed, [job(1), bad, {"title": "no id"}, job(3)], source)

    assert run.status == IngestRun.Status.SUCCEEDED
    assert (run.fetched, run.rejected, run.unchanged, run.closed) == (4, 2, 2, 1)
    assert [error["position"] for error in run.errors] == [1, 2]
    assert run.errors[0]["external_id"] == "7002"
    assert Role.objects.get(external_id="7002").status == Role.Status.CLOSED


def test_a_good_item_after_a_malformed_one_with_its_id_is_kept(skills, tmp_path):
    feed = tmp_path / "feed.json"
    bad = job(1, title=None)

    run = ingest(feed, [bad, job(1), job(1, title="Again")])

    assert (run.created, run.rejected) == (1, 2)
    assert [error["position"] for error in run.errors] == [0, 2]
    assert "repeats" in run.errors[1]["reason"]
    assert Role.objects.get().title == "LLM Engineer 1"


def test_a_truncated_feed_changes_nothing(skills, tmp_path):
    feed = tmp_path / "feed.json"
    source = ingest(feed, [job(1), job(2)]).source
    before = list(Role.objects.values_list("pk", "updated_at", "status"))
    feed.write_text(json.dumps({"jobs": [job(1, title="Changed"), job(2)]})[:-40])
    Source.objects.filter(pk=source.pk).update(etag="", last_modified="")
    source.refresh_from_db()

    run = source_ingest(source=source, allow_local_files=True)

    assert run.status == IngestRun.Status.FAILED
    assert list(Role.objects.values_list("pk", "updated_at", "status")) == before

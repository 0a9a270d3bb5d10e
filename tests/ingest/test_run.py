"""The ingest service end to end: fetch, parse, normalise, upsert, close, de-duplicate."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from opportunities.ingest.run import (
    IngestRefused,
    csv_upload_ingest,
    source_ingest,
    source_location_resolve,
    source_schedule_due,
    sources_demo_seed,
)
from opportunities.models import (
    Company,
    IngestRun,
    Role,
    RoleSkill,
    Source,
    UnknownSkillTerm,
)
from tests import factories, paths

FIXTURES = paths.FIXTURES

pytestmark = pytest.mark.django_db


@pytest.fixture
def skills(db):
    python = factories.SkillFactory(name="Python", slug="python")
    torch = factories.SkillFactory(name="PyTorch", slug="pytorch")
    factories.SkillAliasFactory(skill=torch, name="torch")
    factories.SkillFactory(name="LangChain", slug="langchain")
    return python


def job(number: int, **changes) -> dict:
    """A Greenhouse board job with content=true, as the API sends it (HTML escaped once)."""
    item = {
        "id": 9000 + number,
        "title": f"LLM Engineer {number}",
        "company_name": "Acme AI",
        "absolute_url": f"https://boards.greenhouse.io/acme/jobs/{9000 + number}",
        "location": {"name": "Berlin, Germany"},
        "first_published": "2026-11-01T09:00:00Z",
        "content": "&lt;p&gt;Build retrieval with Python and torch, posting "
        f"{number}.&lt;/p&gt;&lt;h3&gt;Requirements&lt;/h3&gt;&lt;ul&gt;&lt;li&gt;"
        "LangChain&lt;/li&gt;&lt;li&gt;VectorFlow&lt;/li&gt;&lt;/ul&gt;",
    }
    item.update(changes)
    return item


def write_feed(path: Path, jobs: list[dict]) -> Path:
    path.write_text(json.dumps({"jobs": jobs}))
    return path


def greenhouse_source(path: Path, **extra) -> Source:
    return Source.objects.create(name="Acme board", kind="greenhouse", location=str(path), **extra)


def ingest(source: Source) -> IngestRun:
    # Forget the validators so every call parses the file, as a changed feed would be.
    Source.objects.filter(pk=source.pk).update(etag="", last_modified="")
    source.refresh_from_db()
    return source_ingest(source=source, allow_local_files=True)


def dump() -> list[tuple]:
    roles = list(
        Role.objects.order_by("source_id", "external_id").values_list(
            "source_id",
            "external_id",
            "title",
            "description",
            "company__slug",
            "status",
            "posted_at",
            "closed_at",
            "content_hash",
            "skill_ids",
            "skill_text",
            "duplicate_of_id",
            "updated_at",
        )
    )
    links = list(
        RoleSkill.objects.order_by("role__external_id", "skill__slug").values_list(
            "role__external_id", "skill__slug", "kind"
        )
    )
    return roles + links


FORMATS = [
    ("greenhouse", "greenhouse/board.json"),
    ("greenhouse", "greenhouse/envelope.json"),
    ("lever", "lever/postings.json"),
    ("ashby", "ashby/board.json"),
    ("rss", "rss/weworkremotely.rss"),
    ("rss", "rss/atom.xml"),
    ("jsonld", "jsonld/careers-page.html"),
    ("remotive", "remotive/jobs.json"),
    ("remoteok", "remoteok/api.json"),
    ("csv", "csv/roles.csv"),
]


@pytest.mark.parametrize(("kind", "name"), FORMATS)
def test_each_format_ingests_end_to_end(skills, kind, name):
    company = Company.objects.create(name="Board Owner", slug="board-owner")
    # Lever and Ashby boards do not name their company: a board source is one company's.
    source = Source.objects.create(
        name=name,
        kind=kind,
        location=str(FIXTURES / name),
        company=company if kind in ("lever", "ashby") else None,
    )

    run = source_ingest(source=source, allow_local_files=True)

    assert run.status == IngestRun.Status.SUCCEEDED, run.message
    assert run.created > 0
    assert run.fetched == run.created + run.rejected
    roles = Role.objects.filter(source=source).select_related("company")
    assert roles.count() == run.created
    for role in roles:
        assert role.title and role.company.name
        assert role.origin == Role.Origin.INGEST
        assert role.status in (Role.Status.PUBLISHED, Role.Status.EXPIRED)
        assert role.posted_at is not None
        assert "<script" not in role.description.lower()
    # Fixtures leave out fields on purpose, so not every role has a link; most do. The JSON-LD
    # page links relatively, which only resolves against the URL it was fetched from.
    assert kind == "jsonld" or any(role.canonical_url for role in roles)


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


def test_roles_get_skills_company_and_search_columns(skills, tmp_path):
    source = greenhouse_source(write_feed(tmp_path / "feed.json", [job(1)]))
    ingest(source)

    role = Role.objects.get(source=source)
    assert role.company.name == "Acme AI"
    assert role.canonical_url == "https://boards.greenhouse.io/acme/jobs/9001"
    assert role.status == Role.Status.PUBLISHED
    assert role.country == "DE"
    assert set(role.role_skills.values_list("skill__slug", flat=True)) == {
        "python",
        "pytorch",
        "langchain",
    }
    assert role.skill_text == "LangChain PyTorch Python"
    assert sorted(role.skill_ids) == role.skill_ids and len(role.skill_ids) == 3


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


def test_a_vanished_role_is_closed_and_reopens_when_it_comes_back(skills, tmp_path):
    feed = tmp_path / "feed.json"
    source = greenhouse_source(write_feed(feed, [job(1), job(2)]))
    ingest(source)

    write_feed(feed, [job(1)])
    closing = ingest(source)
    gone = Role.objects.get(external_id="9002")
    assert closing.closed == 1
    assert gone.status == Role.Status.CLOSED and gone.closed_at is not None
    assert Role.objects.open().filter(source=source).count() == 1

    write_feed(feed, [job(1), job(2)])
    reopening = ingest(source)
    back = Role.objects.get(external_id="9002")
    assert (reopening.updated, reopening.closed) == (1, 0)
    assert back.pk == gone.pk
    assert back.status == Role.Status.PUBLISHED and back.closed_at is None


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


def test_an_unreadable_feed_fails_the_run_and_changes_nothing(skills, tmp_path):
    feed = tmp_path / "feed.json"
    source = greenhouse_source(write_feed(feed, [job(1), job(2)]))
    ingest(source)
    before = dump()

    # Truncated half-way: every role would be "missing" if closing ran on a partial parse.
    feed.write_text(json.dumps({"jobs": [job(1, title="Changed")]})[:120])
    truncated = ingest(source)
    feed.unlink()
    missing = ingest(source)

    for run in (truncated, missing):
        assert run.status == IngestRun.Status.FAILED
        assert run.message and run.finished_at
    assert "no such file" in missing.message.lower()
    assert dump() == before


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
    assert resolve("rss", "https://x.example/feed") == "https://x.example/feed"
    with pytest.raises(IngestRefused):
        resolve("rss", "/etc/passwd")


def test_a_feed_over_http_is_not_parsed_again_while_its_etag_holds(skills, httpserver, settings):
    settings.INGEST_ALLOW_LOOPBACK = True
    body = json.dumps({"jobs": [job(1)]})
    httpserver.expect_request("/feed", headers={"If-None-Match": '"v1"'}).respond_with_data(
        "", status=304, headers={"ETag": '"v1"'}
    )
    httpserver.expect_request("/feed").respond_with_data(
        body, content_type="application/json", headers={"ETag": '"v1"'}
    )
    source = Source.objects.create(
        name="Acme", kind="greenhouse", location=httpserver.url_for("/feed")
    )

    first = source_ingest(source=source)
    source.refresh_from_db()
    second = source_ingest(source=source)

    assert first.status == IngestRun.Status.SUCCEEDED and first.created == 1
    assert source.etag == '"v1"'
    assert second.status == IngestRun.Status.NOT_MODIFIED
    assert (second.created, second.updated, second.unchanged) == (0, 0, 0)


def test_the_metadata_address_is_refused(skills, settings):
    settings.INGEST_ALLOW_LOOPBACK = True
    source = Source.objects.create(
        name="Evil", kind="greenhouse", location="http://169.254.169.254/latest/meta-data/"
    )

    run = source_ingest(source=source)

    assert run.status == IngestRun.Status.FAILED
    assert "169.254.169.254" in run.message
    assert not Role.objects.exists()


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


def test_the_same_posting_on_two_sources_is_shown_once(skills, tmp_path):
    first = greenhouse_source(write_feed(tmp_path / "a.json", [job(1)]))
    second = Source.objects.create(
        name="Aggregator",
        kind="greenhouse",
        location=str(
            write_feed(tmp_path / "b.json", [job(1, id=77, absolute_url="https://agg.example/77")])
        ),
    )
    ingest(first)
    ingest(second)

    original = Role.objects.get(source=first)
    copy = Role.objects.get(source=second)
    assert copy.duplicate_of == original
    assert copy.canonical_url == "https://agg.example/77"
    assert list(Role.objects.open()) == [original]

    # When the original closes, the copy takes over.
    write_feed(tmp_path / "a.json", [])
    ingest(first)
    copy.refresh_from_db()
    assert copy.duplicate_of is None
    assert list(Role.objects.open()) == [copy]


def test_different_text_is_not_a_duplicate(skills, tmp_path):
    first = greenhouse_source(write_feed(tmp_path / "a.json", [job(1)]))
    other_text = job(
        1, id=78, content="&lt;p&gt;" + "Completely different words here. " * 20 + "&lt;/p&gt;"
    )
    second = Source.objects.create(
        name="Other", kind="greenhouse", location=str(write_feed(tmp_path / "b.json", [other_text]))
    )
    ingest(first)
    ingest(second)

    assert Role.objects.get(source=second).duplicate_of is None


def test_unknown_skill_terms_are_counted_across_runs(skills, tmp_path):
    feed = tmp_path / "feed.json"
    source = greenhouse_source(write_feed(feed, [job(1), job(2)]))
    ingest(source)
    write_feed(feed, [job(3)])
    ingest(source)

    assert UnknownSkillTerm.objects.get(term="VectorFlow").count == 3


def test_a_curator_rejection_survives_feed_updates(skills, tmp_path):
    feed = tmp_path / "feed.json"
    source = greenhouse_source(write_feed(feed, [job(1)]))
    ingest(source)
    Role.objects.update(status=Role.Status.REJECTED)

    write_feed(feed, [job(1, title="Renamed")])
    ingest(source)

    role = Role.objects.get()
    assert role.title == "Renamed" and role.status == Role.Status.REJECTED


def test_a_past_expiry_date_ingests_as_expired(skills, tmp_path):
    source = greenhouse_source(
        write_feed(
            tmp_path / "feed.json",
            [job(1, first_published="2020-01-02T09:00:00Z", application_deadline="2020-01-31")],
        )
    )
    ingest(source)

    assert Role.objects.get().status == Role.Status.EXPIRED


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


def test_a_csv_upload_goes_through_the_same_pipeline(skills):
    company = Company.objects.create(name="Fjord Intelligence", slug="fjord-intelligence")
    industry = factories.IndustryFactory(name="Energy", slug="energy")

    with (FIXTURES / "csv" / "roles.csv").open("rb") as upload:
        run = csv_upload_ingest(
            source_or_none=None, file=upload, company=company, industry=industry
        )
    with (FIXTURES / "csv" / "roles.csv").open("rb") as upload:
        again = csv_upload_ingest(
            source_or_none=None, file=upload, company=company, industry=industry
        )

    assert run.status == IngestRun.Status.SUCCEEDED and run.created > 0
    assert again.source_id == run.source_id and again.unchanged == run.created
    roles = Role.objects.filter(source=run.source)
    assert set(roles.values_list("company", flat=True)) == {company.pk}
    assert run.source.enabled is False


def test_demo_sources_read_the_feeds_shipped_in_the_repository(skills):
    sources = sources_demo_seed()
    assert sources_demo_seed() == sources

    for source in sources:
        run = source_ingest(source=source)  # scheduled-style: no local-file allowance
        assert run.status == IngestRun.Status.SUCCEEDED, run.message
        assert run.created >= 10


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("writers", [1, 3])
def test_batches_written_beside_normalising_give_the_same_rows(
    skills, tmp_path, monkeypatch, settings, writers
):
    # Outside a test transaction, PostgreSQL runs take the path where writer threads, each with
    # its own connection, upsert batches while the next is normalised.
    settings.INGEST_WRITERS = writers
    monkeypatch.setattr("opportunities.ingest.run.BATCH_SIZE", 2)
    feed = tmp_path / "feed.json"
    source = greenhouse_source(write_feed(feed, [job(n) for n in range(7)]))
    first = ingest(source)
    write_feed(feed, [job(0, title="LLM Lead 0"), *(job(n) for n in range(1, 6))])
    second = ingest(source)
    after = dump()
    third = ingest(source)

    assert (first.created, first.updated, first.unchanged) == (7, 0, 0)
    assert (second.created, second.updated, second.unchanged, second.closed) == (0, 1, 5, 1)
    assert (third.updated, third.unchanged) == (0, 6)
    assert dump() == after
    assert Role.objects.get(external_id="9000").title == "LLM Lead 0"
    assert RoleSkill.objects.filter(role__source=source).count() == 7 * 3


@pytest.mark.parametrize(
    "in_transaction",
    [
        pytest.param(True, id="one batch after another"),
        pytest.param(False, id="batches at once", marks=pytest.mark.django_db(transaction=True)),
    ],
)
def test_companies_across_batches_are_made_once_and_unset_fields_get_defaults(
    skills, tmp_path, monkeypatch, settings, in_transaction
):
    from opportunities.ingest import run as ingest_service

    # Three writers, batches of two: on PostgreSQL outside a transaction, batches naming the
    # same new companies are written at the same time.
    settings.INGEST_WRITERS = 3
    monkeypatch.setattr(ingest_service, "BATCH_SIZE", 2)
    names = ["Acme AI", "Beta Labs", "Acme AI", "Beta Labs", "Acme AI"]
    jobs = [job(n, company_name=name) for n, name in enumerate(names, start=1)]
    source = greenhouse_source(write_feed(tmp_path / "feed.json", jobs))

    run = ingest(source)

    assert run.created == 5
    assert sorted(Company.objects.values_list("name", flat=True)) == ["Acme AI", "Beta Labs"]
    by_external = dict(Role.objects.values_list("external_id", "company__name"))
    assert by_external == {str(9000 + n): name for n, name in enumerate(names, start=1)}
    role = Role.objects.get(external_id="9001")
    assert (role.review_note, role.created_by_id, role.applicant_regions) == ("", None, [])

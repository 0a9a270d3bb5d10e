"""A whole ingest run: fetch or stream, the phases, and the IngestRun it records."""

from __future__ import annotations

import json

import pytest

from opportunities.ingest.run import csv_upload_ingest, source_ingest
from opportunities.models import Company, IngestRun, Role, Source
from tests import factories, paths
from tests.ingest.boards import dump, greenhouse_source, ingest, job, write_feed

FIXTURES = paths.FIXTURES

pytestmark = pytest.mark.django_db


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
    ("hn", "hn/algolia_thread.json"),
    ("hn", "hn/firebase_thread.json"),
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


def test_a_run_left_running_by_a_killed_worker_is_marked_interrupted_by_the_next(skills, tmp_path):
    source = greenhouse_source(write_feed(tmp_path / "feed.json", [job(1)]))
    stale = IngestRun.objects.create(source=source)

    run = ingest(source)

    stale.refresh_from_db()
    assert stale.status == IngestRun.Status.FAILED and stale.finished_at is not None
    assert stale.message.startswith("Interrupted")
    assert run.status == IngestRun.Status.SUCCEEDED and run.created == 1


def test_progress_counts_every_item_parsed(skills, tmp_path):
    source = greenhouse_source(write_feed(tmp_path / "feed.json", [job(n) for n in range(150)]))
    steps: list[int] = []

    run = source_ingest(source=source, allow_local_files=True, progress=steps.append)

    assert steps == [100, 50]
    assert run.fetched == 150


def test_a_run_that_rejects_every_item_fails_and_closes_nothing(skills, tmp_path):
    feed = tmp_path / "feed.json"
    source = greenhouse_source(write_feed(feed, [job(1), job(2)]))
    assert ingest(source).created == 2

    write_feed(feed, [job(1, title=""), job(2, title="   ")])
    run = ingest(source)

    assert run.status == IngestRun.Status.FAILED
    assert (run.fetched, run.rejected) == (2, 2)
    assert run.message.startswith("Every one of the 2 items was rejected, so nothing changed")
    assert "source's kind matches its feed" in run.message
    assert Role.objects.open().filter(source=source).count() == 2


def test_a_hacker_news_thread_ingests_with_its_postings_understood(skills):
    factories.SkillFactory(name="Kubernetes", slug="kubernetes")
    factories.SkillFactory(name="Rust", slug="rust")
    source = Source.objects.create(
        name="HN November", kind="hn", location=str(FIXTURES / "hn" / "algolia_thread.json")
    )

    run = ingest(source)
    again = ingest(source)

    assert run.status == IngestRun.Status.SUCCEEDED, run.message
    # 12 roles from 9 postings; the meta comment is recorded as skipped with its reason.
    assert (run.fetched, run.created, run.rejected) == (13, 12, 1)
    [skipped] = run.errors
    assert skipped["external_id"] == "40005"
    assert skipped["reason"].startswith("not a job posting")
    # Read again, the same thread writes nothing.
    assert (again.status, again.created, again.updated, again.unchanged) == (
        IngestRun.Status.SUCCEEDED,
        0,
        0,
        12,
    )
    assert Role.objects.filter(source=source).count() == 12

    roles = {
        role.external_id: role
        for role in Role.objects.filter(source=source).select_related("company")
    }
    parallax = roles["40001"]
    assert (parallax.title, parallax.company.name) == ("Senior ML Engineer", "Parallax Data")
    assert (parallax.workplace, parallax.city, parallax.country) == (
        "onsite",
        "San Francisco",
        "US",
    )
    assert (parallax.salary_min, parallax.salary_max) == (180_000, 220_000)
    assert (parallax.salary_currency, parallax.salary_period) == ("USD", "year")
    assert set(parallax.skills.values_list("slug", flat=True)) == {
        "python",
        "pytorch",
        "kubernetes",
    }
    assert parallax.canonical_url == "https://news.ycombinator.com/item?id=40001"
    assert parallax.apply_url == "https://parallax.example/careers"

    northwind = roles["40002"]
    assert (northwind.workplace, northwind.worldwide) == ("remote", False)
    assert northwind.applicant_countries == ["US"]
    assert set(northwind.skills.values_list("slug", flat=True)) == {"python", "rust"}

    tessellate = [roles[f"40003-{n}"] for n in (1, 2, 3)]
    assert {role.company_id for role in tessellate} == {tessellate[0].company_id}
    assert tessellate[0].company.name == "Tessellate AI"
    assert {role.title for role in tessellate} == {
        "Senior ML Engineer",
        "Backend Engineer",
        "Product Designer",
    }
    for role in tessellate:
        assert (role.workplace, role.city, role.country) == ("hybrid", "Berlin", "DE")
        assert (role.salary_min, role.salary_max, role.salary_currency) == (80_000, 100_000, "EUR")
        assert set(role.skills.values_list("slug", flat=True)) == {"langchain"}

    fjord = roles["40004"]
    assert fjord.apply_email == "hiring@fjord-intelligence.no"
    assert fjord.workplace == "remote"
    assert "DE" in fjord.applicant_countries and "US" not in fjord.applicant_countries

    kestrel = roles["40007"]
    assert (kestrel.workplace, kestrel.worldwide) == ("remote", True)
    assert (kestrel.salary_min, kestrel.salary_period) == (60, "hour")
    assert kestrel.employment_type == "contract"

    lumen_ml = roles["40008-2"]
    assert (lumen_ml.title, lumen_ml.workplace) == ("ML Engineer", "remote")
    assert lumen_ml.applicant_countries == ["CA"]
    assert (roles["40008-1"].city, roles["40008-1"].workplace) == ("New York", "onsite")

    quill = roles["40010"]
    assert (quill.company.name, quill.city, quill.workplace) == ("Quill", "London", "onsite")
    assert (quill.salary_min, quill.salary_max, quill.salary_currency) == (85_000, 105_000, "GBP")
    for role in roles.values():
        assert "<script" not in role.description.lower()
        assert role.posted_at.year == 2026

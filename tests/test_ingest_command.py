"""manage.py ingest and seed_sources: one synchronous run through the ingest service."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from opportunities.models import IngestRun, Role, Source
from tests import factories, paths

DEMO = paths.ROOT / "opportunities" / "data" / "demo_feeds"

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command("ingest", *args, "--no-progress", stdout=out, stderr=StringIO())
    return out.getvalue()


def test_a_kind_and_a_file_are_ingested_under_a_one_off_source():
    output = run("--kind", "greenhouse", str(DEMO / "greenhouse.json"))

    source = Source.objects.get()
    assert source.enabled is False and source.kind == "greenhouse"
    assert "Succeeded" in output
    assert "10 fetched, 10 created, 0 updated, 0 unchanged, 0 closed, 0 rejected." in output
    assert Role.objects.filter(source=source).count() == 10

    again = run("--kind", "greenhouse", str(DEMO / "greenhouse.json"))
    assert Source.objects.count() == 1
    assert "Not modified" in again


def test_company_and_industry_apply_to_the_roles():
    company = factories.CompanyFactory(name="Tessellate Labs", slug="tessellate-labs")
    industry = factories.IndustryFactory(name="Architecture", slug="architecture")

    run(
        "--kind",
        "lever",
        str(DEMO / "lever.json"),
        "--company",
        company.slug,
        "--industry",
        industry.slug,
    )

    roles = Role.objects.all()
    assert {role.company_id for role in roles} == {company.pk}
    assert {role.industry_id for role in roles} == {industry.pk}


def test_a_configured_source_runs_by_id_and_errors_are_listed(httpserver, settings):
    settings.INGEST_ALLOW_LOOPBACK = True
    httpserver.expect_request("/feed.json").respond_with_json(
        {"jobs": [{"id": 1, "title": "RAG Engineer", "company_name": "Acme"}, {"id": 2}]}
    )
    source = Source.objects.create(
        name="Acme", kind="greenhouse", location=httpserver.url_for("/feed.json")
    )

    output = run("--source", str(source.pk))

    assert "1 created" in output and "1 rejected" in output
    assert "item 2 (id 2):" in output


def test_a_configured_source_with_a_local_path_is_not_read(tmp_path):
    feed = tmp_path / "secret-feed.json"
    feed.write_text(json.dumps({"jobs": [{"id": 1, "title": "Leaked", "company_name": "Acme"}]}))
    source = Source.objects.create(name="Acme", kind="greenhouse", location=str(feed))

    with pytest.raises(CommandError, match="local path"):
        run("--source", str(source.pk))

    assert not Role.objects.exists()
    assert IngestRun.objects.get().status == IngestRun.Status.FAILED


def test_a_failed_run_exits_non_zero_with_the_reason(tmp_path):
    with pytest.raises(CommandError, match=r"(?i)no such file"):
        run("--kind", "rss", str(tmp_path / "missing.xml"))
    assert IngestRun.objects.get().status == IngestRun.Status.FAILED


def test_unknown_names_are_plain_errors():
    with pytest.raises(CommandError, match="no source with id 42"):
        run("--source", "42")
    with pytest.raises(CommandError, match="no company with slug"):
        run("--kind", "rss", "x.xml", "--company", "nobody")
    with pytest.raises(CommandError, match="--source ID, or --kind"):
        run("x.xml")


def test_seed_sources_creates_enabled_demo_sources_once():
    out = StringIO()
    call_command("seed_sources", stdout=out)
    call_command("seed_sources", stdout=StringIO())

    sources = Source.objects.order_by("kind")
    assert [source.kind for source in sources] == ["greenhouse", "lever", "rss"]
    assert all(source.enabled and source.interval_minutes == 5 for source in sources)
    assert all(not Path(source.location).is_absolute() for source in sources)
    assert "demo_feeds/rss.xml" in out.getvalue()

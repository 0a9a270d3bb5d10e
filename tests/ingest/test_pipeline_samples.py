"""Every real payload in ../shared/samples through the whole pipeline, into the database."""

from __future__ import annotations

import json

import pytest

from opportunities.catalog.taxonomy import taxonomy_seed
from opportunities.ingest.run import source_ingest
from opportunities.models import Company, IngestRun, Role, Source
from tests import paths
from tests.ingest.samples import SAMPLES, require_samples

TAXONOMY = paths.ROOT / "opportunities" / "data" / "taxonomy.json"

SAMPLE_FILES = require_samples()
# Board APIs and careers pages serve one company's roles and some payloads never name it:
# the Source does.
BOARD_KINDS = {"greenhouse", "lever", "ashby", "jsonld"}


@pytest.mark.django_db
@pytest.mark.parametrize("name", SAMPLE_FILES)
def test_every_sample_yields_roles_with_a_title_a_company_and_a_link(name, httpserver, settings):
    taxonomy_seed(data=json.loads(TAXONOMY.read_text()))
    kind = name.split("/", 1)[0]
    location = str(SAMPLES / name)
    if kind == "jsonld":
        # A JSON-LD posting's link is the page it was found on, so serve it as a page.
        settings.INGEST_ALLOW_LOOPBACK = True
        httpserver.expect_request("/careers/role").respond_with_data(
            (SAMPLES / name).read_bytes(), content_type="text/html"
        )
        location = httpserver.url_for("/careers/role")
    company = Company.objects.create(name="Board Owner", slug="board-owner")
    source = Source.objects.create(
        name=name,
        kind=kind,
        location=location,
        company=company if kind in BOARD_KINDS else None,
    )

    run = source_ingest(source=source, allow_local_files=True)

    assert run.status == IngestRun.Status.SUCCEEDED, run.message
    assert run.created > 0
    assert run.fetched == run.created + run.rejected
    roles = list(Role.objects.filter(source=source).select_related("company"))
    assert len(roles) == run.created
    for role in roles:
        assert role.title.strip()
        assert role.company.name.strip()
        assert role.canonical_url.startswith(("http://", "https://")), role.external_id
        assert "<script" not in role.description.lower()

    source.etag = source.last_modified = ""
    rerun = source_ingest(source=source, allow_local_files=True)
    assert (rerun.created, rerun.updated, rerun.closed) == (0, 0, 0)
    assert rerun.unchanged == run.created

"""Every parser against the real payloads in ../shared/samples, read in place, never copied."""

from __future__ import annotations

import re

import pytest

from opportunities.ingest.parsers import parse
from opportunities.ingest.parsers.records import ItemError, RawRole
from tests.ingest.samples import SAMPLES, require_samples

SAMPLE_FILES = require_samples()

# Roles each file yields, checked against INDEX.md's "roles" column below.
EXPECTED_ROLES = {
    "greenhouse/board-list-content-2013.json": 2,
    "greenhouse/single-job-questions-2013.json": 1,
    "greenhouse/gitlab-list-2026.json": 200,
    "lever/postings-2015.json": 28,
    "lever/single-posting-2015.json": 1,
    # INDEX counts 8 location groups; the groups hold the same 28 postings as the plain list.
    "lever/postings-grouped-by-location-2015.json": 28,
    "lever/modern-trimmed.json": 1,
    "ashby/cartesia-2025.json": 23,
    "ashby/primeintellect-2025.json": 13,
    "rss/weworkremotely-all-2022.rss": 100,
    "remotive/remote-jobs-2026.json": 31,
    # INDEX counts 97 jobs after the notice; job 1130784 has an empty position and company,
    # so it is reported as an ItemError rather than published untitled.
    "remoteok/api-2026.json": 96,
    "jsonld/schemaorg-example-applicant-location.txt": 1,
    "jsonld/schemaorg-example-qualifications.txt": 1,
}
EXPECTED_ITEM_ERRORS = {"remoteok/api-2026.json": 1}
INDEX_DIFFERENCES = {
    "lever/postings-grouped-by-location-2015.json": "8 groups",
    "remoteok/api-2026.json": "97",
}


def parse_sample(name: str, base_url: str | None = None) -> list[RawRole | ItemError]:
    kind = name.split("/", 1)[0]
    with (SAMPLES / name).open("rb") as stream:
        return list(parse(kind, stream, base_url=base_url))


@pytest.mark.parametrize("name", SAMPLE_FILES)
def test_sample_parses_into_complete_roles(name: str) -> None:
    results = parse_sample(name)
    roles = [result for result in results if isinstance(result, RawRole)]

    assert roles
    for role in roles:
        assert role.title.strip()
        assert role.external_id.strip()
        if name.startswith("jsonld/"):
            # schema.org's examples are bare snippets with no "url"; a real posting's link is
            # the page it was found on, passed as base_url (checked in the next test).
            continue
        assert role.url
        assert role.url.startswith(("http://", "https://"))


@pytest.mark.parametrize("name", [name for name in SAMPLE_FILES if name.startswith("jsonld/")])
def test_json_ld_examples_take_their_link_from_the_page(name: str) -> None:
    page = "https://careers.example/jobs/42"

    roles = [result for result in parse_sample(name, base_url=page) if isinstance(result, RawRole)]

    assert [role.url for role in roles] == [page]


@pytest.mark.parametrize("name", SAMPLE_FILES)
def test_sample_role_count(name: str) -> None:
    results = parse_sample(name)

    assert name in EXPECTED_ROLES, f"add {name} to EXPECTED_ROLES from INDEX.md"
    assert sum(isinstance(result, RawRole) for result in results) == EXPECTED_ROLES[name]
    errors = sum(isinstance(result, ItemError) for result in results)
    assert errors == EXPECTED_ITEM_ERRORS.get(name, 0)


def test_expected_counts_agree_with_the_index() -> None:
    index = (SAMPLES / "INDEX.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\|\s*([\w./-]+\.\w+)\s*\|[^|]*\|\s*([^|]+?)\s*\|", index, re.M)

    listed = dict(rows)
    assert set(listed) == set(EXPECTED_ROLES)
    for name, roles in listed.items():
        assert INDEX_DIFFERENCES.get(name, str(EXPECTED_ROLES[name])) == roles


def test_remoteok_sample_mojibake_is_repaired() -> None:
    roles = [r for r in parse_sample("remoteok/api-2026.json") if isinstance(r, RawRole)]

    assert "Zócalo Health" in {role.company for role in roles}
    assert not any("â€" in role.description_html for role in roles)
    assert not any("Ã³" in (role.company or "") for role in roles)


def test_greenhouse_sample_content_is_unescaped_html() -> None:
    role = parse_sample("greenhouse/board-list-content-2013.json")[0]

    assert role.description_html.startswith("<h3>Who this job is right for</h3>")
    assert "&lt;" not in role.description_html

"""The ingest service over damaged feeds: fuzzed items go through the whole run, into the database.

Each example damages one item of a real fixture (the strategy of test_hostile_fuzz) and ingests
the feed as a Source of its own, on whichever database the suite runs on. Whatever the damage:
the run ends succeeded (one item never fails a feed), the damaged item is stored or recorded
as rejected with a reason, every sibling that the undamaged feed stores is stored, no batch is
half written, and every stored row obeys the rules values meet before the database sees them.
INGEST_FUZZ_EXAMPLES raises the count (bench/RESULTS.md has a 10,000-item run on PostgreSQL).
"""

from __future__ import annotations

import itertools
from datetime import timedelta

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings

from opportunities.ingest.normalise.role import EARLIEST_DATE, TITLE_MAX
from opportunities.ingest.run import source_ingest
from opportunities.models import IngestRun, Role, RoleSkill, Source
from opportunities.text import text_clean
from tests.ingest.test_hostile_fuzz import DOCUMENTS, EXAMPLES, damaged_feeds

pytestmark = pytest.mark.django_db

_numbers = itertools.count()
_stored_undamaged: dict[str, set[str]] = {}


def _ingest(kind: str, data: bytes, tmp_path) -> tuple[Source, IngestRun]:
    number = next(_numbers)
    path = tmp_path / f"feed-{number}.json"
    path.write_bytes(data)
    source = Source.objects.create(name=f"Fuzzed {kind} {number}", kind=kind, location=str(path))
    return source, source_ingest(source=source, allow_local_files=True)


def _external_ids(source: Source) -> set[str]:
    return set(Role.objects.filter(source=source).values_list("external_id", flat=True))


def _assert_rows_storable(source: Source, now) -> None:
    roles = Role.objects.filter(source=source)
    for role in roles:
        for text in (role.title, role.description, role.city, role.region, role.external_id):
            assert text_clean(text) == text, repr(text)
        assert role.title.strip() and len(role.title) <= TITLE_MAX
        assert len(role.external_id) <= 300
        assert role.posted_at is not None
        assert EARLIEST_DATE <= role.posted_at <= now + timedelta(days=366)
        if role.expires_at is not None:
            assert role.expires_at >= role.posted_at
        linked = sorted(
            RoleSkill.objects.filter(role=role).values_list("skill_id", flat=True).distinct()
        )
        assert linked == sorted(role.skill_ids)  # written with its skills, never half


@pytest.fixture
def fuzz_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("fuzz")


@settings(
    max_examples=max(10, EXAMPLES // 4),
    deadline=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.function_scoped_fixture,
    ],
)
@given(feed=damaged_feeds())
def test_a_damaged_item_costs_the_run_at_most_that_item(skills, fuzz_dir, feed) -> None:
    kind, _damaged_index, data = feed
    now = timezone.now()
    if kind not in _stored_undamaged:
        clean_source, clean_run = _ingest(kind, _undamaged(kind), fuzz_dir)
        assert clean_run.status == IngestRun.Status.SUCCEEDED
        _stored_undamaged[kind] = _external_ids(clean_source)

    source, run = _ingest(kind, data, fuzz_dir)

    assert run.status == IngestRun.Status.SUCCEEDED, run.message
    stored = _external_ids(source)
    expected = _stored_undamaged[kind]
    # The damaged item may be lost (rejected, or its id changed): nothing else may be.
    assert len(expected - stored) <= 1
    assert len(stored - expected) <= 1
    assert run.created + run.rejected == run.fetched  # a new Source: every item counted once
    for error in run.errors:
        assert error["reason"] and text_clean(error["reason"]) == error["reason"]
    _assert_rows_storable(source, now)


def _undamaged(kind: str) -> bytes:
    return DOCUMENTS[kind]

"""One bad item costs one item, and every run ends with its cause.

A value the database refuses fails its batch's transaction; the batch is then written item by
item, so its siblings go in and the refused item is recorded on the run. A surprise while
normalising one item is recorded the same way, and an error nobody expected still ends the
run as failed, with the error's name and where the run was.
"""

from __future__ import annotations

import pytest
from django.db import DataError, OperationalError, connection

from opportunities.ingest import read, run, write
from opportunities.ingest.normalise.role import NormaliseError
from opportunities.models import IngestRun, Role, RoleSkill
from tests.ingest.boards import greenhouse_source, ingest, job, write_feed

pytestmark = pytest.mark.django_db

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite stores NUL bytes without complaint"
)


def _refusing(monkeypatch, external_id: str) -> None:
    """The database refuses any upsert that holds this item (as PostgreSQL refuses a NUL)."""
    upsert = write._roles_upsert

    def refusing(records, *, now):
        if any(record["external_id"] == external_id for record in records):
            raise DataError("value too long for type character varying(300)")
        return upsert(records, now=now)

    monkeypatch.setattr(write, "_roles_upsert", refusing)


def _assert_siblings_whole(source, expected_ids: set[str]) -> None:
    roles = Role.objects.filter(source=source)
    assert set(roles.values_list("external_id", flat=True)) == expected_ids
    # Every written role has all its skills: no batch was half written.
    assert RoleSkill.objects.filter(role__source=source).count() == 3 * len(expected_ids)


@pytest.mark.parametrize(
    "threads",
    [
        pytest.param(False, id="one batch after another"),
        pytest.param(True, id="writer threads", marks=pytest.mark.django_db(transaction=True)),
    ],
)
def test_a_refused_item_costs_only_itself(skills, tmp_path, monkeypatch, settings, threads):
    settings.INGEST_WRITERS = 2
    monkeypatch.setattr(read, "BATCH_SIZE", 4)
    _refusing(monkeypatch, "9005")
    source = greenhouse_source(write_feed(tmp_path / "feed.json", [job(n) for n in range(10)]))

    result = ingest(source)

    assert result.status == IngestRun.Status.SUCCEEDED
    assert (result.created, result.rejected) == (9, 1)
    assert result.errors == [
        {
            "position": 5,
            "external_id": "9005",
            "reason": "could not be written: value too long for type character varying(300)",
        }
    ]
    _assert_siblings_whole(source, {str(9000 + n) for n in range(10) if n != 5})


def test_the_refused_item_goes_in_once_the_database_takes_it(skills, tmp_path, monkeypatch):
    feed = tmp_path / "feed.json"
    source = greenhouse_source(write_feed(feed, [job(n) for n in range(3)]))
    with monkeypatch.context() as patch:
        _refusing(patch, "9001")
        first = ingest(source)
    second = ingest(source)

    assert (first.created, first.rejected) == (2, 1)
    # The refused item was never stored, so the next run sees it as new and writes it.
    assert (second.created, second.unchanged, second.rejected) == (1, 2, 0)
    _assert_siblings_whole(source, {"9000", "9001", "9002"})


@on_postgresql
def test_a_nul_that_reaches_postgresql_costs_only_its_item(skills, tmp_path, monkeypatch):
    # The normaliser strips NULs; this puts one back after it, as a future slip would, so the
    # database itself refuses the row.
    row_from = read._row_from

    def with_nul(normalised, **kwargs):
        row = row_from(normalised, **kwargs)
        if row.external_id == "9002":
            row.fields["title"] = "LLM\x00 Engineer"
        return row

    monkeypatch.setattr(read, "_row_from", with_nul)
    source = greenhouse_source(write_feed(tmp_path / "feed.json", [job(n) for n in range(4)]))

    result = ingest(source)

    assert (result.status, result.created, result.rejected) == ("succeeded", 3, 1)
    assert result.errors[0]["external_id"] == "9002"
    assert "could not be written" in result.errors[0]["reason"]
    assert "\x00" not in result.errors[0]["reason"]
    _assert_siblings_whole(source, {"9000", "9001", "9003"})


def test_a_surprise_while_normalising_costs_only_its_item(skills, tmp_path, monkeypatch):
    normalise = read._normalise

    def surprising(raw, *args):
        if raw.external_id == "9001":
            raise TypeError("'NoneType' object is not subscriptable")
        return normalise(raw, *args)

    monkeypatch.setattr(read, "_normalise", surprising)
    source = greenhouse_source(write_feed(tmp_path / "feed.json", [job(n) for n in range(3)]))

    result = ingest(source)

    assert (result.status, result.created, result.rejected) == ("succeeded", 2, 1)
    assert result.errors[0]["external_id"] == "9001"
    assert result.errors[0]["reason"].startswith("could not be normalised: TypeError(")
    _assert_siblings_whole(source, {"9000", "9002"})


def test_a_reason_holding_control_characters_is_stored_clean(skills, tmp_path, monkeypatch):
    # jsonb refuses \u0000: a NUL in a rejection's reason once stopped the run being saved.
    normalise = read._normalise

    def rejecting(raw, *args):
        if raw.external_id == "9000":
            raise NormaliseError("title \x00\x1b[31mis empty\u202e")
        return normalise(raw, *args)

    monkeypatch.setattr(read, "_normalise", rejecting)
    source = greenhouse_source(write_feed(tmp_path / "feed.json", [job(0), job(1)]))

    result = ingest(source)
    result.refresh_from_db()

    assert (result.status, result.created, result.rejected) == ("succeeded", 1, 1)
    assert result.errors[0]["reason"] == "title [31mis empty"


def test_an_unexpected_error_ends_the_run_with_its_cause(skills, tmp_path, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("closing went wrong\x00")

    monkeypatch.setattr(run, "roles_vanished_close", broken)
    source = greenhouse_source(write_feed(tmp_path / "feed.json", [job(0), job(1)]))

    with pytest.raises(RuntimeError):
        ingest(source)

    failed = IngestRun.objects.get(source=source)
    assert failed.status == IngestRun.Status.FAILED
    assert failed.finished_at is not None
    assert failed.message == (
        "Stopped by an unexpected error after 2 items: RuntimeError: closing went wrong"
    )
    # The next run does not relabel it as interrupted: only a killed worker's run is that.
    monkeypatch.undo()
    ingest(source)
    failed.refresh_from_db()
    assert failed.message.startswith("Stopped by an unexpected error")


def test_a_database_outage_is_not_blamed_on_the_item(skills, tmp_path, monkeypatch):
    def outage(records, *, now):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(write, "_roles_upsert", outage)
    source = greenhouse_source(write_feed(tmp_path / "feed.json", [job(0), job(1)]))

    result = ingest(source)

    # Not retried item by item and not recorded as rejected items: the run failed, so the
    # task retries it later.
    assert result.status == IngestRun.Status.FAILED
    assert result.rejected == 0
    assert result.message.startswith("Database error after 2 items:")
    assert not Role.objects.filter(source=source).exists()

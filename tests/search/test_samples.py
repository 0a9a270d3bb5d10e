"""The newest-first samples behind counts, facets and relevance: every way the backend reads
them (walking the date index, a window of the newest roles widened until it holds enough, all
matches at once) gives the same rows, and so the same page."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from opportunities.models import Role
from opportunities.search import service
from opportunities.search.backends import get_backend, postgres
from opportunities.search.backends.postgres import _RoleStats
from opportunities.search.samples import SAMPLE_COLUMNS
from opportunities.search.service import search_roles
from tests import factories

START = datetime(2026, 9, 1, tzinfo=UTC)
COLUMNS = SAMPLE_COLUMNS[:5]  # no skill column: its type differs between databases

# Module settings that send the PostgreSQL backend down each of its three ways; the portable
# backend has one way and must give the same rows under every setting.
REGIMES = {
    "walk the date index": {"WALK_SHARE": 0.0},
    "all matches at once": {"WALK_SHARE": 2.0, "FEW_MATCHES": 10**9},
    # A first window of ~1 % of the roles, widened until it holds enough: several reads.
    "windows, widened": {"WALK_SHARE": 2.0, "FEW_MATCHES": 0, "UNSURE_WINDOW": 0.01},
}


@pytest.fixture
def board(db):
    health = factories.IndustryFactory(name="Healthcare", slug="healthcare")
    finance = factories.IndustryFactory(name="Finance", slug="finance")
    pytorch = factories.SkillFactory(name="PyTorch", slug="pytorch")
    for n in range(60):
        factories.RoleFactory(
            title=f"{'Vision' if n % 3 else 'Speech'} Engineer {n}",
            description=(
                "<p>Computer vision for clinics.</p>" if n % 2 else "<p>Vision, computer aided.</p>"
            ),
            industry=health if n % 4 else finance,
            workplace="remote" if n % 5 else "onsite",
            skills=[pytorch] if n % 2 else [],
            # Two roles share a date (the newest-first order breaks ties by id); the others
            # differ, so ANALYZE writes a histogram of dates for the windows to cut.
            posted_at=START + timedelta(hours=6 if n == 7 else n),
        )
    # One role with no date: newest first puts it before every dated one.
    factories.RoleFactory(
        title="Vision Engineer undated", description="<p>Computer vision.</p>", posted_at=None
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE opportunities_role")
        postgres._STATS.clear()
        assert len(postgres._role_stats("default").bounds) > 10  # windows have dates to use
    postgres._STATS.clear()
    yield {"health": health, "finance": finance}
    postgres._STATS.clear()


def expected_rows(text: str, limit: int) -> list[tuple]:
    backend = get_backend()
    matches = backend.match(Role.objects.open(), text)
    return list(matches.order_by("-posted_at", "-pk").values_list(*COLUMNS)[: limit + 1])


@pytest.mark.parametrize("regime", REGIMES)
@pytest.mark.parametrize("text", ["vision", '"computer vision" -aided', "speech OR clinics"])
@pytest.mark.parametrize("limit", [3, 12, 100])
def test_every_way_of_reading_gives_the_newest_matches(board, monkeypatch, regime, text, limit):
    for name, value in REGIMES[regime].items():
        monkeypatch.setattr(postgres, name, value)
    rows = get_backend().newest_sample(Role.objects.open(), text, COLUMNS, limit)
    assert rows == expected_rows(text, limit)
    assert len(rows) == min(limit + 1, len(expected_rows(text, 1000)))


@pytest.mark.parametrize("regime", REGIMES)
def test_a_narrower_search_is_read_with_the_wider_one(board, monkeypatch, regime):
    for name, value in REGIMES[regime].items():
        monkeypatch.setattr(postgres, name, value)
    finance = board["finance"].pk
    limit = 4

    def narrow(rows):
        return [row for row in rows if row[1] == finance]

    rows = get_backend().newest_sample(Role.objects.open(), "vision", COLUMNS, limit, narrow=narrow)
    assert rows[: limit + 1] == expected_rows("vision", limit)
    # Whatever more the backend returned is the continuation of the same order...
    assert rows == expected_rows("vision", len(rows) - 1)
    # ...so the rows of the narrower search among them are its newest, when they are enough.
    narrower = list(
        get_backend()
        .match(Role.objects.open().filter(industry=finance), "vision")
        .order_by("-posted_at", "-pk")
        .values_list(*COLUMNS)[: limit + 1]
    )
    if len(narrow(rows)) > limit:
        assert narrow(rows)[: limit + 1] == narrower
    if connection.vendor == "postgresql" and regime == "windows, widened":
        assert len(narrow(rows)) > limit  # the window was widened for the narrower search


@pytest.mark.parametrize("regime", REGIMES)
@pytest.mark.parametrize(
    "params",
    [
        {"q": "vision"},
        {"q": "vision", "sort": "newest"},
        {"q": "vision", "industry": "finance"},
        {"q": "vision", "industry": "healthcare", "workplace": "remote", "skill": "pytorch"},
        {"q": '"computer vision" -aided', "workplace": "onsite"},
    ],
)
def test_search_page_is_the_same_whichever_way_samples_are_read(board, monkeypatch, regime, params):
    monkeypatch.setattr(service, "SAMPLE", 5)
    plain = search_roles(params, page_size=3)
    for name, value in REGIMES[regime].items():
        monkeypatch.setattr(postgres, name, value)
    tuned = search_roles(params, page_size=3)
    assert [role.pk for role in tuned.roles] == [role.pk for role in plain.roles]
    assert (tuned.count, tuned.count_is_estimate) == (plain.count, plain.count_is_estimate)
    assert tuned.facets == plain.facets
    assert plain.roles  # every search here has matches


def test_posted_since_cuts_the_statistics_into_shares():
    bounds = tuple(START + timedelta(days=day) for day in range(11))  # ten equal shares
    stats = _RoleStats(rows=1000, bounds=bounds)
    assert stats.posted_since(0.5) == START + timedelta(days=5)
    assert stats.posted_since(0.3) == START + timedelta(days=7)
    # Within the newest share the date is interpolated.
    assert stats.posted_since(0.05) == START + timedelta(days=9, hours=12)
    assert stats.posted_since(1.0) is None
    assert stats.posted_since(3.0) is None
    assert _RoleStats(rows=0, bounds=()).posted_since(0.1) is None


@pytest.mark.skipif(connection.vendor != "postgresql", reason="estimates come from PostgreSQL")
def test_each_estimate_is_asked_once_per_search(board, monkeypatch):
    monkeypatch.setattr(service, "SAMPLE", 3)
    with CaptureQueriesContext(connection) as captured:
        result = search_roles({"q": "vision", "industry": "healthcare"})
    assert result.count_is_estimate and result.facets_are_estimates
    explains = [query["sql"] for query in captured if query["sql"].startswith("EXPLAIN")]
    # One for the full search, one for the search without its facet filters.
    assert len(explains) == 2


@pytest.mark.parametrize("regime", REGIMES)
def test_roles_posted_after_the_statistics_were_taken_are_found(board, monkeypatch, regime):
    for name, value in REGIMES[regime].items():
        monkeypatch.setattr(postgres, name, value)
    get_backend().newest_sample(Role.objects.open(), "vision", COLUMNS, 3)  # statistics read
    newer = [
        factories.RoleFactory(
            title=f"Vision Lead {n}", posted_at=START + timedelta(days=30, hours=n)
        )
        for n in range(3)
    ]
    rows = get_backend().newest_sample(Role.objects.open(), "vision", COLUMNS, 3)
    assert rows == expected_rows("vision", 3)
    assert {row[0] for row in rows} >= {role.pk for role in newer}


def test_without_statistics_every_match_is_read(db, monkeypatch):
    monkeypatch.setattr(postgres, "WALK_SHARE", 2.0)
    monkeypatch.setattr(postgres, "FEW_MATCHES", 0)
    for n in range(8):
        factories.RoleFactory(title=f"Vision Engineer {n}", posted_at=START + timedelta(hours=n))
    postgres._STATS.clear()
    try:
        rows = get_backend().newest_sample(Role.objects.open(), "vision", COLUMNS, 5)
    finally:
        postgres._STATS.clear()
    assert rows == expected_rows("vision", 5)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="windows are PostgreSQL's")
def test_a_short_window_is_widened_by_reading_only_older_roles(board, monkeypatch):
    for name, value in REGIMES["windows, widened"].items():
        monkeypatch.setattr(postgres, name, value)
    text = '"computer vision" -aided'  # a phrase: the first window is 1 % of the roles
    with CaptureQueriesContext(connection) as captured:
        rows = get_backend().newest_sample(Role.objects.open(), text, COLUMNS, 12)
    reads = [query["sql"] for query in captured if "ORDER BY" in query["sql"]]
    assert len(reads) > 1
    # After the first, each read starts where the previous window began.
    assert all('"posted_at" <' in sql for sql in reads[1:])
    assert rows == expected_rows(text, 12)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="windows are PostgreSQL's")
def test_the_window_is_sized_for_the_narrower_search_when_told_its_estimate(board, monkeypatch):
    for name, value in REGIMES["windows, widened"].items():
        monkeypatch.setattr(postgres, name, value)
    finance = board["finance"].pk

    def narrow(rows):
        return [row for row in rows if row[1] == finance]

    def reads(**estimates) -> tuple[int, list[tuple]]:
        with CaptureQueriesContext(connection) as captured:
            rows = get_backend().newest_sample(
                Role.objects.open(), "vision", COLUMNS, 4, narrow=narrow, **estimates
            )
        return sum("ORDER BY" in query["sql"] for query in captured), rows

    told, rows = reads(estimate=lambda: 40, narrow_estimate=lambda: 10)
    untold, same = reads(estimate=lambda: 40)
    assert told == 1 < untold
    assert narrow(rows)[:5] == narrow(same)[:5]
    assert len(narrow(rows)) > 4

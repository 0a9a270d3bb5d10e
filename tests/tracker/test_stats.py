"""A developer's numbers, from their stage history."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from opportunities.tracker import services
from opportunities.tracker.stats import numbers

NOW = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)  # a Wednesday


def rows(*histories):
    """(id, stage, at, source) rows from (source, [(days ago, stage), ...]) histories."""
    return [
        (n, stage, NOW - timedelta(days=days), source)
        for n, (source, steps) in enumerate(histories)
        for days, stage in steps
    ]


def test_response_rate_funnel_and_weeks():
    result = numbers(
        rows(
            ("board", [(20, "saved"), (19, "applied"), (10, "interviewing"), (2, "offer")]),
            ("board", [(9, "saved"), (8, "applied"), (1, "rejected")]),
            ("referral", [(5, "saved"), (1, "applied")]),
            ("other_site", [(3, "saved")]),
        ),
        now=NOW,
    )
    assert result.overall.applied == 3
    assert result.overall.answered == 2
    assert result.overall.response_rate == 67
    assert result.overall.funnel == {"applied": 3, "interviewing": 1, "offer": 1, "accepted": 0}
    by_source = {n.source: n for n in result.by_source}
    assert set(by_source) == {"board", "referral"}  # the saved-only source applied nowhere
    assert by_source["board"].response_rate == 100 and by_source["referral"].response_rate == 0
    weeks = dict(result.weeks)
    assert len(result.weeks) == 12
    assert weeks[datetime(2026, 11, 30).date()] == 1  # applied a day ago, this week
    assert weeks[datetime(2026, 11, 23).date()] == 1  # eight days ago
    assert weeks[datetime(2026, 11, 9).date()] == 1  # nineteen days ago
    assert sum(weeks.values()) == 3


def test_time_in_each_stage_is_the_mean_of_the_spells():
    result = numbers(
        rows(("board", [(10, "saved"), (6, "applied")]), ("board", [(4, "saved"), (2, "applied")])),
        now=NOW,
    )
    spells = {label: (days, count) for label, days, count in result.days_in_stage}
    assert spells["Saved"] == (3.0, 2)  # 4 and 2 days
    assert spells["Applied"] == (4.0, 2)  # 6 and 2 days, up to now


def test_pace_and_time_in_each_stage_by_source():
    result = numbers(
        rows(
            ("board", [(10, "saved"), (6, "applied")]),
            ("board", [(4, "saved"), (2, "applied")]),
            ("referral", [(30, "saved"), (20, "applied"), (5, "interviewing")]),
            ("referral", [(200, "saved"), (120, "applied")]),  # applied before the 12 weeks
        ),
        now=NOW,
    )
    by_source = {n.source: n for n in result.by_source}
    stages = dict(zip(result.stages, by_source["board"].days_by_stage, strict=True))
    assert by_source["board"].recent == 2 and by_source["board"].per_week == 0.2
    assert (stages["Saved"], stages["Applied"], stages["Interviewing"]) == (3.0, 4.0, None)
    referral = dict(zip(result.stages, by_source["referral"].days_by_stage, strict=True))
    assert by_source["referral"].recent == 1  # the one applied 20 days ago
    assert referral["Saved"] == 45.0  # 10 and 80 days
    assert referral["Applied"] == 67.5  # 15 days, and 120 up to now
    assert referral["Interviewing"] == 5.0


def test_no_history_is_empty():
    result = numbers([], now=NOW)
    assert result.empty and result.overall.response_rate is None


@pytest.mark.django_db
def test_the_numbers_page_has_charts_with_tables_and_their_data(owner_client, developer):
    entry = services.opportunity_create(
        user=developer,
        title="A",
        company_name="X",
        stage="applied",
        at=timezone.now() - timedelta(days=3),
    ).opportunity
    services.opportunity_move(user=developer, opportunity_id=entry.pk, stage="interviewing")
    body = owner_client.get(reverse("tracker_numbers")).content.decode()
    # Four charts; tables for weeks, the funnel by source, stages, and pace by source.
    assert body.count("<canvas") == 4 and body.count('<table class="data">') == 4
    assert "Applications a week" in body and "Days interviewing" in body
    assert '<script id="tracker-chart-data" type="application/json">' in body
    assert 'src="/static/vendor/chart.umd.min.js"' in body
    assert "response rate <strong>100%</strong>" in body


@pytest.mark.django_db
def test_the_numbers_page_without_applications_says_how_to_start(owner_client):
    body = owner_client.get(reverse("tracker_numbers")).content.decode()
    assert "No numbers yet." in body and "<canvas" not in body

"""The daily beat task and the rebuild command run the same idempotent services."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from opportunities.insights.tasks import insights_daily
from opportunities.models import InsightRun, InsightWeek
from tests.factories import RoleFactory, SkillFactory

pytestmark = pytest.mark.django_db


def weeks() -> list[tuple]:
    return sorted(InsightWeek.objects.values_list("skill_id", "week", "open_roles", "new_roles"))


def test_the_first_daily_run_rebuilds_and_a_second_adds_nothing():
    RoleFactory(skills=[SkillFactory()])
    first = insights_daily()
    assert first["kind"] == InsightRun.Kind.REBUILD
    built = weeks()
    assert built
    second = insights_daily()
    assert second["kind"] == InsightRun.Kind.INCREMENTAL
    assert weeks() == built


def test_the_command_rebuilds_or_runs_the_daily_step():
    RoleFactory(skills=[SkillFactory()])
    out = StringIO()
    call_command("insights_rebuild", "--quiet", stdout=out)
    assert out.getvalue().startswith("Full rebuild: 1 role read")
    call_command("insights_rebuild", "--incremental", "--quiet", stdout=out)
    assert "Incremental:" in out.getvalue()
    assert list(InsightRun.objects.values_list("kind", flat=True)) == ["incremental", "rebuild"]

"""The insights' beat task: the daily incremental run."""

from __future__ import annotations

from celery import shared_task

from opportunities.enqueue import INSIGHTS_DAILY
from opportunities.insights.services import insights_update


@shared_task(
    name=INSIGHTS_DAILY,
    autoretry_for=(Exception,),
    retry_backoff=True,
    max_retries=5,
    soft_time_limit=20 * 60,
    time_limit=25 * 60,
    acks_late=True,
)
def insights_daily() -> dict[str, object]:
    """Idempotent: the run diffs each role against its stored history in one transaction, so
    a retry or a second delivery finds nothing left to add."""
    run = insights_update()
    return {"run": run.pk, "kind": run.kind, "roles_read": run.roles_read}

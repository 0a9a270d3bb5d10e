"""Matching tasks: load by id, call one matching service; safe to run twice."""

from __future__ import annotations

from celery import shared_task
from django.db import OperationalError

from ..services import matching as services

RETRY = {
    "acks_late": True,
    "autoretry_for": (OperationalError,),
    "retry_backoff": True,
    "retry_backoff_max": 300,
    "retry_jitter": True,
    "max_retries": 5,
}


@shared_task(**RETRY, soft_time_limit=120, time_limit=180)
def match_roles_task(role_ids: list[int]) -> dict:
    """Match new or changed roles against every profile (closed ones lose their matches)."""
    summary = services.match_roles(role_ids=role_ids)
    return {"written": summary.written, "deleted": summary.deleted, "roles": summary.objects}


@shared_task(**RETRY, soft_time_limit=60, time_limit=120)
def match_profile_task(profile_id: int) -> dict:
    """Rematch one changed profile against every open role."""
    summary = services.match_profile(profile_id=profile_id)
    return {"written": summary.written, "deleted": summary.deleted}


@shared_task(**RETRY, soft_time_limit=50 * 60, time_limit=55 * 60)
def match_all_task() -> dict:
    """Rematch every profile; for scoring changes and large imports."""
    summary = services.match_all()
    return {"written": summary.written, "deleted": summary.deleted, "profiles": summary.objects}

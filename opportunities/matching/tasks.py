"""Matching tasks: load by id, call one rematch function; safe to run twice."""

from __future__ import annotations

from celery import shared_task
from django.db import OperationalError

from opportunities import enqueue
from opportunities.matching import rematch

RETRY = {
    "acks_late": True,
    "autoretry_for": (OperationalError,),
    "retry_backoff": True,
    "retry_backoff_max": 300,
    "retry_jitter": True,
    "max_retries": 5,
}


@shared_task(name=enqueue.MATCH_ROLES, **RETRY, soft_time_limit=120, time_limit=180)
def match_roles_task(role_ids: list[int]) -> dict:
    """Match new or changed roles against every profile (closed ones lose their matches)."""
    summary = rematch.match_roles(role_ids=role_ids)
    return {"written": summary.written, "deleted": summary.deleted, "roles": summary.objects}


@shared_task(name=enqueue.MATCH_PROFILE, **RETRY, soft_time_limit=60, time_limit=120)
def match_profile_task(profile_id: int) -> dict:
    """Rematch one changed profile against every open role."""
    summary = rematch.match_profile(profile_id=profile_id)
    return {"written": summary.written, "deleted": summary.deleted}


@shared_task(name=enqueue.MATCH_PROFILES, **RETRY, soft_time_limit=10 * 60, time_limit=12 * 60)
def match_profiles_task(profile_ids: list[int]) -> dict:
    """Rematch one batch of profiles against every open role (a share of a full rematch)."""
    summary = rematch.match_profiles(profile_ids=profile_ids)
    return {"written": summary.written, "deleted": summary.deleted, "profiles": summary.objects}


@shared_task(name=enqueue.MATCH_ALL, **RETRY, soft_time_limit=5 * 60, time_limit=6 * 60)
def match_all_task(batch_size: int = 2000) -> dict:
    """Rematch every profile (for scoring changes and large imports): tidy up, then queue one
    batch task per ``batch_size`` profiles so every worker process takes a share."""
    profile_ids, deleted = rematch.match_all_prepare()
    chunks = rematch.batches(profile_ids, batch_size)
    for chunk in chunks:
        match_profiles_task.delay(chunk)
    return {"deleted": deleted, "batches": len(chunks), "profiles": len(profile_ids)}

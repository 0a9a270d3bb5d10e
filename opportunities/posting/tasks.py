"""Posting's beat task: expire roles whose date has come, warn recruiters three days before."""

from __future__ import annotations

from celery import shared_task

from opportunities.enqueue import POSTING_EXPIRE_ROLES
from opportunities.posting.services import roles_expire, roles_warn_expiring


@shared_task(
    name=POSTING_EXPIRE_ROLES,
    autoretry_for=(Exception,),
    retry_backoff=True,
    max_retries=5,
    soft_time_limit=300,
    time_limit=360,
)
def expire_roles() -> dict[str, int]:
    """Both steps are idempotent: an expired role is not expired again, a warned one not
    warned again."""
    return {"expired": roles_expire(), "warned": roles_warn_expiring()}

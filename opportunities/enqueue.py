"""The one way a service hands work to Celery: a task by name, sent once the data is committed.

Services never import task modules (the tasks import the services), so they name the task.
A task whose module this process has loaded is sent through it, which honours
``task_always_eager``; otherwise the broker gets the name and a worker finds the task.
"""

from __future__ import annotations

from functools import partial

from celery import current_app
from django.db import transaction

# Task names: each tasks.py registers its task under the name given here.
INGEST_SOURCE = "opportunities.ingest.source"
INGEST_DUE_SOURCES = "opportunities.ingest.due_sources"
MATCH_ROLES = "opportunities.matching.match_roles"
MATCH_PROFILE = "opportunities.matching.match_profile"
MATCH_PROFILES = "opportunities.matching.match_profiles"
MATCH_ALL = "opportunities.matching.match_all"
ALERTS_SEND_DIGESTS = "opportunities.alerts.send_digests"
ALERTS_SEND_USER_DIGEST = "opportunities.alerts.send_user_digest"
POSTING_EXPIRE_ROLES = "opportunities.posting.expire_roles"
INSIGHTS_DAILY = "opportunities.insights.daily"
PING = "opportunities.ping"


def enqueue_on_commit(task_name: str, *args: object, using: str | None = None) -> None:
    """Send the named task with these arguments when the current transaction commits.

    Outside a transaction it is sent at once, as Django's on_commit does.
    """
    transaction.on_commit(partial(send, task_name, args), using=using)


def send(task_name: str, args: tuple) -> None:
    """Send the named task now."""
    current_app.signature(task_name, args=args).apply_async()

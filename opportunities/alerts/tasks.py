"""Alert tasks: beat fans a digest run out to one task per user; each is safe to run twice."""

from __future__ import annotations

from celery import shared_task
from django.contrib.auth import get_user_model
from django.db import OperationalError
from django.utils import timezone

from opportunities import enqueue
from opportunities.alerts.digest import digest_send
from opportunities.alerts.selectors import digest_recipients


@shared_task(
    name=enqueue.ALERTS_SEND_DIGESTS, ignore_result=True, soft_time_limit=240, time_limit=300
)
def send_digests_task(frequency: str) -> int:
    """Queue one digest task per user with alerts at this frequency; returns how many."""
    user_ids = digest_recipients(frequency=frequency)
    for user_id in user_ids:
        send_user_digest_task.delay(user_id, frequency)
    return len(user_ids)


# acks_late: a worker that dies mid-digest leaves the message to be redelivered, which is
# harmless because digest_send leaves out every role already recorded as sent.
@shared_task(
    name=enqueue.ALERTS_SEND_USER_DIGEST,
    ignore_result=True,
    acks_late=True,
    autoretry_for=(OperationalError, OSError),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=5,
    soft_time_limit=120,
    time_limit=180,
)
def send_user_digest_task(user_id: int, frequency: str) -> int:
    """Send one user's digest at this frequency; returns the number of roles sent."""
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return 0
    return digest_send(user=user, frequency=frequency, now=timezone.now())

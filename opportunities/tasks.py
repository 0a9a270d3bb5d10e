"""A task that proves a worker is consuming the broker, without touching the database."""

from __future__ import annotations

from pathlib import Path

from celery import shared_task

from opportunities import enqueue


@shared_task(name=enqueue.PING, ignore_result=True, soft_time_limit=20, time_limit=30)
def ping_task(token: str, proof_path: str) -> str:
    """Write `token` to `proof_path`, so whoever sent it can see that a worker ran it."""
    path = Path(proof_path)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(token)
    # Rename so a reader never sees a half-written file.
    tmp.replace(path)
    return token

"""A worker SIGKILLed in the middle of an ingest loses nothing and duplicates nothing.

Runs only with a real broker and PostgreSQL (both shared with a real worker process):

    CELERY_BROKER_URL=redis://127.0.0.1:6379/13 \
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/genai_ingest \
        .venv/bin/python -m pytest tests/test_worker_kill.py
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.db import connection

from opportunities.ingest import run as services
from opportunities.ingest.tasks import ingest_source_task
from opportunities.models import IngestRun, Role, RoleSkill, Source
from tests import factories, paths

ROOT = paths.ROOT
ROLES = 1500
DEADLINE = 90  # seconds for the kill-and-redeliver part; the brief allows 60 on an idle machine

pytestmark = [
    pytest.mark.broker,
    pytest.mark.skipif(
        not os.environ.get("CELERY_BROKER_URL", "").startswith("redis"),
        reason="needs CELERY_BROKER_URL pointing at Redis",
    ),
    pytest.mark.django_db(transaction=True),
]


def feed(count: int) -> bytes:
    jobs = [
        {
            "id": 700_000 + n,
            "title": f"LLM Engineer {n}",
            "company_name": f"Company {n % 40}",
            "absolute_url": f"https://boards.greenhouse.io/acme/jobs/{700_000 + n}",
            "location": {"name": ["Berlin, Germany", "Remote (US only)", "London, UK"][n % 3]},
            "content": "&lt;p&gt;"
            + f"Posting {n}: build retrieval with Python and PyTorch. " * 30
            + "&lt;/p&gt;&lt;ul&gt;&lt;li&gt;LangChain&lt;/li&gt;&lt;/ul&gt;",
        }
        for n in range(count)
    ]
    return json.dumps({"jobs": jobs}).encode()


def snapshot(source: Source) -> list[tuple]:
    """The rows one source owns, without ids and timestamps that differ between runs."""
    roles = list(
        Role.objects.filter(source=source)
        .order_by("external_id")
        .values_list(
            "external_id",
            "title",
            "description",
            "company__slug",
            "status",
            "workplace",
            "country",
            "content_hash",
            "skill_ids",
            "skill_text",
            "closed_at",
        )
    )
    skills = list(
        RoleSkill.objects.filter(role__source=source)
        .order_by("role__external_id", "skill__slug")
        .values_list("role__external_id", "skill__slug", "kind")
    )
    return roles + skills


def start_worker(queue: str, env: dict[str, str], log: Path) -> subprocess.Popen:
    with log.open("ab") as output:  # the child keeps its own copy of the descriptor
        return _popen(queue, env, output)


def _popen(queue: str, env: dict[str, str], output) -> subprocess.Popen:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "genai_jobs",
            "worker",
            "-Q",
            queue,
            "--concurrency=1",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "--loglevel=INFO",
        ],
        cwd=ROOT,
        env=env,
        stdout=output,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group, so SIGKILL reaches the pool child too
    )


def stop(worker: subprocess.Popen) -> None:
    if worker.poll() is None:
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(10)


def wait_for(condition, *, until: float, step: float = 0.02):
    while time.monotonic() < until:
        value = condition()
        if value:
            return value
        time.sleep(step)
    return None


def test_a_killed_worker_leaves_exactly_what_one_clean_run_leaves(
    httpserver, monkeypatch, tmp_path
):
    if connection.vendor != "postgresql":
        pytest.skip("the worker needs a database it can share: set DATABASE_URL (PostgreSQL)")
    started = time.monotonic()
    deadline = started + DEADLINE
    for name in ("Python", "PyTorch", "LangChain"):
        factories.SkillFactory(name=name, slug=name.lower())
    httpserver.expect_request("/feed").respond_with_data(
        feed(ROLES), content_type="application/json"
    )
    source = Source.objects.create(
        name="Big board", kind="greenhouse", location=httpserver.url_for("/feed")
    )
    db = connection.settings_dict
    queue = f"ingest-kill-{uuid.uuid4().hex[:8]}"
    env = {
        **os.environ,
        "DATABASE_URL": (
            f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
        ),
        "INGEST_ALLOW_LOOPBACK": "1",
        # Redelivery of an unacknowledged task waits this long; the default is an hour.
        "CELERY_VISIBILITY_TIMEOUT": "4",
    }
    log = tmp_path / "workers.log"
    first = start_worker(queue, env, log)
    second = None
    try:
        ingest_source_task.apply_async(args=[source.pk], queue=queue)
        written = wait_for(
            lambda: Role.objects.filter(source=source).count(), until=deadline, step=0.01
        )
        assert written, "the first worker never wrote a batch"
        os.killpg(first.pid, signal.SIGKILL)
        first.wait(10)
        killed_at = Role.objects.filter(source=source).count()
        assert killed_at < ROLES, "the run finished before the worker could be killed"
        assert IngestRun.objects.get(source=source).status == IngestRun.Status.RUNNING

        second = start_worker(queue, env, log)
        finished = wait_for(
            lambda: IngestRun.objects.filter(
                source=source, status=IngestRun.Status.SUCCEEDED
            ).first(),
            until=deadline,
            step=0.2,
        )
        assert finished, "not redelivered and finished in time:\n" + log.read_text()[-3000:]
    finally:
        stop(first)
        if second is not None:
            stop(second)

    interrupted = IngestRun.objects.get(source=source, status=IngestRun.Status.FAILED)
    assert "Interrupted" in interrupted.message
    assert (finished.created, finished.unchanged) == (ROLES - killed_at, killed_at)
    # Batches the killed worker committed are found unchanged, the rest are created.

    # One clean run of the same feed into a twin source, in this process.
    monkeypatch.setattr(services, "matching_enqueue", lambda role_ids: None)
    monkeypatch.setattr("django.conf.settings.INGEST_ALLOW_LOOPBACK", True)
    twin = Source.objects.create(
        name="Twin", kind="greenhouse", location=httpserver.url_for("/feed")
    )
    clean = services.source_ingest(source=twin)
    assert clean.status == IngestRun.Status.SUCCEEDED and clean.created == ROLES

    assert Role.objects.filter(source=source).count() == ROLES
    assert snapshot(source) == snapshot(twin)

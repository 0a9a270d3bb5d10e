"""A real Celery worker, on a real broker, picks up a task sent from here and runs it."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid

import pytest

from opportunities.tasks import ping_task
from tests import paths

ROOT = paths.ROOT
BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")

needs_broker = pytest.mark.skipif(
    not BROKER_URL,
    reason="needs a real broker: set CELERY_BROKER_URL (redis://… or amqp://…) to run it",
)


def test_celery_discovers_the_health_task():
    from genai_jobs.celery import app

    app.loader.import_default_modules()
    assert "opportunities.ping" in app.tasks


@pytest.mark.broker
@needs_broker
def test_a_real_worker_runs_a_task_sent_through_the_broker(tmp_path):
    queue = f"test-ping-{uuid.uuid4().hex[:12]}"
    token = uuid.uuid4().hex
    proof = tmp_path / "proof.txt"
    log = (tmp_path / "worker.log").open("w")
    env = os.environ | {"GENAI_VAR_DIR": str(tmp_path / "var")}
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "genai_jobs",
            "worker",
            "--pool=solo",
            "-Q",
            queue,
            "--loglevel=INFO",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "-n",
            f"{queue}@%h",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        ping_task.apply_async(args=[token, str(proof)], queue=queue)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not proof.exists():
            assert worker.poll() is None, (tmp_path / "worker.log").read_text()
            time.sleep(0.2)
        assert proof.exists(), (tmp_path / "worker.log").read_text()
        assert proof.read_text() == token
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=15)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait(timeout=5)
        log.close()

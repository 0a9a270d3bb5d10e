"""Every task's soft time limit comes before its hard one, or Celery refuses to run it.

A task that sets only time_limit inherits CELERY_TASK_SOFT_TIME_LIMIT (25 minutes); when its
own time_limit is shorter, the worker rejects every message for it ("soft_time_limit must be
less than or equal to time_limit"), as it once did for every beat-sent digest.
"""

from __future__ import annotations

from genai_jobs.celery import app


def test_every_task_has_its_soft_limit_within_its_hard_limit():
    app.loader.import_default_modules()
    ours = {name: task for name, task in app.tasks.items() if name.startswith("opportunities.")}
    assert len(ours) >= 10
    wrong = []
    for name, task in sorted(ours.items()):
        soft = task.soft_time_limit or app.conf.task_soft_time_limit
        hard = task.time_limit or app.conf.task_time_limit
        if soft and hard and soft > hard:
            wrong.append(f"{name}: soft {soft} s after hard {hard} s")
    assert wrong == []

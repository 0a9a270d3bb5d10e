"""The Celery application; configuration comes from Django settings (CELERY_* names)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "genai_jobs.settings")

app = Celery("genai_jobs")
app.config_from_object("django.conf:settings", namespace="CELERY")
# Each area keeps its tasks in its own tasks.py.
app.autodiscover_tasks(
    [
        "opportunities",
        "opportunities.ingest",
        "opportunities.matching",
        "opportunities.alerts",
        "opportunities.posting",
        "opportunities.insights",
    ]
)

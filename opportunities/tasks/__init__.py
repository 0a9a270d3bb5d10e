"""Celery tasks: thin adapters that load by id and call one service."""

from . import alerts  # noqa: F401
from . import health  # noqa: F401
from . import ingest  # noqa: F401
from . import matching  # noqa: F401

"""Celery tasks: thin adapters that load by id and call one service."""

from . import alerts, health, ingest, matching

__all__ = ["alerts", "health", "ingest", "matching"]

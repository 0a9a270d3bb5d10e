"""Celery tasks: thin adapters that load by id and call one service."""

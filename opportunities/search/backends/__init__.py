"""Search backends: one small interface, a PostgreSQL backend and a portable fallback.

settings.SEARCH_BACKEND names a backend class by dotted path, or "auto" (the default) for
the PostgreSQL backend on PostgreSQL and the portable one anywhere else.
"""

from __future__ import annotations

from functools import cache

from django.conf import settings
from django.db import connections
from django.utils.module_loading import import_string

from opportunities.search.backends.base import ParsedQuery, SearchBackend, parse_websearch
from opportunities.search.backends.portable import PortableSearchBackend
from opportunities.search.backends.postgres import PostgresSearchBackend


@cache
def _backend_for(path: str, vendor: str) -> SearchBackend:
    if path == "auto":
        return PostgresSearchBackend() if vendor == "postgresql" else PortableSearchBackend()
    return import_string(path)()


def get_backend(using: str = "default") -> SearchBackend:
    """The configured backend for this database connection."""
    path = getattr(settings, "SEARCH_BACKEND", "auto") or "auto"
    return _backend_for(path, connections[using].vendor)


__all__ = [
    "ParsedQuery",
    "PortableSearchBackend",
    "PostgresSearchBackend",
    "SearchBackend",
    "get_backend",
    "parse_websearch",
]

"""Alert writes: saving a search keeps what is searched for, not where the page was."""

from __future__ import annotations

import pytest

from opportunities.alerts import services

pytestmark = pytest.mark.django_db


def test_saved_search_create_keeps_the_query_without_paging(dev):
    search = services.saved_search_create(
        user=dev, query="?q=pytorch&workplace=remote&page=3&after=abc&industry="
    )
    assert search.query == "q=pytorch&workplace=remote"
    assert search.name == "pytorch"
    assert search.frequency == "daily"
    assert search.last_run_at is None


def test_saved_search_names_and_queries_lose_control_characters(dev):
    saved = services.saved_search_create(
        user=dev, query="q=rag\x0b&workplace=remote", name="RAG\x00 jobs\x1b"
    )
    assert saved.name == "RAG jobs"
    assert saved.query == "q=rag&workplace=remote"

    renamed = services.saved_search_update(
        saved_search=saved, user=dev, name="\x0cRemote", frequency="weekly"
    )
    assert renamed.name == "Remote"

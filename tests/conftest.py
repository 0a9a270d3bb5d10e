"""Shared pytest fixtures."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from opportunities import enqueue
from opportunities.matching import store
from opportunities.matching.live import matching_index_reset
from opportunities.posting import stats
from tests import factories


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Tests hash many passwords; a fast hasher keeps them quick (never used outside tests)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def user(db):
    return factories.UserFactory()


@pytest.fixture
def company(db):
    return factories.CompanyFactory(name="Acme Health AI", slug="acme-health-ai")


@pytest.fixture
def role(db, company):
    return factories.RoleFactory(company=company)


@pytest.fixture(autouse=True)
def _fresh_matching_index():
    """Each test starts without a per-process matching index (or skill slugs by id) read from
    another test's rows: a transactional test's ids are used again by the next."""
    matching_index_reset()
    store._skill_slugs.clear()
    yield
    matching_index_reset()
    store._skill_slugs.clear()


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The cache holds the API's throttle counts: no test inherits another's requests."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def enqueued(monkeypatch) -> list[tuple[str, tuple]]:
    """Tasks sent through opportunities.enqueue, as (task name, arguments), instead of Celery."""
    sent: list[tuple[str, tuple]] = []
    monkeypatch.setattr(enqueue, "send", lambda name, args: sent.append((name, args)))
    return sent


@pytest.fixture(autouse=True)
def _search_appearances_written_at_once(settings, monkeypatch):
    """Tests see each search page's appearances written by that request, and no buffer
    carries one test's counts into another's database."""
    settings.ROLE_STATS_BUFFER_SECONDS = 0
    monkeypatch.setattr(stats, "APPEARANCES", stats.AppearanceBuffer())

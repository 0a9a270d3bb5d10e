"""Fixtures for the alert tests: a developer, saved searches made a while ago, a beat run."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.utils import timezone

from opportunities.alerts import services
from opportunities.alerts import tasks as alert_tasks
from opportunities.alerts.selectors import digest_recipients
from opportunities.models import SavedSearch
from tests import factories


@pytest.fixture
def dev(db):
    return factories.UserFactory(username="dev@example.com", email="dev@example.com")


@pytest.fixture
def saved(db) -> Callable[..., SavedSearch]:
    """A saved search made `age` ago, so roles published since then are new to it."""

    def make(user, query: str, name: str, frequency: str = "daily", age=timedelta(hours=2)):
        search = services.saved_search_create(
            user=user, query=query, name=name, frequency=frequency
        )
        SavedSearch.objects.filter(pk=search.pk).update(created_at=timezone.now() - age)
        search.refresh_from_db()
        return search

    return make


@pytest.fixture
def run_beat(db) -> Callable[[str], None]:
    """What beat does: fan out, then each per-user task runs (here in this process)."""

    def run(frequency: str) -> None:
        for user_id in digest_recipients(frequency=frequency):
            alert_tasks.send_user_digest_task.run(user_id, frequency)

    return run

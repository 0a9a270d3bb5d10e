"""Fixtures of the tracker's tests: a developer, another developer, and board roles."""

from __future__ import annotations

import pytest

from tests import factories


@pytest.fixture
def developer(db):
    return factories.UserFactory(username="dev")


@pytest.fixture
def other_developer(db):
    return factories.UserFactory(username="other")


@pytest.fixture
def board_role(db):
    company = factories.CompanyFactory(name="Acme AI")
    return factories.RoleFactory(company=company, title="LLM Engineer")


@pytest.fixture
def owner_client(client, developer):
    client.force_login(developer)
    return client

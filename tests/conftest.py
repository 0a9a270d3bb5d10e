"""Shared pytest fixtures."""

from __future__ import annotations

import pytest

from tests import factories


@pytest.fixture
def user(db):
    return factories.UserFactory()


@pytest.fixture
def company(db):
    return factories.CompanyFactory(name="Acme Health AI", slug="acme-health-ai")


@pytest.fixture
def role(db, company):
    return factories.RoleFactory(company=company)

"""Fixtures of the API tests: tokens, and a client that sends one."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from opportunities.api.services import api_token_create
from tests import factories


@pytest.fixture
def developer(db):
    return factories.UserFactory(username="dev@example.com", email="dev@example.com")


@pytest.fixture
def write_token(developer):
    return api_token_create(user=developer, name="script", scope="read_write")


@pytest.fixture
def read_token(developer):
    return api_token_create(user=developer, name="reader", scope="read")


def bearer(secret: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


@pytest.fixture
def api():
    return APIClient()

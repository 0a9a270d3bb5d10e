"""Throttles: per token, and per address without one, counted on the cache."""

from __future__ import annotations

import pytest

from opportunities.api.services import api_token_create
from tests import factories
from tests.api.conftest import bearer

pytestmark = pytest.mark.django_db


@pytest.fixture
def tight(settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"token": "3/hour", "address": "2/hour"},
    }


def test_an_address_without_a_token_is_throttled_with_a_problem(client, tight):
    assert [client.get("/api/v1/industries/").status_code for _ in range(2)] == [200, 200]

    response = client.get("/api/v1/industries/")

    assert response.status_code == 429
    assert response["Content-Type"] == "application/problem+json"
    assert int(response["Retry-After"]) > 0
    assert response.json()["retry_after"] == int(response["Retry-After"])
    # Another address is counted apart.
    assert client.get("/api/v1/industries/", REMOTE_ADDR="192.0.2.9").status_code == 200


def test_each_token_has_its_own_count_whatever_the_address(client, write_token, tight):
    headers = bearer(write_token.secret)
    codes = [
        client.get("/api/v1/me/tracker/", REMOTE_ADDR=f"192.0.2.{n}", **headers).status_code
        for n in range(4)
    ]
    assert codes == [200, 200, 200, 429]

    other = api_token_create(user=factories.UserFactory(), name="other", scope="read")
    assert client.get("/api/v1/me/tracker/", **bearer(other.secret)).status_code == 200

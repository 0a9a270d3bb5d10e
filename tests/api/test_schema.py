"""The whole OpenAPI description run against the API: no 500, and every response conforms
(status, content type, headers and body as the description declares them)."""

from __future__ import annotations

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import negative_data_rejection, positive_data_acceptance

from opportunities.api.services import api_token_create
from opportunities.models import CompanyMembership, ProfileSkill, TrackedOpportunity
from tests import factories

# Read when the module is collected: serving the description touches no database.
schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", get_wsgi_application())


@pytest.fixture
def _connection_kept():
    """Requests go through the real WSGI handler, whose request signals close the database
    connection (and with it the test's transaction, on PostgreSQL); Django's test client
    keeps it the same way, by leaving those signals unconnected while it calls the app."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def board(db, _connection_kept):
    """A developer who recruits too, with a profile, a tracked role and a token; some roles."""
    python = factories.SkillFactory(name="Python", slug="python")
    factories.SkillAliasFactory(skill=python, name="py")
    company = factories.CompanyFactory(name="Acme", slug="acme")
    roles = [factories.RoleFactory(company=company, skills=[python]) for _ in range(3)]
    user = factories.UserFactory(username="dev@example.com", email="dev@example.com")
    profile = factories.DeveloperProfileFactory(user=user)
    ProfileSkill.objects.create(profile=profile, skill=python, level="expert")
    CompanyMembership.objects.create(user=user, company=company, role="owner")
    TrackedOpportunity.objects.create(user=user, role=roles[0], title="T", company_name="Acme")
    return api_token_create(user=user, name="schemathesis", scope="read_write").secret


@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_every_operation_conforms(case, board, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"token": "100000/hour", "address": "100000/hour"},
    }
    response = case.call_and_validate(
        headers={"Authorization": f"Bearer {board}"},
        # Left out on purpose, the two checks that ask the description to be the whole of the
        # rules: like the search page, the API ignores parameters it does not know and reads a
        # bad search value as "left out" (saying so in `errors`); and a body the description
        # admits may still break a rule it cannot state (an unknown role id, a title of spaces,
        # an address longer than a host name may be), which is a 400 problem.
        excluded_checks=[negative_data_rejection, positive_data_acceptance],
    )
    # Beyond the checks above (which raise on a miss): no answer is a server error, and every
    # error is a problem document.
    assert response.status_code < 500
    if response.status_code >= 400:
        assert response.headers["content-type"][0].startswith("application/problem+json")


def test_the_description_marks_public_reads_open_and_own_data_token_only(client):
    description = client.get("/api/v1/schema/?format=json").json()
    security = {
        (path, method): operation.get("security")
        for path, methods in description["paths"].items()
        for method, operation in methods.items()
    }
    bearer = {"personalAccessToken": []}
    for path in ("/api/v1/roles/", "/api/v1/roles/{id}/", "/api/v1/skills/"):
        assert security[(path, "get")] == [bearer, {}], path
    for path in ("/api/v1/me/tracker/", "/api/v1/me/profile/", "/api/v1/hiring/stats/"):
        assert security[(path, "get")] == [bearer], path
    problem = description["paths"]["/api/v1/me/tracker/"]["post"]["responses"]
    assert set(problem) >= {"200", "201", "400", "401", "403", "429"}
    assert list(problem["401"]["content"]) == ["application/problem+json"]

"""Personal access tokens: made on /me/api-tokens/, kept hashed, scoped, revoked at once."""

from __future__ import annotations

import hashlib

import pytest

from opportunities.api.services import ApiTokenError, api_token_create, api_token_revoke
from opportunities.models import ApiToken, TrackedOpportunity
from tests import factories
from tests.api.conftest import bearer

pytestmark = pytest.mark.django_db


def test_the_page_shows_a_new_token_once_and_keeps_only_its_hash(client, developer):
    client.force_login(developer)
    response = client.post("/me/api-tokens/", {"name": "My laptop", "scope": "read"})

    assert response.status_code == 201
    assert response["Cache-Control"] == "no-store"
    secret = response.context["secret"]
    assert secret.startswith("gj_") and secret in response.content.decode()
    token = ApiToken.objects.get(user=developer)
    assert token.name == "My laptop" and token.scope == "read"
    assert token.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret.startswith(token.prefix) and len(token.prefix) < len(secret)
    # Listed again later by its name and prefix, never its secret.
    listing = client.get("/me/api-tokens/").content.decode()
    assert "My laptop" in listing and token.prefix in listing and secret not in listing


def test_a_token_without_a_name_is_refused_on_the_page(client, developer):
    client.force_login(developer)
    response = client.post("/me/api-tokens/", {"name": "   ", "scope": "read"})
    assert response.status_code == 400
    assert not ApiToken.objects.exists()


def test_a_revoked_token_stops_working_at_once(client, developer, write_token):
    headers = bearer(write_token.secret)
    assert client.get("/api/v1/me/tracker/", **headers).status_code == 200
    client.force_login(developer)

    response = client.post(f"/me/api-tokens/{write_token.token.pk}/revoke/")

    assert response.status_code == 302
    refused = client.get("/api/v1/me/tracker/", **headers)
    assert refused.status_code == 401
    assert refused["Content-Type"] == "application/problem+json"
    assert "revoked" in refused.json()["detail"]
    assert refused["WWW-Authenticate"].startswith("Bearer")


def test_only_its_owner_revokes_a_token(client, write_token):
    stranger = factories.UserFactory()
    client.force_login(stranger)
    assert client.post(f"/me/api-tokens/{write_token.token.pk}/revoke/").status_code == 404
    with pytest.raises(ApiTokenError):
        api_token_revoke(token=write_token.token, user=stranger)
    write_token.token.refresh_from_db()
    assert write_token.token.is_active


def test_a_read_token_reads_but_may_not_write(client, read_token, role):
    headers = bearer(read_token.secret)
    assert client.get("/api/v1/me/tracker/", **headers).status_code == 200

    response = client.post(
        "/api/v1/me/tracker/", {"role_id": role.pk}, content_type="application/json", **headers
    )

    assert response.status_code == 403
    assert response.json()["title"] == "Forbidden"
    assert not TrackedOpportunity.objects.exists()


def test_a_read_write_token_writes_as_its_user(client, developer, write_token, role):
    response = client.post(
        "/api/v1/me/tracker/",
        {"role_id": role.pk, "notes": "Ask about the team"},
        content_type="application/json",
        **bearer(write_token.secret),
    )
    assert response.status_code == 201
    entry = TrackedOpportunity.objects.get()
    assert entry.user == developer and entry.role == role and entry.notes == "Ask about the team"


def test_an_unknown_token_or_a_deactivated_user_is_refused(client, developer, write_token):
    assert client.get("/api/v1/me/profile/", **bearer("gj_nothing")).status_code == 401
    developer.is_active = False
    developer.save()
    assert client.get("/api/v1/me/profile/", **bearer(write_token.secret)).status_code == 401


def test_a_bad_token_on_a_public_read_is_refused_not_ignored(client, role):
    assert client.get("/api/v1/roles/", **bearer("gj_wrong")).status_code == 401
    assert client.get("/api/v1/roles/").status_code == 200


def test_a_use_is_noted_on_the_token(client, write_token):
    assert write_token.token.last_used_at is None
    client.get("/api/v1/me/tracker/", **bearer(write_token.secret))
    write_token.token.refresh_from_db()
    assert write_token.token.last_used_at is not None


def test_the_scope_must_be_one_of_the_two(developer):
    with pytest.raises(ApiTokenError):
        api_token_create(user=developer, name="x", scope="admin")

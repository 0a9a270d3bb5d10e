"""Writes of personal access tokens: create (the secret is shown once), revoke, note a use."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.utils import timezone

from opportunities.access import can_manage_tokens, owns_token
from opportunities.models import ApiToken
from opportunities.text import text_clean

# Every token starts with this, so a secret scanner (or a person) can tell what it is.
TOKEN_PREFIX = "gj_"  # noqa: S105 - a label, not a secret
# Characters of the token kept in clear, beside the hash, to tell tokens apart in a list.
VISIBLE = 8
# A token's last use is written at most this often: not one UPDATE per API call.
TOUCH_EVERY = timedelta(minutes=5)
MAX_TOKENS = 50


class ApiTokenError(ValueError):
    """A token could not be made or changed; the message says why, in plain words."""


@dataclass(frozen=True, slots=True)
class NewToken:
    token: ApiToken
    secret: str  # shown to its owner once, never stored


def api_token_hash(secret: str) -> str:
    """What is kept of a token's secret."""
    return hashlib.sha256(secret.encode()).hexdigest()


def api_token_create(*, user: AbstractBaseUser, name: str, scope: str) -> NewToken:
    """Make a token for the user; the returned secret is the only copy there will be."""
    if not can_manage_tokens(user):
        raise ApiTokenError("Sign in to make a token.")
    name = text_clean(name).strip()[:100]
    if not name:
        raise ApiTokenError("Give the token a name, so you know later what uses it.")
    if scope not in ApiToken.Scope.values:
        raise ApiTokenError(f"“{scope}” is not a scope; use read or read_write.")
    if ApiToken.objects.of_user(user).active().count() >= MAX_TOKENS:
        raise ApiTokenError(f"You have {MAX_TOKENS} tokens already; revoke one first.")
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name,
        scope=scope,
        prefix=secret[: len(TOKEN_PREFIX) + VISIBLE],
        token_hash=api_token_hash(secret),
    )
    return NewToken(token, secret)


def api_token_revoke(*, token: ApiToken, user: AbstractBaseUser) -> ApiToken:
    """Revoke the user's token; it stops working at once. Revoking twice changes nothing."""
    if not owns_token(user, token):
        raise ApiTokenError("That token is not yours.")
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def api_token_touch(*, token: ApiToken) -> None:
    """Note that the token was used now (at most once every few minutes)."""
    now = timezone.now()
    if token.last_used_at is not None and now - token.last_used_at < TOUCH_EVERY:
        return
    token.last_used_at = now
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)

"""Reads of personal access tokens."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Prefetch, QuerySet

from opportunities.api.services import TOKEN_PREFIX, api_token_hash
from opportunities.models import ApiToken, Company, Industry, Skill, SkillAlias


def api_token_by_secret(secret: str) -> ApiToken | None:
    """The live token with this secret, with its user; None for anything else."""
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > 200:
        return None
    return (
        ApiToken.objects.active()
        .select_related("user")
        .filter(token_hash=api_token_hash(secret))
        .first()
    )


def api_tokens_of(*, user: AbstractBaseUser) -> QuerySet[ApiToken]:
    """The user's tokens, newest first, revoked ones included (they show as revoked)."""
    return ApiToken.objects.of_user(user)


def api_token_of(*, user: AbstractBaseUser, pk: int) -> ApiToken | None:
    return ApiToken.objects.of_user(user).filter(pk=pk).first()


# The taxonomy and companies, as the API lists them.


def industries_listed() -> QuerySet[Industry]:
    """Active industries by name."""
    return Industry.objects.filter(active=True).order_by("name")


def skills_listed() -> QuerySet[Skill]:
    """Active skills by name, with their aliases."""
    return (
        Skill.objects.active()
        .prefetch_related(Prefetch("aliases", queryset=SkillAlias.objects.order_by("name")))
        .order_by("name")
    )


def companies_listed() -> QuerySet[Company]:
    """Every company on the board (each has a public page)."""
    return Company.objects.all()

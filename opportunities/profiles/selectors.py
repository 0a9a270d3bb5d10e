"""Profile reads: a developer's own profile, and the skills its form offers."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet

from opportunities.models import DeveloperProfile, Skill


def developer_profile_get(*, user: AbstractBaseUser) -> DeveloperProfile | None:
    """The user's profile, or None if they have not made one."""
    return DeveloperProfile.objects.filter(user=user).first()


def developer_profile_for_edit(*, user: AbstractBaseUser) -> DeveloperProfile | None:
    """The user's profile with the industries and skills its form shows, or None."""
    return (
        DeveloperProfile.objects.filter(user=user)
        .prefetch_related("industries", "profile_skills__skill")
        .first()
    )


def skill_names() -> QuerySet:
    """Names of every active skill, for the profile form's list of suggestions."""
    return Skill.objects.active().values_list("name", flat=True)


def skill_suggestions(*, text: str, limit: int) -> list[Skill]:
    """Up to ``limit`` active skills whose name or alias contains ``text``; none for no text."""
    if not text:
        return []
    return list(Skill.objects.active().named_like(text).order_by("name")[:limit])

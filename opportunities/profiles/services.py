"""Profile writes: a developer editing what they offer and what they want."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from opportunities.enqueue import MATCH_PROFILE, enqueue_on_commit
from opportunities.models import AlertPreference, DeveloperProfile, Industry, ProfileSkill, Skill
from opportunities.text import text_clean


def profile_update(
    *,
    user: AbstractBaseUser,
    display_name: str = "",
    headline: str = "",
    skills: Iterable[tuple[Skill, str, int]] = (),
    industries: Iterable[Industry] = (),
    workplace_preference: str = "hybrid_ok",
    needs_worldwide: bool = False,
    city: str = "",
    country: str = "",
    timezone: str = "",
    salary_floor: int | None = None,
    salary_currency: str = "USD",
    seniority: str = "",
    discoverable: bool = False,
) -> DeveloperProfile:
    """Create or replace the user's profile, skills (skill, level, years) included; rematch."""
    skills = list(skills)
    with transaction.atomic():
        profile, _ = DeveloperProfile.objects.select_for_update().get_or_create(user=user)
        profile.display_name = text_clean(display_name).strip()
        profile.headline = text_clean(headline).strip()
        profile.workplace_preference = workplace_preference
        profile.needs_worldwide = needs_worldwide
        profile.city = text_clean(city).strip()
        profile.country = country.upper()
        profile.timezone = timezone
        profile.salary_floor = salary_floor
        profile.salary_currency = salary_currency.upper()
        profile.seniority = seniority
        profile.discoverable = discoverable
        profile.full_clean(exclude=["user"])
        profile.save()
        profile.industries.set(list(industries))
        ProfileSkill.objects.filter(profile=profile).exclude(
            skill__in=[skill for skill, _, _ in skills]
        ).delete()
        if skills:
            ProfileSkill.objects.bulk_create(
                [
                    ProfileSkill(profile=profile, skill=skill, level=level, years=years)
                    for skill, level, years in skills
                ],
                update_conflicts=True,
                unique_fields=["profile", "skill"],
                update_fields=["level", "years"],
            )
        # Someone with a profile hears about new matches unless they turn it off.
        AlertPreference.objects.get_or_create(user=user)
        _enqueue_rematch(profile.id)
    return profile


def _enqueue_rematch(profile_id: int) -> None:
    """Rematch the profile once the transaction commits."""
    enqueue_on_commit(MATCH_PROFILE, profile_id)


def developer_profile_ensure(
    *,
    user: AbstractBaseUser,
    skills: dict[Skill, tuple[str, int]],
    industries: list[Industry],
    **fields,
) -> tuple[DeveloperProfile, bool]:
    """The user's profile, created with these fields and skills (level, years) if missing."""
    with transaction.atomic():
        profile = DeveloperProfile.objects.filter(user=user).first()
        if profile is not None:
            return profile, False
        profile = DeveloperProfile.objects.create(user=user, **fields)
        ProfileSkill.objects.bulk_create(
            ProfileSkill(profile=profile, skill=skill, level=level, years=years)
            for skill, (level, years) in skills.items()
        )
        profile.industries.set(industries)
    return profile, True

"""Account writes: users and developers' profiles."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, Group
from django.db import transaction

from ..models import DeveloperProfile, Industry, ProfileSkill, Skill


def user_ensure(
    *,
    username: str,
    email: str,
    password: str,
    is_staff: bool = False,
    is_superuser: bool = False,
    groups: list[Group] | None = None,
) -> tuple[AbstractBaseUser, bool]:
    """The user with this username, created with these details if missing; (user, created)."""
    User = get_user_model()
    with transaction.atomic():
        user = User.objects.filter(username=username).first()
        if user is not None:
            return user, False
        user = User(username=username, email=email, is_staff=is_staff or is_superuser)
        user.is_superuser = is_superuser
        user.set_password(password)
        user.save()
        if groups:
            user.groups.add(*groups)
    return user, True


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

"""Account writes: a developer signing up, and the demo accounts seeding creates."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, Group
from django.db import transaction


def user_signup(*, email: str, password: str) -> AbstractBaseUser:
    """A new developer account whose username is their e-mail address."""
    User = get_user_model()
    email = User.objects.normalize_email(email).strip()
    with transaction.atomic():
        user = User(username=email.lower(), email=email)
        user.set_password(password)
        user.full_clean(exclude=["password"])
        user.save()
    return user


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

"""Account writes: a developer signing up."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
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

"""Account writes: signing up (confirmed by e-mail), and the demo accounts seeding creates."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import AbstractBaseUser, Group
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlencode, urlsafe_base64_decode, urlsafe_base64_encode


class SignupTokenGenerator(PasswordResetTokenGenerator):
    """One-time tokens for the link that confirms a sign-up.

    Its own salt, so a password-reset token is no sign-up token; the hash covers the password
    and whether the account is active, so the link stops working once it has been used or a
    later sign-up for the same address has chosen another password.
    """

    key_salt = "accounts.services.SignupTokenGenerator"

    def _make_hash_value(self, user: AbstractBaseUser, timestamp: int) -> str:
        return f"{super()._make_hash_value(user, timestamp)}{user.is_active}"


signup_token_generator = SignupTokenGenerator()


def _is_pending(user: AbstractBaseUser) -> bool:
    """An account made by signing up whose owner has not yet followed the e-mailed link."""
    return not user.is_active and user.last_login is None


def user_signup(*, email: str, password: str, next_url: str = "") -> None:
    """Ask for an account; the answer goes to the address, never to whoever typed it.

    A new address gets an inactive account and a link that activates it; an address whose
    sign-up is still unconfirmed gets the new password and a fresh link; an address that
    already has an account gets a "someone tried to sign up with your address" e-mail. The
    caller shows the same page in all three cases, so sign-up never tells whether an address
    has an account (password reset does not either).
    """
    User = get_user_model()
    email = User.objects.normalize_email(email).strip()
    with transaction.atomic():
        existing = (
            User.objects.select_for_update()
            .filter(Q(username__iexact=email) | Q(email__iexact=email))
            .first()
        )
        if existing is None:
            user = User(username=email.lower(), email=email, is_active=False)
            user.set_password(password)
            user.full_clean(exclude=["password"])
            user.save()
        elif _is_pending(existing):
            user = existing
            user.set_password(password)
            user.save(update_fields=["password"])
        else:
            user = None
            # Hash the password anyway, so this answer takes as long as the others.
            make_password(password)
    # Sent after the commit, so the link never names an account that is not there.
    if user is not None:
        _signup_confirm_email(user, next_url=next_url).send()
    elif existing.is_active:
        _signup_attempt_email(existing).send()


def user_signup_confirm(*, user: AbstractBaseUser) -> None:
    """Activate an account whose owner followed the link from the sign-up e-mail."""
    if not user.is_active:
        user.is_active = True
        user.save(update_fields=["is_active"])


def signup_user_for_link(*, uidb64: str, token: str) -> AbstractBaseUser | None:
    """The pending account a sign-up link names, or None if the link is wrong or used up."""
    User = get_user_model()
    try:
        pk = urlsafe_base64_decode(uidb64).decode()
        user = User.objects.get(pk=pk)
    except (TypeError, ValueError, OverflowError, UnicodeDecodeError, User.DoesNotExist):
        return None
    if not _is_pending(user) or not signup_token_generator.check_token(user, token):
        return None
    return user


def _email(*, user: AbstractBaseUser, template: str, context: dict) -> EmailMultiAlternatives:
    context = {"email": user.email, "site_url": settings.SITE_URL, **context}
    subject = " ".join(render_to_string(f"email/{template}_subject.txt", context).split())
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(f"email/{template}.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email],
    )
    message.attach_alternative(render_to_string(f"email/{template}.html", context), "text/html")
    return message


def _signup_confirm_email(user: AbstractBaseUser, *, next_url: str) -> EmailMultiAlternatives:
    path = reverse(
        "signup_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": signup_token_generator.make_token(user),
        },
    )
    if next_url:
        path += "?" + urlencode({"next": next_url})
    return _email(
        user=user, template="signup_confirm", context={"confirm_url": settings.SITE_URL + path}
    )


def _signup_attempt_email(user: AbstractBaseUser) -> EmailMultiAlternatives:
    return _email(
        user=user,
        template="signup_attempt",
        context={
            "login_url": settings.SITE_URL + reverse("login"),
            "password_reset_url": settings.SITE_URL + reverse("password_reset"),
        },
    )


def user_password_set(*, user: AbstractBaseUser, password: str) -> None:
    """Give the user a new password (seeding replacing a published one, for instance)."""
    user.set_password(password)
    user.save(update_fields=["password"])


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


def user_delete(*, user: AbstractBaseUser) -> None:
    """Delete the account and everything that is the user's alone: profile, matches, alerts,
    saved searches and the whole tracker (its rows cascade from the user)."""
    with transaction.atomic():
        get_user_model().objects.filter(pk=user.pk).delete()

"""Unsubscribe links: signed tokens naming what to turn off, described and applied."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.db import transaction
from django.urls import reverse

from opportunities.models import AlertFrequency, AlertPreference, SavedSearch

UNSUBSCRIBE_SALT = "opportunities.alerts.unsubscribe"


class UnsubscribeTarget:
    """What an unsubscribe link turns off: one saved search, new-match alerts, or all."""

    MATCHES = "matches"
    ALL = "all"

    @staticmethod
    def search(saved_search_id: int) -> str:
        return f"search:{saved_search_id}"


def unsubscribe_token(*, user_id: int, target: str) -> str:
    """A signed token naming the user and what to turn off; it cannot be altered or forged."""
    return signing.dumps({"u": user_id, "t": target}, salt=UNSUBSCRIBE_SALT)


def unsubscribe_token_read(token: str) -> tuple[int, str]:
    """(user id, target) from a token; raises signing.BadSignature if it was tampered with."""
    data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    if not isinstance(data, dict) or not isinstance(data.get("u"), int):
        raise signing.BadSignature("Unexpected unsubscribe payload.")
    target = data.get("t")
    if target not in (UnsubscribeTarget.MATCHES, UnsubscribeTarget.ALL) and not (
        isinstance(target, str) and target.startswith("search:") and target[7:].isdigit()
    ):
        raise signing.BadSignature("Unexpected unsubscribe target.")
    return data["u"], target


def unsubscribe_url(*, user_id: int, target: str) -> str:
    token = unsubscribe_token(user_id=user_id, target=target)
    return settings.SITE_URL + reverse("alert_unsubscribe", kwargs={"token": token})


def unsubscribe_describe(*, user_id: int, target: str) -> str:
    """What the link turns off, in words: "e-mails for your saved search 'Remote PyTorch'"."""
    if target == UnsubscribeTarget.ALL:
        return "all alert e-mails (saved searches and new matches)"
    if target == UnsubscribeTarget.MATCHES:
        return "e-mails about new matches for your profile"
    saved_search = SavedSearch.objects.filter(pk=int(target[7:]), user_id=user_id).first()
    if saved_search is None:
        return "e-mails for a saved search you have since deleted"
    return f"e-mails for your saved search “{saved_search.name}”"


def unsubscribe_apply(*, user_id: int, target: str) -> None:
    """Turn off what the token names; doing it twice is harmless."""
    if not get_user_model().objects.filter(pk=user_id).exists():
        return
    with transaction.atomic():
        if target in (UnsubscribeTarget.MATCHES, UnsubscribeTarget.ALL):
            AlertPreference.objects.update_or_create(
                user_id=user_id, defaults={"match_frequency": AlertFrequency.OFF}
            )
        if target == UnsubscribeTarget.ALL:
            SavedSearch.objects.filter(user_id=user_id).update(frequency=AlertFrequency.OFF)
        elif target.startswith("search:"):
            SavedSearch.objects.filter(user_id=user_id, pk=int(target[7:])).update(
                frequency=AlertFrequency.OFF
            )

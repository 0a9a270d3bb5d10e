"""A developer's writes on their matches: dismissing (saving one is tracking its role)."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser

from opportunities.models import Match


class MatchPermissionError(PermissionError):
    """Someone acting on a match that is not theirs."""


def _own(match: Match, user: AbstractBaseUser) -> None:
    if match.profile.user_id != user.pk:
        raise MatchPermissionError("Only the developer can change their own match.")


def match_dismiss(*, match: Match, user: AbstractBaseUser, dismissed: bool = True) -> Match:
    """Hide a match from the developer's list (or bring it back)."""
    _own(match, user)
    match.dismissed = dismissed
    match.save(update_fields=["dismissed", "updated_at"])
    return match

"""Alert reads: who gets a digest, what a saved search newly finds, a user's new matches."""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Q, QuerySet
from django.http import QueryDict

from opportunities.models import (
    AlertDelivery,
    AlertFrequency,
    AlertPreference,
    Match,
    Role,
    SavedSearch,
    Skill,
)
from opportunities.search.service import search_roles

# A saved search looks at this many of the newest roles it finds on each run.
SEARCH_WINDOW = 100
# Per digest, at most this many roles per saved search and this many matches.
MAX_PER_SEARCH = 20
MAX_MATCHES = 20
DEFAULT_MATCH_FREQUENCY = AlertFrequency.DAILY
DEFAULT_MIN_SCORE = 70


def saved_searches_of(*, user: AbstractBaseUser) -> QuerySet[SavedSearch]:
    """Every saved search of this user, and no one else's."""
    return SavedSearch.objects.filter(user=user)


def saved_search_list(*, user: AbstractBaseUser) -> QuerySet[SavedSearch]:
    """The user's saved searches, by name."""
    return saved_searches_of(user=user).order_by("name", "id")


def alert_preference_get(*, user: AbstractBaseUser) -> AlertPreference:
    """The user's match-alert setting, unsaved defaults if they never chose."""
    preference = AlertPreference.objects.filter(user=user).first()
    return preference or AlertPreference(
        user=user, match_frequency=DEFAULT_MATCH_FREQUENCY, min_score=DEFAULT_MIN_SCORE
    )


def digest_recipients(*, frequency: str) -> list[int]:
    """Ids of active users with something to hear about at this frequency."""
    if frequency == AlertFrequency.OFF:
        return []
    wants = Q(saved_searches__frequency=frequency) | Q(alert_preference__match_frequency=frequency)
    if frequency == DEFAULT_MATCH_FREQUENCY:
        # A developer who has a profile but never chose hears about matches by default.
        wants |= Q(alert_preference__isnull=True, developer_profile__isnull=False)
        # Tracker reminders ride with the match alerts, profile or not.
        wants |= Q(alert_preference__isnull=True, tracked_opportunities__isnull=False)
    users = get_user_model().objects.filter(wants, is_active=True).exclude(email="")
    return sorted(set(users.values_list("pk", flat=True)))


def digest_saved_searches(*, user: AbstractBaseUser, frequency: str) -> list[SavedSearch]:
    """The user's saved searches that alert at this frequency, oldest first."""
    return list(
        SavedSearch.objects.filter(user=user, frequency=frequency).order_by("created_at", "id")
    )


def digest_new_matches(
    *, user: AbstractBaseUser, min_score: int, since: datetime | None, until: datetime
) -> list[Match]:
    """The user's best visible, active matches from ``min_score`` up, updated in (since, until]."""
    matches = (
        Match.objects.visible()
        .active()
        .filter(profile__user=user, score__gte=min_score, updated_at__lte=until)
        .select_related("role__company")
        .ranked()
    )
    if since is not None:
        matches = matches.filter(updated_at__gt=since)
    return list(matches[:MAX_MATCHES])


def delivered_role_ids(*, user: AbstractBaseUser, role_ids: list[int]) -> set[int]:
    """Which of these roles were already sent to the user."""
    return set(
        AlertDelivery.objects.filter(user=user, role_id__in=role_ids).values_list(
            "role_id", flat=True
        )
    )


def skill_names(matches: list[Match]) -> dict[str, str]:
    """Slug to name of every skill the matches' explanations name."""
    slugs = {
        slug
        for match in matches
        for key in ("matched_required", "missing_required")
        for slug in (match.explanation or {}).get(key, [])
    }
    return dict(Skill.objects.filter(slug__in=slugs).values_list("slug", "name"))


def saved_search_new_roles(
    saved_search: SavedSearch, *, since: datetime, until: datetime
) -> list[Role]:
    """Open roles that fit the saved search and appeared in (since, until]."""
    new = Q(created_at__gt=since, created_at__lte=until) | Q(
        posted_at__gt=since, posted_at__lte=until
    )
    roles = Role.objects.open().filter(new, pk__in=_search_role_ids(saved_search))
    return list(roles.select_related("company").order_by("-posted_at", "-id")[:MAX_PER_SEARCH])


def _search_role_ids(saved_search: SavedSearch) -> list[int]:
    """Ids of the newest roles the search page finds for this query."""
    params = QueryDict(saved_search.query, mutable=True)
    params["sort"] = "newest"
    result = search_roles(params, user=saved_search.user, page_size=SEARCH_WINDOW, facets=False)
    return [role.pk for role in result.roles]

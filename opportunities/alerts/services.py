"""Alert writes: saved searches and the match-alert setting."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.http import QueryDict

from opportunities.models import AlertFrequency, AlertPreference, SavedSearch
from opportunities.text import text_clean

# Parameters that say where in the results a page is, not what is searched for.
PAGING_PARAMS = {"page", "after", "before", "csrfmiddlewaretoken"}


def saved_search_query_normalize(query: str) -> str:
    """The search's query string without paging parameters or empty values."""
    params = QueryDict(text_clean(query).lstrip("?"))
    pairs = [
        (key, value)
        for key in params
        if key not in PAGING_PARAMS
        for value in params.getlist(key)
        if value.strip()
    ]
    normalized = QueryDict(mutable=True)
    for key, value in pairs:
        normalized.appendlist(key, value)
    return normalized.urlencode()


def saved_search_default_name(query: str) -> str:
    """A name a person would recognise, from the search's words or its filters."""
    params = QueryDict(query)
    if params.get("q"):
        return params["q"][:100]
    parts = [value for key in params if key != "sort" for value in params.getlist(key)]
    return (", ".join(parts) or "All roles")[:100]


def saved_search_create(
    *,
    user: AbstractBaseUser,
    query: str,
    name: str = "",
    frequency: str = AlertFrequency.DAILY,
) -> SavedSearch:
    """Save the search page's query string under a name; new roles fitting it are alerted."""
    query = saved_search_query_normalize(query)
    saved_search = SavedSearch(
        user=user,
        query=query,
        name=text_clean(name).strip() or saved_search_default_name(query),
        frequency=frequency,
    )
    saved_search.full_clean()
    saved_search.save()
    return saved_search


def saved_search_update(
    *, saved_search: SavedSearch, user: AbstractBaseUser, name: str, frequency: str
) -> SavedSearch:
    """Rename a saved search or change how often it alerts."""
    _own(saved_search, user)
    saved_search.name = text_clean(name).strip() or saved_search.name
    saved_search.frequency = frequency
    saved_search.full_clean()
    saved_search.save(update_fields=["name", "frequency"])
    return saved_search


def saved_search_delete(*, saved_search: SavedSearch, user: AbstractBaseUser) -> None:
    """Forget a saved search; roles it already sent stay recorded so they are not re-sent."""
    _own(saved_search, user)
    saved_search.delete()


def alert_preference_update(
    *, user: AbstractBaseUser, match_frequency: str, min_score: int
) -> AlertPreference:
    """Set how often the user hears about new matches, and from what score."""
    preference, _ = AlertPreference.objects.update_or_create(
        user=user, defaults={"match_frequency": match_frequency, "min_score": min_score}
    )
    return preference


def _own(saved_search: SavedSearch, user: AbstractBaseUser) -> None:
    if saved_search.user_id != user.pk:
        raise PermissionError("That saved search belongs to someone else.")

"""Alert writes: saved searches, match-alert settings, digests and unsubscribing.

A digest gathers, for one user and one frequency, the roles that are new since the last
digest and fit one of their saved searches, plus their new matches above their minimum score;
leaves out every role already sent to them (AlertDelivery, unique per user and role); sends one
e-mail; and records what it sent. Running it again sends nothing new.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Q
from django.http import QueryDict
from django.template.loader import render_to_string
from django.urls import reverse

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

logger = logging.getLogger(__name__)

UNSUBSCRIBE_SALT = "opportunities.alerts.unsubscribe"
# Parameters that say where in the results a page is, not what is searched for.
PAGING_PARAMS = {"page", "after", "before", "csrfmiddlewaretoken"}
# A saved search looks at this many of the newest roles it finds on each run.
SEARCH_WINDOW = 100
# Per digest, at most this many roles per saved search and this many matches.
MAX_PER_SEARCH = 20
MAX_MATCHES = 20
# Each run looks back a little before the last one, for roles whose transaction committed
# late; AlertDelivery keeps those seen twice from being sent twice.
OVERLAP = timedelta(minutes=15)
DEFAULT_MATCH_FREQUENCY = AlertFrequency.DAILY
DEFAULT_MIN_SCORE = 70


class UnsubscribeTarget:
    """What an unsubscribe link turns off: one saved search, new-match alerts, or all."""

    MATCHES = "matches"
    ALL = "all"

    @staticmethod
    def search(saved_search_id: int) -> str:
        return f"search:{saved_search_id}"


# Saved searches and the match-alert setting


def saved_search_query_normalize(query: str) -> str:
    """The search's query string without paging parameters or empty values."""
    params = QueryDict(query.lstrip("?"))
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
        name=name.strip() or saved_search_default_name(query),
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
    saved_search.name = name.strip() or saved_search.name
    saved_search.frequency = frequency
    saved_search.full_clean()
    saved_search.save(update_fields=["name", "frequency"])
    return saved_search


def saved_search_delete(*, saved_search: SavedSearch, user: AbstractBaseUser) -> None:
    """Forget a saved search; roles it already sent stay recorded so they are not re-sent."""
    _own(saved_search, user)
    saved_search.delete()


def alert_preference_get(*, user: AbstractBaseUser) -> AlertPreference:
    """The user's match-alert setting, unsaved defaults if they never chose."""
    preference = AlertPreference.objects.filter(user=user).first()
    return preference or AlertPreference(
        user=user, match_frequency=DEFAULT_MATCH_FREQUENCY, min_score=DEFAULT_MIN_SCORE
    )


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


# Unsubscribe links


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


# Digests


@dataclass
class DigestItem:
    """One role in a digest and why it is there."""

    role: Role
    reason: str  # AlertDelivery.Reason
    why: str
    saved_search: SavedSearch | None = None
    score: int | None = None


@dataclass
class Digest:
    user: AbstractBaseUser
    frequency: str
    now: datetime
    items: list[DigestItem] = field(default_factory=list)
    searches: list[SavedSearch] = field(default_factory=list)
    preference: AlertPreference | None = None

    @property
    def match_items(self) -> list[DigestItem]:
        return [item for item in self.items if item.reason == AlertDelivery.Reason.MATCH]

    @property
    def search_items(self) -> list[DigestItem]:
        return [item for item in self.items if item.reason == AlertDelivery.Reason.SAVED_SEARCH]


def digest_recipients(*, frequency: str) -> list[int]:
    """Ids of active users with something to hear about at this frequency."""
    if frequency == AlertFrequency.OFF:
        return []
    wants = Q(saved_searches__frequency=frequency) | Q(alert_preference__match_frequency=frequency)
    if frequency == DEFAULT_MATCH_FREQUENCY:
        # A developer who has a profile but never chose hears about matches by default.
        wants |= Q(alert_preference__isnull=True, developer_profile__isnull=False)
    users = get_user_model().objects.filter(wants, is_active=True).exclude(email="")
    return sorted(set(users.values_list("pk", flat=True)))


def digest_build(*, user: AbstractBaseUser, frequency: str, now: datetime) -> Digest:
    """What the user's digest at this frequency would hold now; reads only."""
    digest = Digest(user=user, frequency=frequency, now=now)
    if frequency == AlertFrequency.OFF:
        return digest
    digest.searches = list(
        SavedSearch.objects.filter(user=user, frequency=frequency).order_by("created_at", "id")
    )
    candidates: list[DigestItem] = []
    for saved_search in digest.searches:
        since = (
            saved_search.last_run_at - OVERLAP
            if saved_search.last_run_at
            else saved_search.created_at
        )
        for role in saved_search_new_roles(saved_search, since=since, until=now):
            candidates.append(
                DigestItem(
                    role=role,
                    reason=AlertDelivery.Reason.SAVED_SEARCH,
                    why=f"Fits your saved search “{saved_search.name}”",
                    saved_search=saved_search,
                )
            )

    preference = alert_preference_get(user=user)
    if preference.match_frequency == frequency and hasattr(user, "developer_profile"):
        digest.preference = preference
        since = preference.last_match_digest_at
        matches = (
            Match.objects.visible()
            .active()
            .filter(profile__user=user, score__gte=preference.min_score, updated_at__lte=now)
            .select_related("role__company")
            .ranked()
        )
        if since is not None:
            matches = matches.filter(updated_at__gt=since - OVERLAP)
        matches = list(matches[:MAX_MATCHES])
        names = _skill_names(matches)
        for match in matches:
            candidates.append(
                DigestItem(
                    role=match.role,
                    reason=AlertDelivery.Reason.MATCH,
                    why=match_reason(match, names),
                    score=match.score,
                )
            )

    delivered = set(
        AlertDelivery.objects.filter(
            user=user, role_id__in=[item.role.pk for item in candidates]
        ).values_list("role_id", flat=True)
    )
    for item in candidates:
        if item.role.pk not in delivered:
            delivered.add(item.role.pk)
            digest.items.append(item)
    return digest


def digest_send(*, user: AbstractBaseUser, frequency: str, now: datetime) -> int:
    """Send the user's digest if it holds anything, and record it; returns roles sent.

    The user's row is locked while the digest is built, recorded and sent, so two runs for
    the same user queue instead of sending the same roles twice. The e-mail goes out before
    the commit: if sending fails, nothing is recorded and the next run tries again.
    """
    User = get_user_model()
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        digest = digest_build(user=user, frequency=frequency, now=now)
        if digest.items:
            AlertDelivery.objects.bulk_create(
                [
                    AlertDelivery(
                        user=user,
                        role=item.role,
                        reason=item.reason,
                        saved_search=item.saved_search,
                        sent_at=now,
                    )
                    for item in digest.items
                ],
                ignore_conflicts=True,
            )
        if digest.searches:
            SavedSearch.objects.filter(pk__in=[s.pk for s in digest.searches]).update(
                last_run_at=now
            )
        if digest.preference is not None:
            AlertPreference.objects.update_or_create(
                user=user,
                defaults={
                    "match_frequency": digest.preference.match_frequency,
                    "min_score": digest.preference.min_score,
                    "last_match_digest_at": now,
                },
            )
        if digest.items:
            digest_email(digest).send()
    if digest.items:
        logger.info("Sent %s digest of %d roles to user %s", frequency, len(digest.items), user.pk)
    return len(digest.items)


def digest_email(digest: Digest) -> EmailMultiAlternatives:
    """The digest as one e-mail: plain text and HTML, with one-click unsubscribe headers."""
    user = digest.user
    unsubscribe_all = unsubscribe_url(user_id=user.pk, target=UnsubscribeTarget.ALL)
    context = {
        "user": user,
        "digest": digest,
        "frequency_label": AlertFrequency(digest.frequency).label,
        "site_url": settings.SITE_URL,
        "alerts_url": settings.SITE_URL + reverse("alert_list"),
        "unsubscribe_all_url": unsubscribe_all,
        "unsubscribe_matches_url": unsubscribe_url(
            user_id=user.pk, target=UnsubscribeTarget.MATCHES
        ),
        "search_groups": [
            {
                "search": search,
                "items": [i for i in digest.search_items if i.saved_search == search],
                "unsubscribe_url": unsubscribe_url(
                    user_id=user.pk, target=UnsubscribeTarget.search(search.pk)
                ),
            }
            for search in digest.searches
            if any(i.saved_search == search for i in digest.search_items)
        ],
    }
    subject = " ".join(render_to_string("email/digest_subject.txt", context).split())
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string("email/digest.txt", context),
        to=[user.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe_all}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    message.attach_alternative(render_to_string("email/digest.html", context), "text/html")
    return message


def match_reason(match: Match, names: dict[str, str]) -> str:
    """ "92% match: PyTorch, RAG; missing: Kubernetes"."""
    explanation = match.explanation or {}
    matched = [names.get(slug, slug) for slug in explanation.get("matched_required", [])]
    missing = [names.get(slug, slug) for slug in explanation.get("missing_required", [])]
    text = f"{match.score}% match"
    if matched:
        text += ": " + ", ".join(matched)
    if missing:
        text += "; missing: " + ", ".join(missing)
    return text


def _skill_names(matches: list[Match]) -> dict[str, str]:
    slugs = {
        slug
        for match in matches
        for key in ("matched_required", "missing_required")
        for slug in (match.explanation or {}).get(key, [])
    }
    return dict(Skill.objects.filter(slug__in=slugs).values_list("slug", "name"))


# Which roles a saved search finds


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

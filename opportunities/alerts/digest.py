"""Digests: what one user hears about at one frequency, the e-mail, and sending it.

A digest gathers, for one user and one frequency, the roles that are new since the last
digest and fit one of their saved searches, plus their new matches above their minimum score;
leaves out every role already sent to them (AlertDelivery, unique per user and role); adds, at
the user's match frequency, the tracker's reminders not sent before (TrackerReminder); sends one
e-mail; and records what it sent. Running it again sends nothing new.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse

from opportunities.alerts import selectors
from opportunities.alerts.unsubscribe import UnsubscribeTarget, unsubscribe_url
from opportunities.models import (
    AlertDelivery,
    AlertFrequency,
    AlertPreference,
    Match,
    Role,
    SavedSearch,
)
from opportunities.tracker.reminders import Reminder, reminders_record, reminders_unsent

logger = logging.getLogger(__name__)

# Each run looks back a little before the last one, for roles whose transaction committed
# late; AlertDelivery keeps those seen twice from being sent twice.
OVERLAP = timedelta(minutes=15)


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
    reminders: list[Reminder] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.items and not self.reminders

    @property
    def match_items(self) -> list[DigestItem]:
        return [item for item in self.items if item.reason == AlertDelivery.Reason.MATCH]

    @property
    def search_items(self) -> list[DigestItem]:
        return [item for item in self.items if item.reason == AlertDelivery.Reason.SAVED_SEARCH]


def digest_build(*, user: AbstractBaseUser, frequency: str, now: datetime) -> Digest:
    """What the user's digest at this frequency would hold now; reads only."""
    digest = Digest(user=user, frequency=frequency, now=now)
    if frequency == AlertFrequency.OFF:
        return digest
    digest.searches = selectors.digest_saved_searches(user=user, frequency=frequency)
    candidates: list[DigestItem] = []
    for saved_search in digest.searches:
        since = (
            saved_search.last_run_at - OVERLAP
            if saved_search.last_run_at
            else saved_search.created_at
        )
        for role in selectors.saved_search_new_roles(saved_search, since=since, until=now):
            candidates.append(
                DigestItem(
                    role=role,
                    reason=AlertDelivery.Reason.SAVED_SEARCH,
                    why=f"Fits your saved search “{saved_search.name}”",
                    saved_search=saved_search,
                )
            )

    preference = selectors.alert_preference_get(user=user)
    if preference.match_frequency == frequency:
        # The tracker's reminders ride with the match alerts: same rhythm, same off switch.
        digest.reminders = reminders_unsent(user=user, now=now)
    if preference.match_frequency == frequency and hasattr(user, "developer_profile"):
        digest.preference = preference
        since = preference.last_match_digest_at
        matches = selectors.digest_new_matches(
            user=user,
            min_score=preference.min_score,
            since=None if since is None else since - OVERLAP,
            until=now,
        )
        names = selectors.skill_names(matches)
        for match in matches:
            candidates.append(
                DigestItem(
                    role=match.role,
                    reason=AlertDelivery.Reason.MATCH,
                    why=match_reason(match, names),
                    score=match.score,
                )
            )

    delivered = selectors.delivered_role_ids(
        user=user, role_ids=[item.role.pk for item in candidates]
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
        if digest.reminders:
            reminders_record(reminders=digest.reminders, now=now)
        if not digest.empty:
            digest_email(digest).send()
    if not digest.empty:
        logger.info(
            "Sent %s digest of %d roles and %d reminders to user %s",
            frequency,
            len(digest.items),
            len(digest.reminders),
            user.pk,
        )
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
        "tracker_url": settings.SITE_URL + reverse("tracker_board"),
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

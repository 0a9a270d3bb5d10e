"""A role's lifecycle: the one table of allowed status changes, used by every caller.

Views, the admin's actions, the moderation page and the beat tasks all move a role through
`role_transition`, so a change the table does not list is refused the same way everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.db import transaction
from django.utils import timezone

from opportunities.models import Role

Status = Role.Status


class Actor(StrEnum):
    """Who asks for a change: the role's recruiter, a curator, or the site itself (beat)."""

    RECRUITER = "recruiter"
    CURATOR = "curator"
    SYSTEM = "system"


class RoleTransitionError(ValueError):
    """A status change the lifecycle does not allow from the role's current status."""


@dataclass(frozen=True)
class Transition:
    source: str
    target: str
    verb: str
    actors: frozenset[Actor]


def _t(source: str, target: str, verb: str, *actors: Actor) -> Transition:
    return Transition(source, target, verb, frozenset(actors))


# action -> the change it makes. Each pair (source, target) of this table is allowed; no other.
TRANSITIONS: dict[str, Transition] = {
    "submit": _t(Status.DRAFT, Status.PENDING, "submitted for review", Actor.RECRUITER),
    "approve": _t(Status.PENDING, Status.PUBLISHED, "approved", Actor.CURATOR, Actor.SYSTEM),
    "reject": _t(Status.PENDING, Status.REJECTED, "rejected", Actor.CURATOR),
    "send_back": _t(Status.PENDING, Status.DRAFT, "sent back for changes", Actor.CURATOR),
    "withdraw": _t(Status.PENDING, Status.DRAFT, "withdrawn", Actor.RECRUITER),
    "revise": _t(Status.REJECTED, Status.DRAFT, "revised", Actor.RECRUITER),
    "expire": _t(Status.PUBLISHED, Status.EXPIRED, "expired", Actor.SYSTEM),
    "close": _t(Status.PUBLISHED, Status.CLOSED, "closed", Actor.RECRUITER, Actor.CURATOR),
    "review_edit": _t(Status.PUBLISHED, Status.PENDING, "sent back to review", Actor.RECRUITER),
    # Reports from enough people take a live role (posted or ingested) off the board.
    "hold": _t(Status.PUBLISHED, Status.PENDING, "held for review", Actor.SYSTEM, Actor.CURATOR),
    "renew": _t(Status.EXPIRED, Status.PENDING, "renewed", Actor.RECRUITER),
}

ALLOWED_PAIRS: frozenset[tuple[str, str]] = frozenset(
    (t.source, t.target) for t in TRANSITIONS.values()
)


def allowed(source: str, target: str) -> bool:
    """The lifecycle lets a role go from `source` to `target` (by some action)."""
    return (source, target) in ALLOWED_PAIRS


def actions_from(status: str, actor: Actor) -> list[str]:
    """The actions `actor` may take on a role in `status` (what a page offers)."""
    return [name for name, t in TRANSITIONS.items() if t.source == status and actor in t.actors]


def check(*, status: str, action: str, actor: Actor, title: str = "") -> Transition:
    """The transition `action` names, if `actor` may take it from `status`; else an error."""
    transition = TRANSITIONS.get(action)
    if transition is None:
        raise RoleTransitionError(f"There is no such step as “{action}”.")
    if actor not in transition.actors:
        raise RoleTransitionError(f"A {actor} cannot have a role {transition.verb}.")
    if status != transition.source:
        label = Status(transition.source).label.lower()
        current = Status(status).label.lower()
        raise RoleTransitionError(
            f"Only roles {label} can be {transition.verb}; “{title}” is {current}."
        )
    return transition


def role_transition(*, role: Role, action: str, actor: Actor, **fields: object) -> Role:
    """Lock the role, check the step against the table, then save its new status (and the
    given fields, plus the timestamps the step sets). Returns the saved row."""
    with transaction.atomic():
        locked = Role.objects.select_for_update().get(pk=role.pk)
        transition = check(status=locked.status, action=action, actor=actor, title=locked.title)
        now = timezone.now()
        locked.status = transition.target
        changed = {"status", "updated_at", *fields}
        for name, value in fields.items():
            setattr(locked, name, value)
        if transition.target == Status.PENDING:
            locked.submitted_at = now
            changed.add("submitted_at")
        if transition.target == Status.CLOSED:
            locked.closed_at = now
            changed.add("closed_at")
        locked.save(update_fields=sorted(changed))
    return locked

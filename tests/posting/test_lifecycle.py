"""The lifecycle table (opportunities/posting/lifecycle.py): every pair of statuses."""

from __future__ import annotations

import itertools

import pytest

from opportunities.models import Role
from opportunities.posting.lifecycle import (
    ALLOWED_PAIRS,
    TRANSITIONS,
    Actor,
    RoleTransitionError,
    actions_from,
    allowed,
    role_transition,
)
from tests import factories

pytestmark = pytest.mark.django_db

S = Role.Status
EXPECTED = {
    (S.DRAFT, S.PENDING),
    (S.PENDING, S.PUBLISHED),
    (S.PENDING, S.REJECTED),
    (S.PENDING, S.DRAFT),
    (S.REJECTED, S.DRAFT),
    (S.PUBLISHED, S.EXPIRED),
    (S.PUBLISHED, S.CLOSED),
    (S.PUBLISHED, S.PENDING),
    (S.EXPIRED, S.PENDING),
}
PAIRS = list(itertools.product(S.values, S.values))


def test_the_table_allows_exactly_the_issue_s_transitions():
    assert ALLOWED_PAIRS == EXPECTED


@pytest.mark.parametrize(("source", "target"), PAIRS)
def test_every_pair_of_statuses_is_allowed_only_through_the_table(source, target):
    role = factories.RoleFactory(status=source)
    actions = [name for name, t in TRANSITIONS.items() if (t.source, t.target) == (source, target)]
    other_actions = [name for name, t in TRANSITIONS.items() if t.target == target]

    assert allowed(source, target) is bool(actions)
    for action in actions:
        actor = sorted(TRANSITIONS[action].actors)[0]
        moved = role_transition(role=role, action=action, actor=actor)
        assert moved.status == target
        Role.objects.filter(pk=role.pk).update(status=source)
    for action in set(other_actions) - set(actions):
        for actor in Actor:
            with pytest.raises(RoleTransitionError):
                role_transition(role=role, action=action, actor=actor)
        role.refresh_from_db()
        assert role.status == source


@pytest.mark.parametrize("action", TRANSITIONS)
def test_an_actor_the_step_does_not_name_is_refused(action):
    transition = TRANSITIONS[action]
    role = factories.RoleFactory(status=transition.source)

    for actor in set(Actor) - transition.actors:
        with pytest.raises(RoleTransitionError, match="cannot"):
            role_transition(role=role, action=action, actor=actor)
    role.refresh_from_db()
    assert role.status == transition.source


def test_entering_review_stamps_the_queue_time_and_closing_the_closed_time():
    role = factories.RoleFactory(status=S.DRAFT, submitted_at=None)

    pending = role_transition(role=role, action="submit", actor=Actor.RECRUITER)
    assert pending.submitted_at is not None

    Role.objects.filter(pk=role.pk).update(status=S.PUBLISHED)
    closed = role_transition(role=role, action="close", actor=Actor.RECRUITER, filled=True)
    closed.refresh_from_db()
    assert (closed.status, closed.filled) == (S.CLOSED, True)
    assert closed.closed_at is not None


def test_a_page_offers_what_the_actor_may_do_from_the_status():
    assert actions_from(S.DRAFT, Actor.RECRUITER) == ["submit"]
    assert set(actions_from(S.PENDING, Actor.CURATOR)) == {"approve", "reject", "send_back"}
    assert actions_from(S.PUBLISHED, Actor.SYSTEM) == ["expire", "hold"]

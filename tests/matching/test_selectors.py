"""Matching reads: skills worth learning, a developer's match lists, a role's candidates."""

from __future__ import annotations

import pytest

from opportunities.matching import selectors
from opportunities.models import Match, Role
from tests import factories

pytestmark = pytest.mark.django_db


def test_skills_to_learn_counts_roles_each_missing_skill_unlocks(skills, make_profile, make_role):
    python, torch, rag, k8s = skills
    profile = make_profile({python: "expert"})
    for _ in range(3):
        make_role([python, torch])
    make_role([python, rag])
    make_role([k8s, rag, torch])  # even Kubernetes alone would not lift this one to 60
    suggestions = selectors.skills_to_learn(profile=profile)
    assert [(skill.slug, count) for skill, count in suggestions] == [("pytorch", 3), ("rag", 1)]


def test_match_list_shows_active_or_dismissed_visible_matches_best_first():
    profile = factories.DeveloperProfileFactory()

    def match(score: int, **kwargs) -> Match:
        return Match.objects.create(
            profile=profile, role=factories.RoleFactory(), score=score, **kwargs
        )

    low, high, kept = match(65), match(90), match(70, saved=True)
    hidden = match(95, dismissed=True)
    closed = match(80)
    Role.objects.filter(pk=closed.role_id).update(status=Role.Status.CLOSED)
    Match.objects.create(profile=factories.DeveloperProfileFactory(), role=high.role, score=99)

    assert list(selectors.match_list(profile=profile)) == [high, kept, low]
    # Saving is tracking now: the tracker, not a match list, holds what was saved.
    assert "saved" not in selectors.MATCH_LISTS
    assert list(selectors.match_list(profile=profile, show="dismissed")) == [hidden]


def test_matches_of_user_holds_only_their_own():
    mine = Match.objects.create(
        profile=factories.DeveloperProfileFactory(), role=factories.RoleFactory(), score=80
    )
    Match.objects.create(profile=factories.DeveloperProfileFactory(), role=mine.role, score=90)
    assert list(selectors.matches_of_user(user=mine.profile.user)) == [mine]


def test_role_candidates_are_discoverable_developers_best_first_up_to_the_limit():
    role = factories.RoleFactory()
    Match.objects.create(
        profile=factories.DeveloperProfileFactory(discoverable=False), role=role, score=99
    )
    for score in (70, 90, 80):
        Match.objects.create(
            profile=factories.DeveloperProfileFactory(discoverable=True), role=role, score=score
        )
    assert [m.score for m in selectors.role_candidates(role=role, limit=2)] == [90, 80]
    assert [m.score for m in selectors.role_candidates(role=role)] == [90, 80, 70]

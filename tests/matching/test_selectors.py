"""Matching reads: skills worth learning, a developer's match lists, a role's candidates."""

from __future__ import annotations

import pytest

from opportunities.matching import selectors

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

"""Fixtures for the matching tests: a few skills, and profiles and roles that use them."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from opportunities.models import DeveloperProfile, ProfileSkill, Role, RoleSkill
from tests import factories


@pytest.fixture
def skills(db):
    return [factories.SkillFactory(name=n) for n in ("Python", "PyTorch", "RAG", "Kubernetes")]


@pytest.fixture
def make_profile(db) -> Callable[..., DeveloperProfile]:
    """A profile with these skills ({skill: level}) and any other fields."""

    def make(skills: dict, **kwargs) -> DeveloperProfile:
        profile = factories.DeveloperProfileFactory(**kwargs)
        for skill, level in skills.items():
            ProfileSkill.objects.create(profile=profile, skill=skill, level=level)
        return profile

    return make


@pytest.fixture
def make_role(db) -> Callable[..., Role]:
    """A role open worldwide (unless told otherwise) asking for these skills."""

    def make(required=(), nice=(), **kwargs) -> Role:
        kwargs.setdefault("worldwide", True)
        role = factories.RoleFactory(**kwargs)
        for skill in required:
            RoleSkill.objects.create(role=role, skill=skill, kind=RoleSkill.Kind.REQUIRED)
        for skill in nice:
            RoleSkill.objects.create(role=role, skill=skill, kind=RoleSkill.Kind.NICE)
        return role

    return make

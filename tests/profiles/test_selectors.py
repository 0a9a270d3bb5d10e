"""Profile reads: the developer's own profile and the skills the profile form suggests."""

from __future__ import annotations

import pytest

from opportunities.profiles import selectors
from tests import factories

pytestmark = pytest.mark.django_db


def test_developer_profile_get_is_the_users_own_or_none(user):
    assert selectors.developer_profile_get(user=user) is None
    assert selectors.developer_profile_for_edit(user=user) is None
    factories.DeveloperProfileFactory()  # someone else's
    mine = factories.DeveloperProfileFactory(user=user)
    assert selectors.developer_profile_get(user=user) == mine
    assert selectors.developer_profile_for_edit(user=user) == mine


def test_skill_suggestions_match_name_or_alias_by_name_up_to_the_limit(db):
    factories.SkillAliasFactory(skill=factories.SkillFactory(name="Deep learning"), name="torch")
    factories.SkillFactory(name="TorchServe")
    factories.SkillFactory(name="Kubernetes")
    factories.SkillFactory(name="Torch7", active=False)
    assert [s.name for s in selectors.skill_suggestions(text="torch", limit=5)] == [
        "Deep learning",
        "TorchServe",
    ]
    assert [s.name for s in selectors.skill_suggestions(text="torch", limit=1)] == ["Deep learning"]
    assert selectors.skill_suggestions(text="", limit=5) == []
    assert sorted(selectors.skill_names()) == ["Deep learning", "Kubernetes", "TorchServe"]

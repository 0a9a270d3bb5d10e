"""The demo recruiter's roles (opportunities/posting/demo.py)."""

from __future__ import annotations

import pytest

from opportunities.models import Role
from opportunities.posting.demo import DEMO_ROLES, demo_recruiter_roles
from tests import factories

pytestmark = pytest.mark.django_db


def test_the_demo_recruiter_gets_a_role_in_each_state_once():
    recruiter = factories.UserFactory(username="recruiter@example.com")
    company = factories.MembershipFactory(user=recruiter).company
    factories.SkillFactory(name="Python", slug="python")

    assert demo_recruiter_roles(recruiter=recruiter, company=company) == len(DEMO_ROLES)
    assert demo_recruiter_roles(recruiter=recruiter, company=company) == 0

    roles = Role.objects.editable_by(recruiter)
    assert sorted(roles.values_list("status", flat=True)) == sorted(
        ["draft", "pending", "published", "expired"]
    )
    live = roles.get(status="published")
    assert live in Role.objects.open()
    assert live.role_skills.get().skill.slug == "python"
    assert "<strong>retrieval-augmented generation</strong>" in live.description
    assert roles.get(status="expired") not in Role.objects.open()

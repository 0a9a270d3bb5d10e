"""Creating and moderating roles (opportunities/services/roles.py)."""

from __future__ import annotations

import pytest
from django.utils import timezone

from opportunities.catalog.services import (
    RoleTransitionError,
    role_approve,
    role_create,
    role_reject,
)
from opportunities.models import Role, RoleSkill
from tests import factories

pytestmark = pytest.mark.django_db


def test_role_create_sets_slug_yearly_salary_and_skills(company, user):
    python = factories.SkillFactory(name="Python")
    rag = factories.SkillFactory(name="Retrieval-Augmented Generation")

    role = role_create(
        company=company,
        title="Senior ML Engineer, Clinical LLMs",
        workplace="remote",
        worldwide=True,
        salary_min=90,
        salary_max=120,
        salary_currency="usd",
        salary_period="hour",
        skills={python: "required", rag: "nice"},
        status=Role.Status.PUBLISHED,
        created_by=user,
    )

    role.refresh_from_db()
    assert role.slug == "senior-ml-engineer-clinical-llms"
    assert (role.salary_yearly_min, role.salary_yearly_max) == (90 * 2080, 120 * 2080)
    assert role.salary_currency == "USD"
    assert role.posted_at is not None
    assert role.origin == Role.Origin.RECRUITER
    assert role.skill_ids == sorted([python.pk, rag.pk])
    assert set(RoleSkill.objects.filter(role=role).values_list("skill__name", "kind")) == {
        ("Python", "required"),
        ("Retrieval-Augmented Generation", "nice"),
    }


def test_role_create_refuses_salary_range_upside_down(company):
    with pytest.raises(ValueError, match="lowest salary"):
        role_create(
            company=company, title="ML Engineer", workplace="onsite", salary_min=2, salary_max=1
        )
    assert not Role.objects.exists()


def test_role_create_refuses_worldwide_onsite(company):
    with pytest.raises(ValueError, match="remote"):
        role_create(company=company, title="ML Engineer", workplace="onsite", worldwide=True)


def test_approve_publishes_a_pending_role_and_stamps_posted_at(company, user):
    role = factories.RoleFactory(company=company, status=Role.Status.PENDING, posted_at=None)

    role_approve(role=role, by=user)

    role.refresh_from_db()
    assert role.status == Role.Status.PUBLISHED
    assert role.posted_at is not None
    assert role in Role.objects.open()


def test_approve_keeps_an_existing_posted_at(company, user):
    posted = timezone.now() - timezone.timedelta(days=3)
    role = factories.RoleFactory(company=company, status=Role.Status.PENDING, posted_at=posted)

    role_approve(role=role, by=user)

    role.refresh_from_db()
    assert role.posted_at == posted


@pytest.mark.parametrize("status", ["draft", "published", "rejected", "closed", "expired"])
def test_approve_and_reject_only_work_on_pending_roles(company, user, status):
    role = factories.RoleFactory(company=company, status=status)

    with pytest.raises(RoleTransitionError, match="Only roles pending review"):
        role_approve(role=role, by=user)
    with pytest.raises(RoleTransitionError, match="Only roles pending review"):
        role_reject(role=role, by=user, reason="Salary missing")
    role.refresh_from_db()
    assert role.status == status


def test_reject_records_the_reason(company, user):
    role = factories.RoleFactory(company=company, status=Role.Status.PENDING)

    role_reject(role=role, by=user, reason="  Please add a salary range.  ")

    role.refresh_from_db()
    assert role.status == Role.Status.REJECTED
    assert role.review_note == "Please add a salary range."


def test_reject_needs_a_reason(company, user):
    role = factories.RoleFactory(company=company, status=Role.Status.PENDING)

    with pytest.raises(ValueError, match="Say why"):
        role_reject(role=role, by=user, reason=" ")
    role.refresh_from_db()
    assert role.status == Role.Status.PENDING

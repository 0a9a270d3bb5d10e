"""Creating and moderating roles (opportunities/services/roles.py)."""

from __future__ import annotations

import pytest
from django.utils import timezone

from opportunities.catalog.services import (
    company_create,
    company_update,
    role_create,
    role_update,
)
from opportunities.enqueue import MATCH_ROLES
from opportunities.models import Role, RoleSkill
from opportunities.posting.lifecycle import RoleTransitionError
from opportunities.posting.services import role_approve, role_reject
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


def test_role_create_sanitises_the_description_and_cleans_the_text(company):
    role = role_create(
        company=company,
        title="LLM\x0c Engineer\x00",
        workplace="remote",
        city="Ber\x01lin",
        description='<p>Build<img src=x onerror="alert(1)"></p><script>alert(2)</script>',
    )

    role.refresh_from_db()
    assert (role.title, role.city, role.slug) == ("LLM Engineer", "Berlin", "llm-engineer")
    assert role.description == "<p>Build</p>"


def test_role_update_sanitises_cleans_and_rematches_only_for_matched_fields(
    enqueued, django_capture_on_commit_callbacks
):
    role = factories.RoleFactory(salary_min=10, salary_max=20, salary_period="hour")

    with django_capture_on_commit_callbacks(execute=True):
        role_update(
            role=role, data={"title": "New\x0b title", "description": "<p onclick=x>ok</p>"}
        )
    assert enqueued == []
    with django_capture_on_commit_callbacks(execute=True):
        role_update(
            role=role, data={"salary_min": 100_000, "salary_max": 150_000, "salary_period": "year"}
        )

    role.refresh_from_db()
    assert (role.title, role.description) == ("New title", "<p>ok</p>")
    assert (role.salary_yearly_min, role.salary_yearly_max) == (100_000, 150_000)
    assert enqueued == [(MATCH_ROLES, ([role.pk],))]


def test_role_update_refuses_fields_a_role_does_not_have():
    with pytest.raises(ValueError, match="no field"):
        role_update(role=factories.RoleFactory(), data={"colour": "blue"})


def test_company_create_and_update_keep_control_characters_out(db):
    company = company_create(name="Acme\x0c AI", description="Line one\r\nline two\x00")
    assert (company.name, company.slug) == ("Acme AI", "acme-ai")
    assert company.description == "Line one\nline two"

    company_update(company=company, data={"description": "R&D\x01 <b>first</b>"})

    company.refresh_from_db()
    assert company.description == "R&D <b>first</b>"


def test_company_update_with_an_industry_moves_every_role_of_the_company():
    from_industry = factories.IndustryFactory(name="Manufacturing", slug="manufacturing")
    to_industry = factories.IndustryFactory(name="Media", slug="media")
    company = factories.CompanyFactory()
    for _ in range(2):
        factories.RoleFactory(company=company, industry=from_industry)
    other = factories.RoleFactory(industry=from_industry)

    company_update(company=company, data={"industry": to_industry, "website": "https://x.example"})

    company.refresh_from_db()
    assert (company.industry, company.website) == (to_industry, "https://x.example")
    assert {role.industry for role in Role.objects.filter(company=company)} == {to_industry}
    other.refresh_from_db()
    assert other.industry == from_industry

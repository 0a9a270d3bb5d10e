"""The database itself refuses rows that break the domain's rules."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from opportunities.models import Role, SkillAlias
from tests import factories

pytestmark = pytest.mark.django_db


def _refused(create) -> IntegrityError:
    """Run `create` and return the IntegrityError the database raised for it."""
    with pytest.raises(IntegrityError) as refused, transaction.atomic():
        create()
    return refused.value


def test_salary_min_above_max_is_refused(company):
    assert _refused(
        lambda: factories.RoleFactory(company=company, salary_min=90000, salary_max=80000)
    )
    assert not Role.objects.exists()


def test_salary_range_in_order_or_open_ended_is_accepted(company):
    factories.RoleFactory(company=company, salary_min=80000, salary_max=90000)
    factories.RoleFactory(company=company, salary_min=80000, salary_max=None)

    assert set(Role.objects.values_list("salary_min", "salary_max")) == {
        (80000, None),
        (80000, 90000),
    }


def test_same_external_id_twice_from_one_source_is_refused():
    source = factories.SourceFactory()
    factories.RoleFactory(source=source, external_id="4711", origin="ingest")
    assert _refused(
        lambda: factories.RoleFactory(source=source, external_id="4711", origin="ingest")
    )
    assert Role.objects.filter(source=source, external_id="4711").count() == 1


def test_same_external_id_from_two_sources_is_accepted():
    factories.RoleFactory(source=factories.SourceFactory(), external_id="4711", origin="ingest")
    factories.RoleFactory(source=factories.SourceFactory(), external_id="4711", origin="ingest")

    assert Role.objects.filter(external_id="4711").values("source").distinct().count() == 2


@pytest.mark.parametrize(
    "factory", [factories.IndustryFactory, factories.SkillFactory, factories.CompanyFactory]
)
def test_duplicate_slug_is_refused(factory):
    model = factory._meta.model
    factory(name="First", slug="same-slug")
    assert _refused(lambda: model.objects.create(name="Second", slug="same-slug"))
    assert list(model.objects.filter(slug="same-slug").values_list("name", flat=True)) == ["First"]


def test_worldwide_on_a_role_that_is_not_remote_is_refused(company):
    assert _refused(
        lambda: factories.RoleFactory(company=company, workplace="hybrid", worldwide=True)
    )
    assert not Role.objects.filter(worldwide=True).exists()


def test_worldwide_remote_role_is_accepted(company):
    assert factories.RoleFactory(company=company, workplace="remote", worldwide=True).pk


def test_alias_differing_only_in_case_is_refused():
    skill = factories.SkillFactory(name="Large Language Models")
    SkillAlias.objects.create(skill=skill, name="LLM")
    other = factories.SkillFactory(name="Legal Tech")
    assert _refused(lambda: SkillAlias.objects.create(skill=other, name="llm"))
    assert list(SkillAlias.objects.values_list("skill__name", "name")) == [
        ("Large Language Models", "LLM")
    ]

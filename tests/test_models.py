"""The database itself refuses rows that break the domain's rules."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from opportunities.models import SkillAlias
from tests import factories

pytestmark = pytest.mark.django_db


def _refused(create) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        create()


def test_salary_min_above_max_is_refused(company):
    _refused(lambda: factories.RoleFactory(company=company, salary_min=90000, salary_max=80000))


def test_salary_range_in_order_or_open_ended_is_accepted(company):
    factories.RoleFactory(company=company, salary_min=80000, salary_max=90000)
    factories.RoleFactory(company=company, salary_min=80000, salary_max=None)


def test_same_external_id_twice_from_one_source_is_refused():
    source = factories.SourceFactory()
    factories.RoleFactory(source=source, external_id="4711", origin="ingest")
    _refused(lambda: factories.RoleFactory(source=source, external_id="4711", origin="ingest"))


def test_same_external_id_from_two_sources_is_accepted():
    factories.RoleFactory(source=factories.SourceFactory(), external_id="4711", origin="ingest")
    factories.RoleFactory(source=factories.SourceFactory(), external_id="4711", origin="ingest")


@pytest.mark.parametrize(
    "factory", [factories.IndustryFactory, factories.SkillFactory, factories.CompanyFactory]
)
def test_duplicate_slug_is_refused(factory):
    model = factory._meta.model
    factory(name="First", slug="same-slug")
    _refused(lambda: model.objects.create(name="Second", slug="same-slug"))


def test_worldwide_on_a_role_that_is_not_remote_is_refused(company):
    _refused(lambda: factories.RoleFactory(company=company, workplace="hybrid", worldwide=True))


def test_worldwide_remote_role_is_accepted(company):
    assert factories.RoleFactory(company=company, workplace="remote", worldwide=True).pk


def test_alias_differing_only_in_case_is_refused():
    skill = factories.SkillFactory(name="Large Language Models")
    SkillAlias.objects.create(skill=skill, name="LLM")
    other = factories.SkillFactory(name="Legal Tech")
    _refused(lambda: SkillAlias.objects.create(skill=other, name="llm"))

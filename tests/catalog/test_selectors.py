"""Tests for opportunities.catalog.selectors: what the public role page reads."""

from __future__ import annotations

import pytest

from opportunities.catalog.selectors import (
    SEARCH_COLUMNS,
    role_detail_get,
    role_other_sources,
    role_page_get,
)
from opportunities.models import RoleSkill
from tests import factories

pytestmark = pytest.mark.django_db


def test_role_page_get_reads_what_the_page_shows_and_leaves_the_search_columns(
    role, django_assert_num_queries
):
    skill = factories.SkillFactory(name="PyTorch")
    RoleSkill.objects.create(role=role, skill=skill, kind=RoleSkill.Kind.REQUIRED)
    with django_assert_num_queries(2):  # the role with its relations, then its skills
        found = role_page_get(pk=role.pk)
        assert found.company.name == role.company.name
        assert [rs.skill.name for rs in found.role_skills.all()] == ["PyTorch"]
    assert set(SEARCH_COLUMNS) <= found.get_deferred_fields()
    # Asked for all the same, a search column is read then, with the value the full read has.
    assert found.skill_text == role_detail_get(pk=role.pk).skill_text


def test_role_page_get_reads_the_canonical_role_of_a_copy_by_its_id(role):
    copy = factories.RoleFactory(
        company=role.company, duplicate_of=role, source=factories.SourceFactory()
    )
    found = role_page_get(pk=copy.pk)
    assert found.duplicate_of_id == role.pk
    assert found.duplicate_of.get_absolute_url() == role.get_absolute_url()


def test_role_page_get_of_an_unknown_id_is_none(db):
    assert role_page_get(pk=987654) is None


def test_other_sources_give_each_copy_its_link_and_source_name(role, django_assert_num_queries):
    board = factories.SourceFactory(name="Lever board of Acme")
    factories.RoleFactory(
        company=role.company,
        duplicate_of=role,
        source=board,
        canonical_url="https://jobs.lever.example.com/acme/1",
    )
    factories.RoleFactory(company=role.company, duplicate_of=role, source=None)
    with django_assert_num_queries(1):
        copies = role_other_sources(role)
        shown = [(copy.canonical_url, copy.source.name) for copy in copies]
    assert shown == [("https://jobs.lever.example.com/acme/1", "Lever board of Acme")]

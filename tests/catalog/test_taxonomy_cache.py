"""The in-memory taxonomy (search's, and anything kept on its fingerprint) follows every change."""

from __future__ import annotations

import pytest
from django.urls import reverse

from opportunities.catalog.taxonomy import skill_merge
from opportunities.catalog.taxonomy_cache import (
    TaxonomyMemo,
    taxonomy_current,
    taxonomy_fingerprint,
)
from opportunities.models import Industry, Skill, SkillAlias
from opportunities.search import search_roles
from tests import factories

URL = reverse("role_search")


def skill_facet(params: dict | None = None) -> dict[str, str]:
    return {option.value: option.label for option in search_roles(params or {}).facets["skill"]}


def test_unchanged_taxonomy_is_read_once_and_then_checked_with_one_query(
    db, django_assert_num_queries
):
    factories.SkillFactory(name="PyTorch")
    first = taxonomy_current()
    with django_assert_num_queries(1):
        assert taxonomy_current() is first
    assert first.skill_by_slug["pytorch"].name == "PyTorch"


def rename_skill():
    skill = Skill.objects.get(slug="rag")
    skill.name = "Retrieval"
    skill.save()


def retire_industry():
    media = Industry.objects.get(slug="media")
    media.active = False
    media.save()


def add_alias():
    factories.SkillAliasFactory(skill=Skill.objects.get(slug="rag"), name="GraphRAG")


def delete_newest_alias():
    SkillAlias.objects.order_by("-pk").first().delete()


def delete_oldest_alias():
    SkillAlias.objects.order_by("pk").first().delete()


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda: factories.SkillFactory(name="Evals"), id="new skill"),
        pytest.param(rename_skill, id="renamed skill"),
        pytest.param(lambda: factories.IndustryFactory(name="Legal"), id="new industry"),
        pytest.param(retire_industry, id="retired industry"),
        pytest.param(add_alias, id="new alias"),
        pytest.param(delete_newest_alias, id="newest alias deleted"),
        pytest.param(delete_oldest_alias, id="oldest alias deleted"),
    ],
)
def test_every_kind_of_taxonomy_write_moves_the_fingerprint(db, change):
    rag = factories.SkillFactory(name="RAG", slug="rag")
    factories.SkillAliasFactory(skill=rag, name="retrieval augmented generation")
    factories.SkillAliasFactory(skill=rag, name="retrieval-augmented generation")
    factories.IndustryFactory(name="Media", slug="media")
    before = taxonomy_fingerprint()

    change()

    assert taxonomy_fingerprint() != before


def test_a_value_kept_on_the_fingerprint_is_built_once_per_change(db, django_assert_num_queries):
    built = []
    memo = TaxonomyMemo(lambda key, using: built.append(key) or len(built))
    factories.SkillFactory(name="PyTorch")

    first = memo.current()
    with django_assert_num_queries(1):
        assert memo.current() == first
    factories.SkillAliasFactory(skill=Skill.objects.get(), name="torch")
    second = memo.current()

    assert (first, second) == (1, 2)
    assert len(built) == 2 and built[0] != built[1]


def test_a_curator_renaming_a_skill_shows_on_the_next_search(client, db):
    skill = factories.SkillFactory(name="Pytorch", slug="pytorch")
    factories.RoleFactory(title="Vision Engineer", skills=[skill])
    assert skill_facet() == {"pytorch": "Pytorch"}

    # What the admin's change form does.
    skill.name = "PyTorch"
    skill.save()

    assert skill_facet() == {"pytorch": "PyTorch"}
    html = client.get(URL, {"skill": "pytorch"}).content.decode()
    assert '>PyTorch <span class="facet-count">1</span>' in html
    assert "Pytorch" not in html


def test_a_renamed_slug_is_known_at_once_and_the_old_one_no_longer(client, db):
    skill = factories.SkillFactory(name="LLM Ops", slug="llm-ops")
    factories.RoleFactory(title="Platform Engineer", skills=[skill])
    assert [r.title for r in search_roles({"skill": "llm-ops"}).roles] == ["Platform Engineer"]

    skill.slug = "llmops"
    skill.save()

    assert [r.title for r in search_roles({"skill": "llmops"}).roles] == ["Platform Engineer"]
    old = search_roles({"skill": "llm-ops"})
    assert "We don't know the skill “llm-ops”, so it was left out." in old.errors["skill"]


def test_a_new_skill_and_industry_are_searchable_at_once(db):
    taxonomy_current()  # built before they exist
    legal = factories.IndustryFactory(name="Legal", slug="legal")
    rag = factories.SkillFactory(name="RAG", slug="rag")
    factories.RoleFactory(title="Contract Analyst", industry=legal, skills=[rag])

    result = search_roles({"industry": "legal", "skill": "rag"})

    assert [role.title for role in result.roles] == ["Contract Analyst"]
    assert not result.errors
    assert [(o.value, o.label) for o in result.facets["industry"]] == [("legal", "Legal")]


def test_a_merged_skill_is_no_longer_a_filter(db):
    torch = factories.SkillFactory(name="Torch", slug="torch")
    pytorch = factories.SkillFactory(name="PyTorch", slug="pytorch")
    factories.RoleFactory(title="Research Engineer", skills=[torch])
    assert not search_roles({"skill": "torch"}).errors

    skill_merge(source=torch, target=pytorch)

    result = search_roles({"skill": "torch"})
    assert "We don't know the skill “torch”, so it was left out." in result.errors["skill"]
    assert skill_facet() == {"pytorch": "PyTorch"}


def test_a_retired_industry_leaves_the_facets(db):
    media = factories.IndustryFactory(name="Media", slug="media")
    factories.RoleFactory(title="Video Generation Engineer", industry=media)
    assert [o.value for o in search_roles({}).facets["industry"]] == ["media"]

    media.active = False
    media.save()

    assert search_roles({}).facets["industry"] == []
    assert (
        "We don't know the industry “media”"
        in search_roles({"industry": "media"}).errors["industry"][0]
    )

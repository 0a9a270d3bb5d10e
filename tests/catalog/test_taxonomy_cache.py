"""The search's in-memory taxonomy follows every change a curator or a seed makes."""

from __future__ import annotations

from django.urls import reverse

from opportunities.catalog.taxonomy import skill_merge
from opportunities.catalog.taxonomy_cache import taxonomy_current
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

"""The curators' answers to unknown terms: a new skill, an alias, or ignored."""

from __future__ import annotations

import pytest

from opportunities.ingest.recognisers import recognisers_current
from opportunities.ingest.unknown_terms import (
    unknown_term_alias_add,
    unknown_term_skill_create,
    unknown_terms_ignore,
)
from opportunities.models import Skill, SkillAlias, SkillCategory, UnknownSkillTerm
from tests import factories

pytestmark = pytest.mark.django_db


def test_a_term_becomes_a_skill_the_next_run_recognises():
    before = recognisers_current()
    term = UnknownSkillTerm.objects.create(term="VectorFlow", count=4)

    skill = unknown_term_skill_create(term=term, category=SkillCategory.INFRASTRUCTURE)

    assert (skill.name, skill.slug, skill.category) == (
        "VectorFlow",
        "vectorflow",
        "infrastructure",
    )
    assert not UnknownSkillTerm.objects.exists()
    assert recognisers_current().skill_by_slug["vectorflow"] == (skill.pk, "VectorFlow")
    assert "vectorflow" not in before.skill_by_slug


def test_a_term_named_like_an_existing_skill_is_that_skill():
    existing = factories.SkillFactory(name="LangGraph", slug="langgraph")
    term = UnknownSkillTerm.objects.create(term="langgraph")

    assert unknown_term_skill_create(term=term) == existing
    assert Skill.objects.count() == 1
    assert not UnknownSkillTerm.objects.exists()


def test_a_new_skill_gets_a_slug_no_other_skill_has():
    factories.SkillFactory(name="Retrieval-augmented generation", slug="rag")
    term = UnknownSkillTerm.objects.create(term="RAG")

    assert unknown_term_skill_create(term=term).slug == "rag-2"


def test_a_term_becomes_an_alias_the_next_run_recognises():
    torch = factories.SkillFactory(name="PyTorch", slug="pytorch")
    before = recognisers_current()
    term = UnknownSkillTerm.objects.create(term="PyTorch2")

    alias = unknown_term_alias_add(term=term, skill=torch)

    assert (alias.name, alias.skill) == ("PyTorch2", torch)
    assert not UnknownSkillTerm.objects.exists()
    assert recognisers_current() is not before


def test_a_term_already_an_alias_of_another_skill_is_refused_and_kept():
    torch = factories.SkillFactory(name="PyTorch", slug="pytorch")
    jax = factories.SkillFactory(name="JAX", slug="jax")
    factories.SkillAliasFactory(skill=jax, name="Flax")
    term = UnknownSkillTerm.objects.create(term="flax")

    with pytest.raises(ValueError, match="already an alias of JAX"):
        unknown_term_alias_add(term=term, skill=torch)

    assert UnknownSkillTerm.objects.filter(term="flax").exists()
    assert list(SkillAlias.objects.values_list("name", "skill__slug")) == [("Flax", "jax")]


def test_ignored_terms_stay_but_leave_the_curators_list():
    noise = UnknownSkillTerm.objects.create(term="FooBar", count=50)
    kept = UnknownSkillTerm.objects.create(term="LlamaGuard", count=2)

    assert unknown_terms_ignore(terms=[noise]) == 1

    assert list(UnknownSkillTerm.objects.filter(ignored=False)) == [kept]
    assert UnknownSkillTerm.objects.get(term="FooBar").count == 50

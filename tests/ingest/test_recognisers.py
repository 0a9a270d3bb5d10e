"""The ingest's recognisers follow the taxonomy: kept while it stands, rebuilt once it changes."""

from __future__ import annotations

import pytest

from opportunities.ingest.recognisers import recognisers_current
from opportunities.models import Role
from tests import factories
from tests.ingest.boards import greenhouse_source, ingest, job, write_feed

pytestmark = pytest.mark.django_db


def test_unchanged_recognisers_are_built_once_and_then_checked_with_one_query(
    skills, django_assert_num_queries
):
    first = recognisers_current()
    with django_assert_num_queries(1):
        assert recognisers_current() is first
    assert set(first.skill_by_slug) == {"python", "pytorch", "langchain"}


def test_a_retired_skill_is_no_longer_recognised(skills):
    assert "python" in recognisers_current().skill_by_slug

    skills.active = False
    skills.save()

    assert "python" not in recognisers_current().skill_by_slug


def test_a_new_alias_is_recognised_by_the_next_run_which_rewrites_every_item_once(skills, tmp_path):
    vectors = factories.SkillFactory(name="Vector databases", slug="vector-databases")
    source = greenhouse_source(write_feed(tmp_path / "feed.json", [job(1), job(2)]))
    ingest(source)
    assert not vectors.role_skills.exists()

    # Added as the skill admin's inline or a curator's answer does, without touching the skill.
    factories.SkillAliasFactory(skill=vectors, name="VectorFlow")
    rewritten = ingest(source)
    again = ingest(source)

    assert (rewritten.updated, rewritten.unchanged) == (2, 0)
    assert (again.updated, again.unchanged) == (0, 2)
    for role in Role.objects.all():
        assert set(role.role_skills.values_list("skill__slug", flat=True)) == {
            "python",
            "pytorch",
            "langchain",
            "vector-databases",
        }

"""Context-only names and aliases: seeded from the taxonomy file, applied to boards seeded
before (migration 0025), and honoured by the ingest's recogniser built from the tables."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.db import connection

from opportunities.catalog.taxonomy import taxonomy_seed
from opportunities.ingest.recognisers import recognisers_current
from opportunities.models import Skill, SkillAlias
from tests import factories

pytestmark = pytest.mark.django_db

migration = importlib.import_module("opportunities.migrations.0025_skills_context")


class _SchemaEditor:
    connection = connection


def test_seed_stores_context_aliases_as_context_only():
    taxonomy_seed(
        data={
            "skills": [
                {
                    "slug": "apache-spark",
                    "name": "Apache Spark",
                    "category": "framework",
                    "aliases": ["PySpark"],
                    "context_aliases": ["Spark"],
                },
                {"slug": "scala", "name": "Scala", "category": "language", "aliases": []},
            ]
        }
    )

    aliases = dict(SkillAlias.objects.values_list("name", "context_only"))
    assert aliases == {"PySpark": False, "Spark": True}
    recogniser = recognisers_current().skills
    assert recogniser.find("Spark and Scala") == {"apache-spark": 1, "scala": 1}
    assert recogniser.find("a spark of genius") == {}


def test_a_name_switched_off_counts_in_context_in_the_recogniser_built_from_the_tables():
    factories.SkillFactory(name="Cursor", slug="cursor", match_name=False)
    factories.SkillFactory(name="Claude Code", slug="claude-code")

    recogniser = recognisers_current().skills

    assert recogniser.find("We use Cursor and Claude Code.") == {"cursor": 1, "claude-code": 1}
    assert recogniser.find("Move the cursor.") == {}


def test_migration_drops_hosting_aliases_from_git_and_marks_ambiguous_words():
    git = factories.SkillFactory(name="Git", slug="git")
    for name in ("GitHub", "GitLab", "Bitbucket", "version control"):
        factories.SkillAliasFactory(skill=git, name=name)
    kubernetes = factories.SkillFactory(name="Kubernetes", slug="kubernetes")
    for name in ("EKS", "GKE", "AKS", "k8s"):
        factories.SkillAliasFactory(skill=kubernetes, name=name)
    guardrails = factories.SkillFactory(name="Guardrails", slug="guardrails", match_name=False)
    rust = factories.SkillFactory(name="Rust", slug="rust", match_name=True)
    spark = factories.SkillFactory(name="Apache Spark", slug="apache-spark")
    factories.SkillAliasFactory(skill=spark, name="Spark")
    factories.SkillAliasFactory(skill=spark, name="PySpark")

    migration._context_marks_apply(apps, _SchemaEditor())

    assert list(git.aliases.values_list("name", flat=True)) == ["version control"]
    assert list(kubernetes.aliases.values_list("name", flat=True)) == ["k8s"]
    assert Skill.objects.get(pk=rust.pk).match_name is False
    assert Skill.objects.get(pk=guardrails.pk).match_name is True
    assert dict(spark.aliases.values_list("name", "context_only")) == {
        "PySpark": False,
        "Spark": True,
    }

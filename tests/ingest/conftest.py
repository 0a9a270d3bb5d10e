"""Fixtures for the ingest's tests."""

from __future__ import annotations

import pytest

from tests import factories


@pytest.fixture
def skills(db):
    """The skills the board in tests/ingest/boards.py names (torch as an alias); Python."""
    python = factories.SkillFactory(name="Python", slug="python")
    torch = factories.SkillFactory(name="PyTorch", slug="pytorch")
    factories.SkillAliasFactory(skill=torch, name="torch")
    factories.SkillFactory(name="LangChain", slug="langchain")
    return python

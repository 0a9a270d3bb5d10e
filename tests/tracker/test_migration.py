"""The data migration that moves saved matches into the tracker (0020)."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.db import connection

from opportunities.models import Match, Stage, TrackedOpportunity
from opportunities.tracker import services
from tests import factories

pytestmark = pytest.mark.django_db

migration = importlib.import_module("opportunities.migrations.0020_tracker")


class _SchemaEditor:
    connection = connection


def test_saved_matches_become_saved_entries_once(monkeypatch):
    monkeypatch.setattr(migration, "BATCH", 2)
    company = factories.CompanyFactory(name="Acme AI")
    profiles = [factories.DeveloperProfileFactory() for _ in range(2)]
    roles = [factories.RoleFactory(company=company, title=f"Role {n}") for n in range(3)]
    for profile in profiles:
        for role in roles:
            Match.objects.create(profile=profile, role=role, score=80, saved=role != roles[2])
    # Already tracked by hand: left as it is, not doubled.
    services.opportunity_track_role(user=profiles[0].user, role=roles[0].pk)

    migration.saved_matches_to_tracker(apps, _SchemaEditor())
    migration.saved_matches_to_tracker(apps, _SchemaEditor())  # a second run adds nothing

    entries = TrackedOpportunity.objects.order_by("user_id", "role_id")
    assert [(e.user_id, e.role_id) for e in entries] == [
        (profiles[0].user_id, roles[0].pk),
        (profiles[0].user_id, roles[1].pk),
        (profiles[1].user_id, roles[0].pk),
        (profiles[1].user_id, roles[1].pk),
    ]
    moved = entries.get(user=profiles[1].user, role=roles[1])
    assert (moved.title, moved.company_name, moved.stage) == ("Role 1", "Acme AI", Stage.SAVED)
    assert list(moved.stage_changes.values_list("stage", "note")) == [
        ("saved", "Saved from your matches")
    ]

"""Matching tasks: each runs its rematch function and returns what it did."""

from __future__ import annotations

import pytest

from opportunities.matching.tasks import (
    match_all_task,
    match_profile_task,
    match_profiles_task,
    match_roles_task,
)
from opportunities.models import Match, Role

pytestmark = pytest.mark.django_db


def test_tasks_call_the_services(
    skills, django_capture_on_commit_callbacks, monkeypatch, make_profile, make_role
):
    python = skills[0]
    profile = make_profile({python: "expert"})
    role = make_role([python])
    assert match_roles_task.acks_late
    match_roles_task.apply(args=[[role.id]]).get()
    assert Match.objects.filter(role=role).exists()
    Role.objects.filter(id=role.id).update(status=Role.Status.CLOSED)
    match_profile_task.apply(args=[profile.id]).get()
    assert not Match.objects.exists()
    Role.objects.filter(id=role.id).update(status=Role.Status.PUBLISHED)
    queued = []
    monkeypatch.setattr(match_profiles_task, "delay", lambda ids: queued.append(ids))
    assert match_all_task.apply(kwargs={"batch_size": 1}).get() == {
        "deleted": 0,
        "batches": 1,
        "profiles": 1,
    }
    assert queued == [[profile.id]]
    assert match_profiles_task.apply(args=[queued[0]]).get()["written"] == 1
    assert Match.objects.filter(profile=profile, role=role).exists()

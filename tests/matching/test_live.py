"""The live indexes: reused until invalidated, and rows changed since the load read fresh."""

from __future__ import annotations

import pytest
from django.utils import timezone

from opportunities.matching import live
from opportunities.models import Role, RoleSkill

pytestmark = pytest.mark.django_db


def test_a_loaded_role_index_is_reused_until_invalidated(skills, make_role):
    python = skills[0]
    first = make_role([python])
    index = live.live_roles.get()
    assert index.row_of(first.id) is not None

    later = make_role([python])  # published without telling the index (no match_roles)
    assert live.live_roles.get() is index
    assert index.row_of(later.id) is None

    live.matching_index_invalidate()
    reloaded = live.live_roles.get()
    assert reloaded is not index
    assert reloaded.row_of(later.id) is not None


def test_current_roles_reads_changed_roles_fresh_and_leaves_out_closed_ones(skills, make_role):
    python, torch, *_ = skills
    kept, changed, closed = make_role([python]), make_role([python]), make_role([python])
    live.live_roles.get()
    RoleSkill.objects.create(role=changed, skill=torch, kind=RoleSkill.Kind.REQUIRED)
    # Writers touch updated_at, which is how a loaded index learns a row changed.
    Role.objects.filter(id=changed.id).update(updated_at=timezone.now())
    Role.objects.filter(id=closed.id).update(status=Role.Status.CLOSED)

    current = live.current_roles([kept.id, changed.id, closed.id])

    assert set(current) == {kept.id, changed.id}
    assert current[kept.id].required == {python.id}
    assert current[changed.id].required == {python.id, torch.id}


def test_current_profiles_sees_a_profile_put_on_the_loaded_index(skills, make_profile):
    python = skills[0]
    profile = make_profile({python: "learning"})
    live.live_profiles.get()
    assert live.current_profiles([profile.id])[profile.id].skills == {python.id: "learning"}

    live.live_profiles.put(profile.id, None)  # gone, as match_profile records a deleted one
    assert live.current_profiles([profile.id]) == {}

"""The per-process live indexes: loaded once, reloaded when stale, overlaid with fresh rows.

Each process keeps one profile index and one role index. They only choose candidates, so they
may lag for other objects: an index is rebuilt after ``MATCHING_INDEX_MAX_AGE`` seconds or when
``matching_index_invalidate`` bumps the shared version, and an object being matched is overlaid
on it at once (``put``). ``current_profiles`` and ``current_roles`` read rows changed since the
load fresh from the database.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from opportunities.matching import scoring as m
from opportunities.matching.index import ProfileIndex, RoleIndex
from opportunities.matching.load import (
    load_profile_index,
    load_role_index,
    profile_vectors,
    role_vectors,
)
from opportunities.models import DeveloperProfile, Role

logger = logging.getLogger(__name__)

VERSION_KEY = "matching:index-version"
# An overlay this large costs more per query than a rebuild.
MAX_OVERLAY = 2000
RECRUITER_TOP_N = 50


def _max_age() -> float:
    return float(getattr(settings, "MATCHING_INDEX_MAX_AGE", 600))


@dataclass
class _Live:
    """A loaded index, when and at which version, and the objects changed since."""

    loader: Callable
    index: object = None
    loaded_at: float = 0.0
    # Wall clock when the load began: rows updated since then are read fresh, not from it.
    loaded_wall: datetime | None = None
    version: int = -1
    overlay: dict[int, object] = field(default_factory=dict)

    def get(self):
        version = cache.get(VERSION_KEY, 0)
        if (
            self.index is None
            or version != self.version
            or time.monotonic() - self.loaded_at > _max_age()
            or len(self.overlay) > MAX_OVERLAY
        ):
            started, wall = time.monotonic(), timezone.now()
            self.index = self.loader()
            self.loaded_at, self.version, self.overlay = time.monotonic(), version, {}
            self.loaded_wall = wall
            logger.info(
                "matching index %s loaded: %d rows in %.2fs",
                self.loader.__name__,
                len(self.index),
                self.loaded_at - started,
            )
        return self.index

    def put(self, object_id: int, vector) -> None:
        """Use this fresh vector (None: gone) instead of what was loaded; an index not loaded
        yet will read it from the database anyway."""
        if self.index is None:
            return
        self.index.retire(object_id)
        self.overlay[object_id] = vector

    def reset(self) -> None:
        self.index, self.overlay, self.loaded_wall = None, {}, None


live_profiles = _Live(load_profile_index)
live_roles = _Live(load_role_index)


def matching_index_invalidate() -> None:
    """Make every worker reload its indexes on next use (after bulk changes)."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, 1, timeout=None)


def matching_index_reset() -> None:
    """Drop this process's indexes (tests, and after a full rematch)."""
    live_profiles.reset()
    live_roles.reset()


def top_profiles_for_role(role: m.RoleVector, *, k: int) -> set[int]:
    """The role's best k profiles, plus its best ``RECRUITER_TOP_N`` discoverable ones so a
    recruiter sees candidates even when most top profiles keep to themselves."""
    index: ProfileIndex = live_profiles.get()
    best, discoverable = index.tops_for_role(role, k=k, k_discoverable=RECRUITER_TOP_N)
    cutoff = best[-1][1] if len(best) == k else m.MATCH_FLOOR
    chosen = {pid for pid, _ in best} | {pid for pid, _ in discoverable}
    # Profiles changed since the load are scored one by one; store_pairs rescores every candidate.
    for profile_id, vector in live_profiles.overlay.items():
        result = m.score(vector, role) if vector is not None else None
        if result is not None and result.score >= cutoff:
            chosen.add(profile_id)
    return chosen


def top_roles_for_profile(profile: m.ProfileVector, *, k: int) -> list[tuple[int, int]]:
    index: RoleIndex = live_roles.get()
    top = index.top_for_profile(profile, k=k)
    extra = []
    for role_id, vector in live_roles.overlay.items():
        result = m.score(profile, vector) if vector is not None else None
        if result is not None and result.score >= m.MATCH_FLOOR:
            extra.append((role_id, result.score))
    if extra:
        top = sorted(top + extra, key=lambda item: m.rank_key(item[1], item[0]))[:k]
    return top


def _current(live: _Live, updated: dict[int, object], reread: Callable) -> dict[int, object]:
    """Vectors of the objects in ``updated`` (id -> updated_at, as the database has them now):
    from the loaded index, except those changed since the load began, which are read fresh."""
    index = live.get()
    vectors, stale = {}, []
    for object_id, updated_at in updated.items():
        if live.loaded_wall is None or updated_at >= live.loaded_wall:
            stale.append(object_id)
        elif object_id in live.overlay:
            if live.overlay[object_id] is not None:
                vectors[object_id] = live.overlay[object_id]
        elif (row := index.row_of(object_id)) is not None:
            vectors[object_id] = index.vector(row)
        else:
            stale.append(object_id)
    vectors.update(reread(stale) if stale else {})
    return vectors


def current_profiles(profile_ids: Iterable[int]) -> dict[int, m.ProfileVector]:
    """These profiles as they are now, in one query when none changed since the index load."""
    updated = dict(
        DeveloperProfile.objects.filter(id__in=list(profile_ids)).values_list("id", "updated_at")
    )
    return _current(live_profiles, updated, profile_vectors)


def current_roles(role_ids: Iterable[int]) -> dict[int, m.RoleVector]:
    """These roles as they are now if still open (closed ones are absent)."""
    updated = dict(
        Role.objects.open().filter(id__in=list(role_ids)).values_list("id", "updated_at")
    )
    return _current(live_roles, updated, role_vectors)

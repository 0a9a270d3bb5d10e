"""Rematching: choose candidates with the live indexes, then score and store them.

Which pairs are stored: each open role's best ``ROLE_TOP_N`` profiles and each profile's best
``PROFILE_TOP_N`` open roles, among pairs scoring at least ``MATCH_FLOOR``; a stored pair is
rescored whenever either side is rematched and removed when it falls below the floor, becomes a
hard mismatch or its role closes. Saved matches are never removed by a rematch (only by their
role closing). The live indexes (``live``) only choose candidates; every stored score comes
from rows read fresh from the database (``store``).
"""

from __future__ import annotations

import logging
import multiprocessing
from collections import defaultdict
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

from django.db import connection, connections, transaction

from opportunities.matching import scoring as m
from opportunities.matching.index import RoleIndex
from opportunities.matching.live import (
    current_profiles,
    current_roles,
    live_profiles,
    live_roles,
    matching_index_invalidate,
    matching_index_reset,
    top_profiles_for_role,
    top_roles_for_profile,
)
from opportunities.matching.load import profile_vectors, role_vectors
from opportunities.matching.store import EXISTING_FIELDS, score_rows, stage_and_merge, store_pairs
from opportunities.models import DeveloperProfile, Match, Role

logger = logging.getLogger(__name__)


@dataclass
class MatchSummary:
    written: int = 0
    deleted: int = 0
    objects: int = 0


def match_roles(*, role_ids: Iterable[int]) -> MatchSummary:
    """Match new or changed roles against every profile; closed roles lose their matches."""
    summary = MatchSummary()
    ids = list(dict.fromkeys(role_ids))
    fresh = role_vectors(ids)
    closed = [rid for rid in ids if rid not in fresh]
    if closed:
        summary.deleted += Match.objects.filter(role_id__in=closed).delete()[0]
        for rid in closed:
            live_roles.put(rid, None)
    for rid, role in fresh.items():
        live_roles.put(rid, role if role.required else None)
        top = top_profiles_for_role(role, k=m.ROLE_TOP_N)
        existing = list(Match.objects.filter(role_id=rid).values_list(*EXISTING_FIELDS))
        profiles = current_profiles(top | {row[1] for row in existing})
        written, deleted = store_pairs(
            pairs=((profile, role) for profile in profiles.values()), existing=existing
        )
        summary.written += written
        summary.deleted += deleted
        summary.objects += 1
    return summary


def match_profile(*, profile_id: int) -> MatchSummary:
    """Rematch one changed profile against every open role."""
    summary = MatchSummary()
    profile = profile_vectors([profile_id]).get(profile_id)
    if profile is None:
        live_profiles.put(profile_id, None)
        return summary
    live_profiles.put(profile_id, profile)
    top = top_roles_for_profile(profile, k=m.PROFILE_TOP_N)
    existing = list(Match.objects.filter(profile_id=profile_id).values_list(*EXISTING_FIELDS))
    roles = current_roles({rid for rid, _ in top} | {row[2] for row in existing})
    # Rows of roles no longer open go too, saved or not: a closed role is no match.
    gone = [row[0] for row in existing if row[2] not in roles]
    existing = [row for row in existing if row[2] in roles]
    written, deleted = store_pairs(
        pairs=((profile, role) for role in roles.values()), existing=existing
    )
    if gone:
        deleted += Match.objects.filter(id__in=gone).delete()[0]
    return MatchSummary(written=written, deleted=deleted, objects=1)


def match_profiles(*, profile_ids: list[int], role_index: RoleIndex | None = None) -> MatchSummary:
    """Rematch a batch of profiles against every open role, writing the batch at once.

    Each profile keeps its best ``PROFILE_TOP_N`` roles and its other stored matches still
    at or above the floor (rescored); the rest go unless saved.
    """
    index: RoleIndex = role_index or live_roles.get()
    profiles = profile_vectors(profile_ids)
    existing = list(Match.objects.filter(profile_id__in=profile_ids).values_list(*EXISTING_FIELDS))
    wanted: dict[int, set[int]] = defaultdict(set)
    for _, pid, rid, _ in existing:
        wanted[pid].add(rid)
    roles: dict[int, m.RoleVector | None] = {}

    def role(rid: int) -> m.RoleVector | None:
        if rid not in roles:
            row = index.row_of(rid)
            roles[rid] = index.vector(row) if row is not None and index.alive[row] else None
        return roles[rid]

    pairs = []
    for pid, profile in profiles.items():
        for rid, _ in index.top_for_profile(profile, k=m.PROFILE_TOP_N):
            wanted[pid].add(rid)
        pairs.extend((profile, r) for rid in wanted[pid] if (r := role(rid)) is not None)
    if connection.vendor == "postgresql":
        rows, _ = score_rows(pairs)
        with transaction.atomic():
            written, deleted = stage_and_merge(rows, list(profile_ids))
    else:
        written, deleted = store_pairs(pairs=pairs, existing=existing)
    return MatchSummary(written=written, deleted=deleted, objects=len(profile_ids))


def match_all_prepare() -> tuple[list[int], int]:
    """Start a full rematch: every worker reloads its indexes and matches of roles no longer
    open go. Returns the profile ids to rematch, in id order, and how many matches went."""
    matching_index_invalidate()
    matching_index_reset()
    deleted = Match.objects.exclude(role__in=Role.objects.open()).delete()[0]
    return list(DeveloperProfile.objects.order_by("id").values_list("id", flat=True)), deleted


def batches(ids: list[int], size: int) -> list[list[int]]:
    return [ids[start : start + size] for start in range(0, len(ids), size)]


# The role index forked batch processes score against (set in the parent just before forking).
_fork_role_index: RoleIndex | None = None


def _forget_inherited_connections() -> None:
    # The parent closed its connections before forking; this process opens its own.
    for conn in connections.all(initialized_only=True):
        conn.connection = None


def _match_batch_in_child(profile_ids: list[int]) -> tuple[int, int, int]:
    summary = match_profiles(profile_ids=profile_ids, role_index=_fork_role_index)
    return summary.written, summary.deleted, summary.objects


def match_all(
    *,
    batch_size: int = 2000,
    progress: Callable[[int, int], None] | None = None,
    limit: int | None = None,
    workers: int = 1,
) -> MatchSummary:
    """Rematch every profile against every open role (after a scoring change or a big import).

    Rebuilds this process's indexes, drops matches of roles no longer open, then rematches
    profiles in batches (``match_profiles``); ``progress(done, total)`` is called after each
    batch. ``limit`` stops after that many profiles (to time a sample). With ``workers`` > 1
    (PostgreSQL) the batches run in that many forked processes sharing the loaded role index:
    one per core. Celery's ``match_all_task`` spreads the batches over workers instead.
    """
    global _fork_role_index
    profile_ids, deleted = match_all_prepare()
    summary = MatchSummary(deleted=deleted)
    role_index: RoleIndex = live_roles.get()
    if limit is not None:  # a sample, for measuring
        profile_ids = profile_ids[:limit]
    chunks = batches(profile_ids, batch_size)
    if workers > 1 and len(chunks) > 1 and connection.vendor == "postgresql":
        _fork_role_index = role_index
        connections.close_all()  # children must not share the parent's sockets
        pool = ProcessPoolExecutor(
            max_workers=workers,
            mp_context=multiprocessing.get_context("fork"),
            initializer=_forget_inherited_connections,
        )
        try:
            outcomes = (MatchSummary(*r) for r in pool.map(_match_batch_in_child, chunks))
            _collect(summary, outcomes, chunks, progress)
        finally:
            pool.shutdown(cancel_futures=True)
            _fork_role_index = None
        return summary
    outcomes = (match_profiles(profile_ids=chunk, role_index=role_index) for chunk in chunks)
    _collect(summary, outcomes, chunks, progress)
    return summary


def _collect(summary, outcomes, chunks, progress) -> None:
    total = sum(len(chunk) for chunk in chunks)
    done = 0
    for chunk, batch in zip(chunks, outcomes, strict=True):
        summary.written += batch.written
        summary.deleted += batch.deleted
        summary.objects += batch.objects
        done += len(chunk)
        if progress is not None:
            progress(done, total)
        logger.info("match_all: %d/%d profiles", done, total)

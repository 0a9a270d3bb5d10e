"""Matching writes: score roles against profiles with the in-memory indexes and store the results.

Which pairs are stored: each open role's best ``ROLE_TOP_N`` profiles and each profile's best
``PROFILE_TOP_N`` open roles, among pairs scoring at least ``MATCH_FLOOR``; a stored pair is
rescored whenever either side is rematched and removed when it falls below the floor, becomes a
hard mismatch or its role closes. Saved matches are never removed by a rematch (only by their
role closing). Every stored score and explanation is computed with ``matching.score`` from rows
read fresh from the database, so the per-process index (which may lag for other objects) only
chooses candidates; it is rebuilt after ``MATCHING_INDEX_MAX_AGE`` seconds or when
``matching_index_invalidate`` bumps the shared version, and the object being matched is
overlaid on it at once.
"""

from __future__ import annotations

import functools
import json
import logging
import multiprocessing
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.cache import cache
from django.db import connection, connections, transaction
from django.utils import timezone

from opportunities.matching import scoring as m
from opportunities.matching.index import (
    KIND_HYBRID,
    KIND_ONSITE,
    KIND_REMOTE_SURE,
    KIND_REMOTE_UNSURE,
    PREF_CODE,
    ProfileIndex,
    RoleIndex,
    code,
)
from opportunities.models import DeveloperProfile, Match, ProfileSkill, Role, RoleSkill, Skill
from opportunities.sql import bound_cursor
from opportunities.vocabulary import SENIORITY_RANK

logger = logging.getLogger(__name__)

VERSION_KEY = "matching:index-version"
# An overlay this large costs more per query than a rebuild.
MAX_OVERLAY = 2000
RECRUITER_TOP_N = 50


def _max_age() -> float:
    return float(getattr(settings, "MATCHING_INDEX_MAX_AGE", 600))


# --- Loading plain vectors ------------------------------------------------------------------


def profile_vectors(profile_ids: Iterable[int]) -> dict[int, m.ProfileVector]:
    """Fresh vectors for these profiles, read in three queries."""
    ids = list(profile_ids)
    if not ids:
        return {}
    skills: dict[int, dict[int, str]] = defaultdict(dict)
    for profile_id, skill_id, level in ProfileSkill.objects.filter(profile_id__in=ids).values_list(
        "profile_id", "skill_id", "level"
    ):
        skills[profile_id][skill_id] = level
    industries: dict[int, set[int]] = defaultdict(set)
    through = DeveloperProfile.industries.through
    for profile_id, industry_id in through.objects.filter(developerprofile_id__in=ids).values_list(
        "developerprofile_id", "industry_id"
    ):
        industries[profile_id].add(industry_id)
    return {
        pid: m.ProfileVector(
            id=pid,
            skills=skills.get(pid, {}),
            industry_ids=frozenset(industries.get(pid, ())),
            workplace_preference=pref,
            needs_worldwide=worldwide,
            country=country,
            seniority=seniority,
            salary_floor=floor,
            salary_currency=currency,
            discoverable=discoverable,
        )
        for pid, pref, worldwide, country, seniority, floor, currency, discoverable in (
            DeveloperProfile.objects.filter(id__in=ids).values_list(
                "id",
                "workplace_preference",
                "needs_worldwide",
                "country",
                "seniority",
                "salary_floor",
                "salary_currency",
                "discoverable",
            )
        )
    }


def role_vectors(role_ids: Iterable[int] | None = None) -> dict[int, m.RoleVector]:
    """Fresh vectors for these open roles (all open roles when None); closed ones are absent."""
    roles = Role.objects.open()
    skills_qs = RoleSkill.objects.filter(role__in=Role.objects.open())
    if role_ids is not None:
        ids = list(role_ids)
        if not ids:
            return {}
        roles = roles.filter(id__in=ids)
        skills_qs = RoleSkill.objects.filter(role_id__in=ids)
    required: dict[int, set[int]] = defaultdict(set)
    nice: dict[int, set[int]] = defaultdict(set)
    for role_id, skill_id, kind in skills_qs.values_list("role_id", "skill_id", "kind"):
        (required if kind == RoleSkill.Kind.REQUIRED else nice)[role_id].add(skill_id)
    return {
        rid: m.RoleVector.create(
            id=rid,
            required=required.get(rid, ()),
            nice=nice.get(rid, ()),
            industry_id=industry_id,
            workplace=workplace,
            worldwide=worldwide,
            country=country,
            applicant_countries=frozenset(countries or ()),
            seniority=seniority,
            salary_ceiling=m.salary_ceiling(ymin, ymax),
            salary_currency=currency,
        )
        for rid, industry_id, workplace, worldwide, country, countries, seniority, ymin, ymax, currency in roles.values_list(  # noqa: E501
            "id",
            "industry_id",
            "workplace",
            "worldwide",
            "country",
            "applicant_countries",
            "seniority",
            "salary_yearly_min",
            "salary_yearly_max",
            "salary_currency",
        )
    }


# --- The per-process indexes ----------------------------------------------------------------

RANK = SENIORITY_RANK
# Table names in the raw queries below come from model metadata, never from input.
PROFILE_COLUMNS = (
    "id, workplace_preference, needs_worldwide, country, seniority, "
    "salary_floor, salary_currency, discoverable"
)
KIND_SQL = "CASE kind WHEN 'required' THEN 1 ELSE 0 END"
LEVEL_SQL = "CASE level WHEN 'expert' THEN 5 WHEN 'working' THEN 4 ELSE 2 END"
PROFILE_SKILL_COLUMNS = f"CAST(profile_id AS integer), CAST(skill_id AS integer), {LEVEL_SQL}"
PROFILE_INDUSTRY_COLUMNS = "CAST(developerprofile_id AS integer), CAST(industry_id AS integer)"


def _int_columns(cursor, sql: str, params=(), *, ncols: int) -> np.ndarray:
    """Rows of integer columns as an (n, ncols) int64 array.

    On PostgreSQL the server packs every value into one bytea (int4send, string_agg): a single
    value to transfer instead of a million row tuples, which is what makes loading fast.
    """
    if connection.vendor != "postgresql":
        cursor.execute(sql, params)
        return np.array(cursor.fetchall(), dtype=np.int64).reshape(-1, ncols)
    names = [f"c{i}" for i in range(ncols)]
    packed = " || ".join(f"int4send(t.{name})" for name in names)
    cursor.execute(
        f"SELECT string_agg({packed}, ''::bytea) FROM ({sql}) AS t({', '.join(names)})",  # noqa: S608
        params,
    )
    body = cursor.fetchone()[0] or b""
    return np.frombuffer(bytes(body), dtype=">i4").reshape(-1, ncols).astype(np.int64)


def load_profile_index() -> ProfileIndex:
    """Every profile as encoded columns, read with three plain queries."""
    with connection.cursor() as cursor:
        columns = PROFILE_COLUMNS
        cursor.execute(f"SELECT {columns} FROM {DeveloperProfile._meta.db_table} ORDER BY id")  # noqa: S608
        rows = cursor.fetchall()
        table = ProfileSkill._meta.db_table
        skill_rows = _int_columns(
            cursor,
            f"SELECT {PROFILE_SKILL_COLUMNS} FROM {table}",  # noqa: S608
            ncols=3,
        )
        through = DeveloperProfile.industries.through._meta.db_table
        industry_rows = _int_columns(
            cursor,
            f"SELECT {PROFILE_INDUSTRY_COLUMNS} FROM {through}",  # noqa: S608
            ncols=2,
        )
    n = len(rows)
    ids = np.fromiter((r[0] for r in rows), np.int64, n)
    return ProfileIndex.from_columns(
        ids=ids,
        pref=np.fromiter((PREF_CODE[r[1]] for r in rows), np.int8, n),
        needs_worldwide=np.fromiter((bool(r[2]) for r in rows), bool, n),
        country=np.fromiter((code(r[3]) for r in rows), np.int32, n),
        seniority=np.fromiter((RANK.get(r[4], -1) for r in rows), np.int8, n),
        floor=np.fromiter((-1 if r[5] is None else r[5] for r in rows), np.int64, n),
        currency=np.fromiter((code(r[6]) for r in rows), np.int32, n),
        discoverable=np.fromiter((bool(r[7]) for r in rows), bool, n),
        skill_rows=np.searchsorted(ids, skill_rows[:, 0]).astype(np.int32),
        skill_keys=skill_rows[:, 1],
        skill_units=skill_rows[:, 2].astype(np.int32),
        industry_rows=np.searchsorted(ids, industry_rows[:, 0]).astype(np.int32),
        industry_keys=industry_rows[:, 1],
    )


def load_role_index() -> RoleIndex:
    """Every open role that asks for a skill, as encoded columns."""
    open_roles = Role.objects.open().order_by("id")
    rows = list(
        open_roles.values_list(
            "id",
            "industry_id",
            "workplace",
            "worldwide",
            "country",
            "applicant_countries",
            "seniority",
            "salary_yearly_min",
            "salary_yearly_max",
            "salary_currency",
        )
    )
    all_ids = np.fromiter((r[0] for r in rows), np.int64, len(rows))
    sql, params = open_roles.values("id").query.sql_with_params()
    with connection.cursor() as cursor:
        table = RoleSkill._meta.db_table
        columns = f"CAST(role_id AS integer), CAST(skill_id AS integer), {KIND_SQL}"
        query = f"SELECT {columns} FROM {table} WHERE role_id IN ({sql})"  # noqa: S608
        skills = _int_columns(cursor, query, params, ncols=3)
    skill_row = np.searchsorted(all_ids, skills[:, 0])
    is_required = skills[:, 2] == 1
    n_required = np.bincount(skill_row[is_required], minlength=len(rows))
    # A role without required skills treats its nice-to-have ones as required.
    promote = ~is_required & (n_required[skill_row] == 0)
    is_required |= promote
    n_required = np.bincount(skill_row[is_required], minlength=len(rows))
    n_nice = np.bincount(skill_row[~is_required], minlength=len(rows))
    keep = n_required > 0
    new_row = np.cumsum(keep) - 1
    rows = [r for r, k in zip(rows, keep.tolist(), strict=True) if k]
    skill_keep = keep[skill_row]
    skill_row, skills, is_required = (
        new_row[skill_row[skill_keep]],
        skills[skill_keep],
        is_required[skill_keep],
    )
    n = len(rows)

    def kind(r) -> int:
        if r[2] == "remote":
            return KIND_REMOTE_SURE if r[3] or r[5] else KIND_REMOTE_UNSURE
        return KIND_HYBRID if r[2] == "hybrid" else KIND_ONSITE

    restricted = np.fromiter((r[2] == "remote" and not r[3] and bool(r[5]) for r in rows), bool, n)
    elig_rows, elig_keys = [], []
    for row in np.flatnonzero(restricted).tolist():
        for country in rows[row][5]:
            elig_rows.append(row)
            elig_keys.append(code(country))
    ceilings = (m.salary_ceiling(r[7], r[8]) for r in rows)
    return RoleIndex.from_columns(
        ids=np.fromiter((r[0] for r in rows), np.int64, n),
        n_required=n_required[keep].astype(np.int32),
        n_nice=n_nice[keep].astype(np.int32),
        industry=np.fromiter((-1 if r[1] is None else r[1] for r in rows), np.int64, n),
        kind=np.fromiter((kind(r) for r in rows), np.int8, n),
        worldwide=np.fromiter((bool(r[3]) for r in rows), bool, n),
        fixed_country=np.fromiter(
            (code(r[4]) if r[2] != "remote" else 0 for r in rows), np.int32, n
        ),
        restricted=restricted,
        seniority=np.fromiter((RANK.get(r[6], -1) for r in rows), np.int8, n),
        ceiling=np.fromiter((-1 if c is None else c for c in ceilings), np.int64, n),
        currency=np.fromiter((code(r[9]) for r in rows), np.int32, n),
        req_rows=skill_row[is_required],
        req_keys=skills[is_required, 1],
        nice_rows=skill_row[~is_required],
        nice_keys=skills[~is_required, 1],
        elig_rows=np.array(elig_rows, np.int64),
        elig_keys=np.array(elig_keys, np.int64),
    )


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


_profiles = _Live(load_profile_index)
_roles = _Live(load_role_index)


def matching_index_invalidate() -> None:
    """Make every worker reload its indexes on next use (after bulk changes)."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, 1, timeout=None)


def matching_index_reset() -> None:
    """Drop this process's indexes (tests, and after a full rematch)."""
    _profiles.reset()
    _roles.reset()


def _top_profiles_for_role(role: m.RoleVector, *, k: int) -> set[int]:
    """The role's best k profiles, plus its best ``RECRUITER_TOP_N`` discoverable ones so a
    recruiter sees candidates even when most top profiles keep to themselves."""
    index: ProfileIndex = _profiles.get()
    best, discoverable = index.tops_for_role(role, k=k, k_discoverable=RECRUITER_TOP_N)
    cutoff = best[-1][1] if len(best) == k else m.MATCH_FLOOR
    chosen = {pid for pid, _ in best} | {pid for pid, _ in discoverable}
    # Profiles changed since the load are scored one by one; _store rescores every candidate.
    for profile_id, vector in _profiles.overlay.items():
        result = m.score(vector, role) if vector is not None else None
        if result is not None and result.score >= cutoff:
            chosen.add(profile_id)
    return chosen


def _top_roles_for_profile(profile: m.ProfileVector, *, k: int) -> list[tuple[int, int]]:
    index: RoleIndex = _roles.get()
    top = index.top_for_profile(profile, k=k)
    extra = []
    for role_id, vector in _roles.overlay.items():
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
    return _current(_profiles, updated, profile_vectors)


def current_roles(role_ids: Iterable[int]) -> dict[int, m.RoleVector]:
    """These roles as they are now if still open (closed ones are absent)."""
    updated = dict(
        Role.objects.open().filter(id__in=list(role_ids)).values_list("id", "updated_at")
    )
    return _current(_roles, updated, role_vectors)


# --- Storing --------------------------------------------------------------------------------

_skill_slugs: dict[int, str] = {}


def _slugs(skill_ids: list[int]) -> list[str]:
    try:
        return [_skill_slugs[i] for i in skill_ids]
    except KeyError:  # a skill added since this process last read them
        _skill_slugs.update(Skill.objects.values_list("id", "slug"))
        return [_skill_slugs.get(i, str(i)) for i in skill_ids]


def explanation(result: m.MatchResult) -> dict:
    """What a Match stores about why: skill slugs and each factor's points."""
    return {
        "matched_required": _slugs(result.matched_required),
        "matched_nice": _slugs(result.matched_nice),
        "missing_required": _slugs(result.missing_required),
        "factors": result.factors,
    }


@functools.lru_cache(maxsize=4096)
def _quoted(slug: str) -> str:
    return json.dumps(slug)


def explanation_json(value: dict) -> str:
    """``json.dumps(value)`` for an ``explanation`` dict, composed from cached pieces: a full
    rematch encodes millions of them."""
    factors = ", ".join(f"{_quoted(name)}: {points}" for name, points in value["factors"].items())
    return (
        f'{{"matched_required": [{", ".join(map(_quoted, value["matched_required"]))}], '
        f'"matched_nice": [{", ".join(map(_quoted, value["matched_nice"]))}], '
        f'"missing_required": [{", ".join(map(_quoted, value["missing_required"]))}], '
        f'"factors": {{{factors}}}}}'
    )


# A stored row before writing: (profile id, role id, score, explanation).
Row = tuple[int, int, int, dict]

MATCH_TABLE = Match._meta.db_table
# One statement writes a whole list of rows and leaves unchanged ones alone, so a rerun writes
# nothing; the table name comes from model metadata.
UPSERT_SQL = f"""
INSERT INTO {MATCH_TABLE}
    (profile_id, role_id, score, explanation, dismissed, saved, created_at, updated_at)
SELECT t.p, t.r, t.s, t.e::jsonb, false, false, %(now)s, %(now)s FROM {{source}}
ON CONFLICT (profile_id, role_id) DO UPDATE
SET score = EXCLUDED.score, explanation = EXCLUDED.explanation, updated_at = EXCLUDED.updated_at
WHERE {MATCH_TABLE}.score <> EXCLUDED.score OR {MATCH_TABLE}.explanation <> EXCLUDED.explanation
"""  # noqa: S608
UNNEST = (
    "unnest(%(p)s::bigint[], %(r)s::bigint[], %(s)s::smallint[], %(e)s::text[]) AS t(p, r, s, e)"
)


def _score_rows(pairs: Iterable[tuple[m.ProfileVector, m.RoleVector]]) -> tuple[list[Row], set]:
    """Rows of the pairs at or above the floor, and every pair that is still a match."""
    rows, kept = [], set()
    for profile, role in pairs:
        result = m.score(profile, role)
        if result is not None and result.score >= m.MATCH_FLOOR:
            rows.append((profile.id, role.id, result.score, explanation(result)))
            kept.add((profile.id, role.id))
    return rows, kept


def _upsert(rows: list[Row], existing_ids: list[int]) -> int:
    """Write new or changed rows (one statement on PostgreSQL); returns how many were written."""
    if not rows:
        return 0
    if connection.vendor == "postgresql":
        with bound_cursor() as cursor:
            cursor.execute(
                UPSERT_SQL.format(source=UNNEST),
                {
                    "now": timezone.now(),
                    "p": [r[0] for r in rows],
                    "r": [r[1] for r in rows],
                    "s": [r[2] for r in rows],
                    "e": [explanation_json(r[3]) for r in rows],
                },
            )
            return cursor.rowcount
    old = {
        (pid, rid): (score, expl)
        for pid, rid, score, expl in Match.objects.filter(id__in=existing_ids).values_list(
            "profile_id", "role_id", "score", "explanation"
        )
    }
    changed = [
        Match(profile_id=pid, role_id=rid, score=score, explanation=expl)
        for pid, rid, score, expl in rows
        if old.get((pid, rid)) != (score, expl)
    ]
    Match.objects.bulk_create(
        changed,
        batch_size=500,
        update_conflicts=True,
        unique_fields=["profile", "role"],
        update_fields=["score", "explanation", "updated_at"],
    )
    return len(changed)


def _store(
    *,
    pairs: Iterable[tuple[m.ProfileVector, m.RoleVector]],
    existing: list[tuple[int, int, int, bool]],
) -> tuple[int, int]:
    """Score pairs, write new or changed matches and delete stale unsaved ones.

    ``existing`` holds (match id, profile id, role id, saved) of the rows in scope; returns
    (rows written, rows deleted).
    """
    rows, kept = _score_rows(pairs)
    # A saved match stays, with its last score, even when it no longer fits.
    stale = [mid for mid, pid, rid, saved in existing if not saved and (pid, rid) not in kept]
    with transaction.atomic():
        deleted = Match.objects.filter(id__in=stale).delete()[0] if stale else 0
        written = _upsert(rows, [row[0] for row in existing])
    return written, deleted


EXISTING_FIELDS = ("id", "profile_id", "role_id", "saved")


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
            _roles.put(rid, None)
    for rid, role in fresh.items():
        _roles.put(rid, role if role.required else None)
        top = _top_profiles_for_role(role, k=m.ROLE_TOP_N)
        existing = list(Match.objects.filter(role_id=rid).values_list(*EXISTING_FIELDS))
        profiles = current_profiles(top | {row[1] for row in existing})
        written, deleted = _store(
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
        _profiles.put(profile_id, None)
        return summary
    _profiles.put(profile_id, profile)
    top = _top_roles_for_profile(profile, k=m.PROFILE_TOP_N)
    existing = list(Match.objects.filter(profile_id=profile_id).values_list(*EXISTING_FIELDS))
    roles = current_roles({rid for rid, _ in top} | {row[2] for row in existing})
    # Rows of roles no longer open go too, saved or not: a closed role is no match.
    gone = [row[0] for row in existing if row[2] not in roles]
    existing = [row for row in existing if row[2] in roles]
    written, deleted = _store(pairs=((profile, role) for role in roles.values()), existing=existing)
    if gone:
        deleted += Match.objects.filter(id__in=gone).delete()[0]
    return MatchSummary(written=written, deleted=deleted, objects=1)


STAGE_TABLE = "matching_stage"


def _stage_and_merge(rows: list[Row], profile_ids: list[int]) -> tuple[int, int]:
    """PostgreSQL, for big batches: COPY rows into a temporary table, merge them in one
    statement, and delete the batch's unsaved rows that are not among them."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMPORARY TABLE IF NOT EXISTS {STAGE_TABLE} "
            "(p bigint, r bigint, s smallint, e text)"
        )
        cursor.execute(f"TRUNCATE {STAGE_TABLE}")
        with cursor.cursor.copy(f"COPY {STAGE_TABLE} (p, r, s, e) FROM STDIN") as copy:
            for pid, rid, score, expl in rows:
                copy.write_row((pid, rid, score, explanation_json(expl)))
        cursor.execute(f"ANALYZE {STAGE_TABLE}")
        cursor.execute(UPSERT_SQL.format(source=f"{STAGE_TABLE} AS t"), {"now": timezone.now()})
        written = cursor.rowcount
        cursor.execute(
            f"DELETE FROM {MATCH_TABLE} AS x WHERE x.profile_id = ANY(%s) AND NOT x.saved "  # noqa: S608
            f"AND NOT EXISTS (SELECT 1 FROM {STAGE_TABLE} AS t "
            "WHERE t.p = x.profile_id AND t.r = x.role_id)",
            [profile_ids],
        )
        return written, cursor.rowcount


def match_profiles(*, profile_ids: list[int], role_index: RoleIndex | None = None) -> MatchSummary:
    """Rematch a batch of profiles against every open role, writing the batch at once.

    Each profile keeps its best ``PROFILE_TOP_N`` roles and its other stored matches still
    at or above the floor (rescored); the rest go unless saved.
    """
    index: RoleIndex = role_index or _roles.get()
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
        rows, _ = _score_rows(pairs)
        with transaction.atomic():
            written, deleted = _stage_and_merge(rows, list(profile_ids))
    else:
        written, deleted = _store(pairs=pairs, existing=existing)
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
    role_index: RoleIndex = _roles.get()
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


# --- A developer's actions and suggestions --------------------------------------------------


class MatchPermissionError(PermissionError):
    """Someone acting on a match that is not theirs."""


def _own(match: Match, user: AbstractBaseUser) -> None:
    if match.profile.user_id != user.pk:
        raise MatchPermissionError("Only the developer can change their own match.")


def match_dismiss(*, match: Match, user: AbstractBaseUser, dismissed: bool = True) -> Match:
    """Hide a match from the developer's list (or bring it back)."""
    _own(match, user)
    match.dismissed = dismissed
    match.save(update_fields=["dismissed", "updated_at"])
    return match


def match_save(*, match: Match, user: AbstractBaseUser, saved: bool = True) -> Match:
    """Keep a match on the developer's saved list (or take it off)."""
    _own(match, user)
    match.saved = saved
    match.save(update_fields=["saved", "updated_at"])
    return match


def skills_to_learn(*, profile: DeveloperProfile, limit: int = 10) -> list[tuple[Skill, int]]:
    """Missing skills that would add the most good matches, with how many roles each adds."""
    vector = profile_vectors([profile.pk]).get(profile.pk)
    if vector is None:
        return []
    ranked = _roles.get().skills_to_learn(vector, limit=limit)
    skills = Skill.objects.in_bulk([skill_id for skill_id, _ in ranked])
    return [(skills[sid], count) for sid, count in ranked if sid in skills]

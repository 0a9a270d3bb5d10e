"""Reading matching inputs from the database: fresh vectors of a few rows, and whole indexes.

``profile_vectors`` and ``role_vectors`` build plain ``scoring`` vectors through the ORM, for
the few objects a rematch scores; ``load_profile_index`` and ``load_role_index`` read every row
with plain SQL into the encoded columns of ``index``, which is what makes a load fast.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

import numpy as np
from django.db import connection

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
from opportunities.models import DeveloperProfile, ProfileSkill, Role, RoleSkill
from opportunities.vocabulary import SENIORITY_RANK

# --- Plain vectors --------------------------------------------------------------------------


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
            excluded_countries=frozenset(excluded or ()),
            seniority=seniority,
            salary_ceiling=m.salary_ceiling(ymin, ymax),
            salary_currency=currency,
        )
        for rid, industry_id, workplace, worldwide, country, countries, excluded, seniority, ymin, ymax, currency in roles.values_list(  # noqa: E501
            "id",
            "industry_id",
            "workplace",
            "worldwide",
            "country",
            "applicant_countries",
            "excluded_countries",
            "seniority",
            "salary_yearly_min",
            "salary_yearly_max",
            "salary_currency",
        )
    }


# --- Whole indexes --------------------------------------------------------------------------

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
            "excluded_countries",
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
    excl_rows, excl_keys = [], []
    for row, r in enumerate(rows):
        for country in r[10] or ():
            excl_rows.append(row)
            excl_keys.append(code(country))
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
        excl_rows=np.array(excl_rows, np.int64),
        excl_keys=np.array(excl_keys, np.int64),
    )

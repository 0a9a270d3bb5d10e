"""Storing matches: explanations, and writing scored pairs as new, changed or stale rows.

Every stored score and explanation is computed with ``scoring.score`` from vectors read fresh
from the database. Unchanged rows are left alone, so a rerun writes nothing; a saved match is
never removed here, even when it no longer fits.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable

from django.db import connection, transaction
from django.utils import timezone

from opportunities.matching import scoring as m
from opportunities.models import Match, Skill
from opportunities.sql import bound_cursor

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


def score_rows(pairs: Iterable[tuple[m.ProfileVector, m.RoleVector]]) -> tuple[list[Row], set]:
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


# The columns of the stored rows in scope, as store_pairs takes them in ``existing``.
EXISTING_FIELDS = ("id", "profile_id", "role_id", "saved")


def store_pairs(
    *,
    pairs: Iterable[tuple[m.ProfileVector, m.RoleVector]],
    existing: list[tuple[int, int, int, bool]],
) -> tuple[int, int]:
    """Score pairs, write new or changed matches and delete stale unsaved ones.

    ``existing`` holds (match id, profile id, role id, saved) of the rows in scope; returns
    (rows written, rows deleted).
    """
    rows, kept = score_rows(pairs)
    # A saved match stays, with its last score, even when it no longer fits.
    stale = [mid for mid, pid, rid, saved in existing if not saved and (pid, rid) not in kept]
    with transaction.atomic():
        deleted = Match.objects.filter(id__in=stale).delete()[0] if stale else 0
        written = _upsert(rows, [row[0] for row in existing])
    return written, deleted


STAGE_TABLE = "matching_stage"


def stage_and_merge(rows: list[Row], profile_ids: list[int]) -> tuple[int, int]:
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

"""Keeping the search columns of Role right after its skills are written.

Role.skill_ids and Role.skill_text mirror the role's RoleSkill rows so that "has all of these
skills" is one index lookup and skills weigh in the text search. Whoever writes RoleSkill rows
calls `catalog.services.role_skills_changed(role_ids=...)` once afterwards (one statement for
the whole batch, and a rematch), or fills both columns in the same INSERT with
`role_skill_columns(skills)` and queues the rematch itself, as the ingest does. The text vectors
themselves are computed by a PostgreSQL trigger (migration 0003_role_search); see docs/search.md.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.db import connection, transaction

from opportunities.models import Role, RoleSkill, Skill


def role_skill_columns(skills: Iterable[Skill]) -> dict[str, object]:
    """The values of Role.skill_ids and Role.skill_text for a role asking for these skills."""
    ordered = sorted({skill.pk: skill for skill in skills}.values(), key=lambda skill: skill.pk)
    return {
        "skill_ids": [skill.pk for skill in ordered],
        "skill_text": " ".join(sorted(skill.name for skill in ordered)),
    }


_POSTGRES_REINDEX = """
UPDATE opportunities_role AS role
SET skill_ids = agg.ids, skill_text = agg.names
FROM (
    SELECT r.id,
           coalesce(jsonb_agg(rs.skill_id ORDER BY rs.skill_id)
                    FILTER (WHERE rs.skill_id IS NOT NULL), '[]'::jsonb) AS ids,
           coalesce(string_agg(s.name, ' ' ORDER BY s.name), '') AS names
    FROM opportunities_role r
    LEFT JOIN opportunities_roleskill rs ON rs.role_id = r.id
    LEFT JOIN opportunities_skill s ON s.id = rs.skill_id
    WHERE r.id = ANY(%s)
    GROUP BY r.id
) AS agg
WHERE role.id = agg.id
  AND (role.skill_ids IS DISTINCT FROM agg.ids OR role.skill_text IS DISTINCT FROM agg.names)
"""


def roles_reindex(*, role_ids: Iterable[int], force: bool = False) -> int:
    """Refresh the search columns of these roles from their RoleSkill rows; returns rows changed.

    `force=True` also recomputes the text vectors (after a change the trigger cannot see,
    such as a new text-search configuration).
    """
    ids = sorted(set(role_ids))
    if not ids:
        return 0
    if connection.vendor == "postgresql":
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(_POSTGRES_REINDEX, [ids])
            changed = cursor.rowcount
            if force:
                cursor.execute(
                    "UPDATE opportunities_role SET search_vector = NULL WHERE id = ANY(%s)", [ids]
                )
            return changed
    return _roles_reindex_portable(ids)


def _roles_reindex_portable(ids: list[int]) -> int:
    skills: dict[int, list[tuple[int, str]]] = defaultdict(list)
    links = RoleSkill.objects.filter(role_id__in=ids).values_list(
        "role_id", "skill_id", "skill__name"
    )
    for role_id, skill_id, name in links:
        skills[role_id].append((skill_id, name))
    changed = []
    for role in Role.objects.filter(pk__in=ids).only("pk", "skill_ids", "skill_text"):
        pairs = skills.get(role.pk, [])
        skill_ids = sorted(skill_id for skill_id, _ in pairs)
        skill_text = " ".join(sorted(name for _, name in pairs))
        if role.skill_ids != skill_ids or role.skill_text != skill_text:
            role.skill_ids, role.skill_text = skill_ids, skill_text
            changed.append(role)
    with transaction.atomic():
        Role.objects.bulk_update(changed, ["skill_ids", "skill_text"], batch_size=500)
    return len(changed)

"""Industry and skill names for the search page, kept in process memory until the taxonomy changes.

Every search resolves slugs (?industry=…, ?skill=…) and names facet options; reading the
taxonomy tables for that costs queries and model instances on each page. The copy here is
rebuilt when a cheap fingerprint of the two tables changes (one query), so a curator's rename,
a merge or a new skill shows on the next search in every process, with no signal to send.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from django.db import connections

from opportunities.models import Industry, Skill


@dataclass(frozen=True, slots=True)
class Term:
    """An industry or a skill as search shows it."""

    pk: int
    slug: str
    name: str
    active: bool

    def __str__(self) -> str:
        return self.name


@dataclass(frozen=True, slots=True)
class Taxonomy:
    key: tuple
    industries: dict[int, Term]  # every industry, by id
    skills: dict[int, Term]  # every skill (merged and retired ones too: old links name them)
    industry_by_slug: dict[str, Term]  # active industries only
    skill_by_slug: dict[str, Term]  # active, unmerged skills only

    def active_industries(self) -> list[Term]:
        return [term for term in self.industries.values() if term.active]


_cache: dict[str, Taxonomy] = {}
_lock = threading.Lock()


def _fingerprint(using: str) -> tuple:
    """Row count, highest id and latest change of both tables: any write moves one of them."""
    connection = connections[using]
    quote = connection.ops.quote_name
    # One round trip for both tables; the names come from the models, not from input.
    columns = ", ".join(
        f"(SELECT {aggregate} FROM {quote(model._meta.db_table)})"  # noqa: S608
        for model in (Skill, Industry)
        for aggregate in ("COUNT(*)", f"MAX({quote('id')})", f"MAX({quote('updated_at')})")
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns}")
        return tuple(cursor.fetchone())


def _build(key: tuple, using: str) -> Taxonomy:
    skills = {
        pk: Term(pk, slug, name, active and merged_into_id is None)
        for pk, slug, name, active, merged_into_id in Skill.objects.using(using).values_list(
            "pk", "slug", "name", "active", "merged_into_id"
        )
    }
    industries = {
        pk: Term(pk, slug, name, active)
        for pk, slug, name, active in Industry.objects.using(using)
        .order_by("name")
        .values_list("pk", "slug", "name", "active")
    }
    return Taxonomy(
        key=key,
        industries=industries,
        skills=skills,
        industry_by_slug={term.slug: term for term in industries.values() if term.active},
        skill_by_slug={term.slug: term for term in skills.values() if term.active},
    )


def taxonomy_current(using: str = "default") -> Taxonomy:
    """The taxonomy as it stands now: one fingerprint query, a rebuild only after a change."""
    key = _fingerprint(using)
    cached = _cache.get(using)
    if cached is not None and cached.key == key:
        return cached
    with _lock:
        cached = _cache.get(using)
        if cached is None or cached.key != key:
            cached = _cache[using] = _build(key, using)
        return cached

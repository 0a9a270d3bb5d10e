"""The taxonomy in process memory until it changes: search's names, the ingest's recognisers.

Every search resolves slugs (?industry=…, ?skill=…) and names facet options, and every ingest
run recognises skills and industries; reading the taxonomy tables for that costs queries and
model instances each time. A copy built here is kept until a cheap fingerprint of the tables
changes (one query), so a curator's rename, a merge, a new skill or alias shows on the next
search or run in every process, with no signal to send.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from django.db import connections

from opportunities.models import Industry, Skill, SkillAlias

T = TypeVar("T")

# Each table's row count and highest id, and its latest change where it keeps one: an alias
# has no updated_at, so one renamed in place shows once its skill is saved (the skill admin
# saves the skill with its alias inline, and the curators' services touch it).
_FINGERPRINTED = ((Skill, True), (Industry, True), (SkillAlias, False))


def taxonomy_fingerprint(using: str = "default") -> tuple:
    """Row count, highest id and latest change of skills, industries and skill aliases, in one
    query: any write to the taxonomy moves one of them."""
    connection = connections[using]
    quote = connection.ops.quote_name
    selects = []
    for model, stamped in _FINGERPRINTED:
        aggregates = ["COUNT(*)", f"MAX({quote('id')})"]
        if stamped:
            aggregates.append(f"MAX({quote('updated_at')})")
        table = quote(model._meta.db_table)
        # The names come from the models, not from input.
        selects += [f"(SELECT {aggregate} FROM {table})" for aggregate in aggregates]  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(selects)}")  # one round trip for the three tables
        return tuple(cursor.fetchone())


class TaxonomyMemo(Generic[T]):
    """A value built from the taxonomy, kept per database until its fingerprint changes.

    `build(fingerprint, using)` runs once per change and database; threads that ask at once
    wait for the one build rather than each reading the tables.
    """

    def __init__(self, build: Callable[[tuple, str], T]) -> None:
        self._build = build
        self._built: dict[str, tuple[tuple, T]] = {}
        self._lock = threading.Lock()

    def current(self, using: str = "default") -> T:
        """The value for the taxonomy as it stands now: one query, a rebuild only after a change."""
        key = taxonomy_fingerprint(using)
        built = self._built.get(using)
        if built is not None and built[0] == key:
            return built[1]
        with self._lock:
            built = self._built.get(using)
            if built is None or built[0] != key:
                built = self._built[using] = (key, self._build(key, using))
            return built[1]


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


_search_taxonomy = TaxonomyMemo(_build)


def taxonomy_current(using: str = "default") -> Taxonomy:
    """The taxonomy as search shows it now: one fingerprint query, a rebuild only after a change."""
    return _search_taxonomy.current(using)

"""The ingest's skill and industry recognisers for the taxonomy as it stands now.

Building them reads every active skill with its aliases and compiles an automaton, so they
are built once per process and kept until the taxonomy's fingerprint changes (the one cache in
opportunities.catalog.taxonomy_cache, shared with search).
"""

from __future__ import annotations

from dataclasses import dataclass

from opportunities.catalog.taxonomy_cache import TaxonomyMemo
from opportunities.ingest.normalise.industries import IndustryRecogniser
from opportunities.ingest.normalise.skills import SkillRecogniser, SkillTerms
from opportunities.models import Industry, Skill


@dataclass(slots=True)
class Recognisers:
    """What a run normalises with, and the ids it writes, for one version of the taxonomy."""

    key: tuple  # the taxonomy's fingerprint: part of every item's hash
    skills: SkillRecogniser
    industries: IndustryRecogniser | None
    skill_by_slug: dict[str, tuple[int, str]]  # slug -> (id, name)
    industry_by_slug: dict[str, int]


def _recognisers_build(key: tuple, using: str) -> Recognisers:
    skills = list(Skill.objects.using(using).active().prefetch_related("aliases"))
    industries = list(Industry.objects.using(using).filter(active=True))
    terms = [
        SkillTerms(
            skill.slug,
            skill.name,
            tuple(alias.name for alias in skill.aliases.all() if not alias.context_only),
            skill.match_name,
            tuple(alias.name for alias in skill.aliases.all() if alias.context_only),
            skill.category,
        )
        for skill in skills
    ]
    keywords = [(industry.slug, list(industry.keywords or ())) for industry in industries]
    return Recognisers(
        key=key,
        skills=SkillRecogniser(terms),
        industries=IndustryRecogniser(keywords) if industries else None,
        skill_by_slug={skill.slug: (skill.pk, skill.name) for skill in skills},
        industry_by_slug={industry.slug: industry.pk for industry in industries},
    )


_recognisers = TaxonomyMemo(_recognisers_build)


def recognisers_current() -> Recognisers:
    """The recognisers for the taxonomy as it stands now (one fingerprint query; a rebuild
    only after the taxonomy changed)."""
    return _recognisers.current()

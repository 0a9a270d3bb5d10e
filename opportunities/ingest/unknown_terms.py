"""The curators' answers to the skill-like terms the ingest did not recognise.

A term becomes a new Skill, another name (alias) of an existing one, or is ignored; the
first two change the taxonomy's fingerprint, so the next run's recognisers know the term.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from opportunities.models import Skill, SkillAlias, SkillCategory, UnknownSkillTerm


def unknown_term_skill_create(
    *, term: UnknownSkillTerm, category: str = SkillCategory.TECHNIQUE
) -> Skill:
    """Make a new Skill named after the term; the term is then known and leaves the list."""
    with transaction.atomic():
        skill = Skill.objects.filter(name__iexact=term.term).first()
        if skill is None:
            skill = Skill.objects.create(
                name=term.term, slug=_unique_skill_slug(term.term), category=category
            )
        term.delete()
    return skill


def _unique_skill_slug(name: str) -> str:
    base = slugify(name)[:90] or "skill"
    slug, n = base, 2
    while Skill.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def unknown_term_alias_add(*, term: UnknownSkillTerm, skill: Skill) -> SkillAlias:
    """Record the term as another name of `skill`; the term is then known and leaves the list."""
    with transaction.atomic():
        alias = SkillAlias.objects.filter(name__iexact=term.term).first()
        if alias is not None and alias.skill_id != skill.pk:
            raise ValueError(f"“{term.term}” is already an alias of {alias.skill.name}.")
        if alias is None:
            alias = SkillAlias.objects.create(skill=skill, name=term.term)
        # Touch the skill so the recognisers (keyed on updated_at) are rebuilt.
        Skill.objects.filter(pk=skill.pk).update(updated_at=timezone.now())
        term.delete()
    return alias


def unknown_terms_ignore(*, terms: Iterable[UnknownSkillTerm]) -> int:
    """Hide terms that are not skills from the curators' list (their counts keep growing)."""
    return UnknownSkillTerm.objects.filter(pk__in=[term.pk for term in terms]).update(ignored=True)

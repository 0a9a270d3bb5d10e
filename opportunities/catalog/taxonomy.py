"""Taxonomy writes: seeding industries and skills, and merging one skill into another."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.db.models.functions import Lower
from django.utils.text import slugify

from opportunities.catalog.services import role_skills_changed
from opportunities.catalog.skill_columns import roles_reindex
from opportunities.models import (
    Industry,
    ProfileSkill,
    RoleSkill,
    Skill,
    SkillAlias,
    SkillLevel,
)
from opportunities.text import text_clean


@dataclass
class SeedReport:
    """What a seeding pass created, and what it left alone because it already existed."""

    industries_created: int = 0
    industries_existing: int = 0
    skills_created: int = 0
    skills_existing: int = 0
    skills_merged_skipped: int = 0
    aliases_created: int = 0
    aliases_existing: int = 0
    aliases_taken: int = 0

    @property
    def created(self) -> int:
        return self.industries_created + self.skills_created + self.aliases_created

    def __str__(self) -> str:
        return (
            f"industries: {self.industries_created} created, {self.industries_existing} existing; "
            f"skills: {self.skills_created} created, {self.skills_existing} existing, "
            f"{self.skills_merged_skipped} merged away (left alone); "
            f"aliases: {self.aliases_created} created, {self.aliases_existing} existing, "
            f"{self.aliases_taken} belonging to another skill (left alone)"
        )


def _industries_seed(*, items: list[dict], report: SeedReport) -> None:
    known = set()
    for slug, name in Industry.objects.values_list("slug", "name"):
        known |= {slug, name}
    for item in items:
        slug = item.get("slug") or slugify(item["name"])
        if slug in known or item["name"] in known:
            report.industries_existing += 1
            continue
        Industry.objects.create(
            slug=slug,
            name=item["name"],
            description=item.get("description", ""),
            keywords=list(item.get("keywords", [])),
        )
        known |= {slug, item["name"]}
        report.industries_created += 1


def _skills_seed(*, items: list[dict], report: SeedReport) -> None:
    skills: dict[str, Skill] = {}
    for skill in Skill.objects.all():
        skills[skill.slug] = skill
        skills.setdefault(skill.name, skill)
    # lower(alias) -> id of the skill it belongs to, as the unique constraint sees it.
    aliases = {
        lname: skill_id
        for lname, skill_id in SkillAlias.objects.annotate(lname=Lower("name")).values_list(
            "lname", "skill_id"
        )
    }
    new_aliases: list[SkillAlias] = []
    for item in items:
        slug = item.get("slug") or slugify(item["name"])
        skill = skills.get(slug) or skills.get(item["name"])
        if skill is None:
            skill = Skill.objects.create(
                slug=slug,
                name=item["name"],
                category=item.get("category", "technique"),
                match_name=item.get("match_name", True),
            )
            skills[slug] = skills[item["name"]] = skill
            report.skills_created += 1
        elif skill.merged_into_id is not None:
            # A curator merged it away; its aliases now belong to the survivor.
            report.skills_merged_skipped += 1
            continue
        else:
            report.skills_existing += 1

        named = [(alias, False) for alias in item.get("aliases", [])]
        named += [(alias, True) for alias in item.get("context_aliases", [])]
        for alias, context_only in named:
            alias = alias.strip()
            if not alias:
                continue
            owner = aliases.get(alias.lower())
            if owner is None:
                new_aliases.append(SkillAlias(skill=skill, name=alias, context_only=context_only))
                aliases[alias.lower()] = skill.pk
                report.aliases_created += 1
            elif owner == skill.pk:
                report.aliases_existing += 1
            else:
                report.aliases_taken += 1
    SkillAlias.objects.bulk_create(new_aliases)


def taxonomy_seed(*, data: dict) -> SeedReport:
    """Create the industries, skills and aliases in `data` that are missing; never change others."""
    report = SeedReport()
    with transaction.atomic():
        _industries_seed(items=data.get("industries", []), report=report)
        _skills_seed(items=data.get("skills", []), report=report)
    return report


_LEVEL_RANK = {SkillLevel.LEARNING: 0, SkillLevel.WORKING: 1, SkillLevel.EXPERT: 2}


def _role_links_move(*, source: Skill, target: Skill) -> None:
    target_links = {
        link.role_id: link for link in RoleSkill.objects.filter(skill=target).only("role", "kind")
    }
    for link in RoleSkill.objects.filter(skill=source):
        kept = target_links.get(link.role_id)
        if kept is None:
            link.skill = target
            link.save(update_fields=["skill"])
            continue
        # Both skills on one role: keep one link, and "required" beats "nice to have".
        if link.kind == RoleSkill.Kind.REQUIRED and kept.kind != RoleSkill.Kind.REQUIRED:
            kept.kind = RoleSkill.Kind.REQUIRED
            kept.save(update_fields=["kind"])
        link.delete()


def _profile_links_move(*, source: Skill, target: Skill) -> None:
    target_links = {link.profile_id: link for link in ProfileSkill.objects.filter(skill=target)}
    for link in ProfileSkill.objects.filter(skill=source):
        kept = target_links.get(link.profile_id)
        if kept is None:
            link.skill = target
            link.save(update_fields=["skill"])
            continue
        # Both skills on one profile: keep the higher level and the longer experience.
        if _LEVEL_RANK.get(link.level, 0) > _LEVEL_RANK.get(kept.level, 0):
            kept.level = link.level
        kept.years = max(kept.years, link.years)
        kept.save(update_fields=["level", "years"])
        link.delete()


def skill_merge(*, source: Skill, target: Skill) -> None:
    """Fold `source` into `target`: its links, aliases and name move; it stays as a tombstone."""
    if source.pk == target.pk:
        raise ValueError("A skill cannot be merged into itself.")
    if target.merged_into_id is not None:
        raise ValueError(
            f"“{target.name}” was itself merged into another skill; pick that one instead."
        )
    if source.merged_into_id is not None:
        raise ValueError(f"“{source.name}” has already been merged.")

    with transaction.atomic():
        # Lock both rows so two curators merging at once cannot interleave.
        locked = {
            s.pk: s for s in Skill.objects.select_for_update().filter(pk__in=[source.pk, target.pk])
        }
        source, target = locked[source.pk], locked[target.pk]
        if target.merged_into_id is not None or source.merged_into_id is not None:
            raise ValueError("One of these skills has just been merged; reload and try again.")

        role_ids = list(RoleSkill.objects.filter(skill=source).values_list("role_id", flat=True))
        _role_links_move(source=source, target=target)
        # Roles mirror their skills in search columns and their matches; refresh both.
        role_skills_changed(role_ids=role_ids)
        _profile_links_move(source=source, target=target)
        SkillAlias.objects.filter(skill=source).update(skill=target)
        # Earlier merges pointed at the source; point them at the survivor.
        Skill.objects.filter(merged_into=source).update(merged_into=target)

        name_taken = (
            SkillAlias.objects.annotate(lname=Lower("name"))
            .filter(lname=source.name.lower())
            .exists()
        )
        if not name_taken and source.name.lower() != target.name.lower():
            SkillAlias.objects.create(skill=target, name=source.name)

        source.active = False
        source.merged_into = target
        source.save(update_fields=["active", "merged_into", "updated_at"])


def skill_update(*, skill: Skill, data: dict) -> Skill:
    """Save `skill` with the fields in `data` changed; a new name reaches its roles' search
    columns (skill_text), which hold the names of a role's skills."""
    renamed = "name" in data and skill.pk is not None
    for name, value in data.items():
        setattr(skill, name, value)
    skill.name = text_clean(skill.name).strip()
    with transaction.atomic():
        skill.save()
        if renamed:
            roles_reindex(
                role_ids=RoleSkill.objects.filter(skill=skill).values_list("role_id", flat=True)
            )
    return skill

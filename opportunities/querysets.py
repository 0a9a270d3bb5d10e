"""QuerySet vocabulary: one concept per method, chainable, no side effects."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connections, models
from django.db.models import Exists, OuterRef, Q, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

# The top of a role's yearly range; sorting and the salary filter use it, through an index.
SALARY_TOP = Coalesce("salary_yearly_max", "salary_yearly_min", Value(0))


class SkillQuerySet(models.QuerySet):
    def active(self) -> SkillQuerySet:
        """Skills in use: not merged away and not retired by a curator."""
        return self.filter(active=True, merged_into__isnull=True)

    def named_like(self, text: str) -> SkillQuerySet:
        """Skills whose name or one of whose aliases contains `text`, in any case."""
        from .models import SkillAlias

        aliases = SkillAlias.objects.filter(skill=OuterRef("pk"), name__icontains=text)
        return self.filter(Q(name__icontains=text) | Exists(aliases))


class RoleQuerySet(models.QuerySet):
    def published(self) -> RoleQuerySet:
        """Roles whose status is published (they may still have passed their expiry date)."""
        return self.filter(status="published")

    def unexpired(self) -> RoleQuerySet:
        """Roles with no expiry date or one still ahead."""
        return self.filter(Q(expires_at__isnull=True) | Q(expires_at__gt=timezone.now()))

    def canonical(self) -> RoleQuerySet:
        """One row per posting: copies of a role seen on another source are left out."""
        return self.filter(duplicate_of__isnull=True)

    def open(self) -> RoleQuerySet:
        """What the board shows: published, unexpired, one row per posting."""
        return self.published().unexpired().canonical()

    def remote(self) -> RoleQuerySet:
        return self.filter(workplace="remote")

    def worldwide(self) -> RoleQuerySet:
        return self.filter(worldwide=True)

    def in_industries(self, slugs: Iterable[str]) -> RoleQuerySet:
        return self.filter(industry__slug__in=list(slugs))

    def with_skills(self, skill_ids: Iterable[int], *, match_all: bool = True) -> RoleQuerySet:
        """Roles asking for all (or any) of these skills, without joins that duplicate rows."""
        from .models import RoleSkill

        ids = list(skill_ids)
        if not ids:
            return self
        if match_all:
            qs = self
            for skill_id in ids:
                qs = qs.filter(
                    Exists(RoleSkill.objects.filter(role=OuterRef("pk"), skill_id=skill_id))
                )
            return qs
        return self.filter(Exists(RoleSkill.objects.filter(role=OuterRef("pk"), skill_id__in=ids)))

    def for_company(self, company) -> RoleQuerySet:
        return self.filter(company=company)

    def pending_review(self) -> RoleQuerySet:
        return self.filter(status="pending")

    def having_skills(self, skill_ids: Iterable[int], *, match_all: bool = True) -> RoleQuerySet:
        """Like with_skills, but on PostgreSQL one GIN lookup on the denormalised skill_ids."""
        ids = sorted(set(skill_ids))
        if not ids:
            return self
        if connections[self.db].vendor != "postgresql":
            return self.with_skills(ids, match_all=match_all)
        if match_all:
            return self.filter(skill_ids__contains=ids)
        any_of = Q()
        for skill_id in ids:
            any_of |= Q(skill_ids__contains=[skill_id])
        return self.filter(any_of)

    def open_to_country(self, code: str) -> RoleQuerySet:
        """Roles based in this country, or remote roles whose applicants may live there."""
        if connections[self.db].vendor == "postgresql":
            listed = Q(applicant_countries__contains=[code])
        else:
            listed = Q(applicant_countries__icontains=f'"{code}"')
        return self.filter(Q(country=code) | Q(workplace="remote") & (Q(worldwide=True) | listed))

    def posted_since(self, moment) -> RoleQuerySet:
        return self.filter(posted_at__gte=moment)

    def paying_at_least(self, yearly: int, *, include_unsalaried: bool = False) -> RoleQuerySet:
        """Roles whose yearly range reaches `yearly` (optionally with those stating no salary)."""
        condition = Q(salary_top__gte=yearly)
        if include_unsalaried:
            condition |= Q(salary_yearly_max__isnull=True, salary_yearly_min__isnull=True)
        return self.alias(salary_top=SALARY_TOP).filter(condition)


class MatchQuerySet(models.QuerySet):
    def visible(self) -> MatchQuerySet:
        """Matches whose role is still open: closed or expired roles drop out before cleanup."""
        return self.filter(
            Q(role__expires_at__isnull=True) | Q(role__expires_at__gt=timezone.now()),
            role__status="published",
            role__duplicate_of__isnull=True,
        )

    def for_profile(self, profile) -> MatchQuerySet:
        return self.filter(profile=profile)

    def for_role(self, role) -> MatchQuerySet:
        return self.filter(role=role)

    def active(self) -> MatchQuerySet:
        """Matches the developer has not dismissed."""
        return self.filter(dismissed=False)

    def saved(self) -> MatchQuerySet:
        return self.filter(saved=True)

    def dismissed(self) -> MatchQuerySet:
        return self.filter(dismissed=True)

    def discoverable(self) -> MatchQuerySet:
        """Matches of developers who let recruiters find them; the only ones a recruiter sees."""
        return self.filter(profile__discoverable=True)

    def ranked(self) -> MatchQuerySet:
        return self.order_by("-score", "id")

"""QuerySet vocabulary: one concept per method, chainable, no side effects."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone


class SkillQuerySet(models.QuerySet):
    def active(self) -> SkillQuerySet:
        """Skills in use: not merged away and not retired by a curator."""
        return self.filter(active=True, merged_into__isnull=True)


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

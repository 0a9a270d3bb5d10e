"""How well a profile fits a role, kept for both sides."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone

from opportunities.models.common import TimeStamped
from opportunities.models.profiles import DeveloperProfile
from opportunities.models.roles import Role


class MatchQuerySet(models.QuerySet):
    def visible(self) -> MatchQuerySet:
        """Matches whose role is still open: closed or expired roles drop out before cleanup."""
        return self.filter(
            Q(role__expires_at__isnull=True) | Q(role__expires_at__gt=timezone.now()),
            role__status=Role.Status.PUBLISHED,
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


class Match(TimeStamped):
    """How well a developer's profile fits an open role, with the reasons, kept for both sides."""

    # No single-column indexes: (profile, role) and (profile, -score) lead with the profile,
    # (role, -score) with the role, and a full rematch writes millions of rows through each.
    profile = models.ForeignKey(
        DeveloperProfile, on_delete=models.CASCADE, related_name="matches", db_index=False
    )
    role = models.ForeignKey(Role, on_delete=models.CASCADE, related_name="matches", db_index=False)
    score = models.PositiveSmallIntegerField(help_text="0-100; see opportunities/matching.py.")
    # {matched_required, matched_nice, missing_required: [skill slug], factors: {name: points}}
    explanation = models.JSONField(default=dict, blank=True)
    dismissed = models.BooleanField(default=False)
    saved = models.BooleanField(default=False)

    objects = MatchQuerySet.as_manager()

    class Meta:
        ordering = ["-score", "id"]
        verbose_name_plural = "matches"
        constraints = [
            models.UniqueConstraint(fields=["profile", "role"], name="match_profile_role_unique"),
            models.CheckConstraint(condition=Q(score__lte=100), name="match_score_lte_100"),
        ]
        indexes = [
            models.Index(fields=["profile", "-score"], name="match_profile_score"),
            models.Index(fields=["role", "-score"], name="match_role_score"),
        ]

    def __str__(self) -> str:
        return f"{self.profile_id} ~ {self.role_id}: {self.score}"

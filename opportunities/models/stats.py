"""How often each role is seen, found, applied to and saved: one counter per role, day and kind."""

from __future__ import annotations

import datetime

from django.db import models

from opportunities.models.roles import Role


class RoleStatQuerySet(models.QuerySet):
    def for_roles(self, role_ids) -> RoleStatQuerySet:
        return self.filter(role_id__in=list(role_ids))

    def since(self, day: datetime.date) -> RoleStatQuerySet:
        return self.filter(day__gte=day)


class RoleStat(models.Model):
    """A day's count of one kind of event for one role.

    Written only by upsert (opportunities/posting/stats.py adds to `count`), never one row per
    event, so a role seen a million times a day is still one row per kind.
    """

    class Kind(models.TextChoices):
        VIEW = "view", "Views"
        SEARCH_APPEARANCE = "search_appearance", "Search appearances"
        APPLY_CLICK = "apply_click", "Apply clicks"
        TRACKER_SAVE = "tracker_save", "Tracker saves"

    # The unique constraint leads with the role, so it serves the role's reads as well.
    role = models.ForeignKey(Role, on_delete=models.CASCADE, related_name="stats", db_index=False)
    day = models.DateField()
    kind = models.CharField(max_length=20, choices=Kind.choices)
    count = models.PositiveIntegerField(default=0)

    objects = RoleStatQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["role", "day", "kind"], name="role_stat_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.role_id} {self.day} {self.kind}: {self.count}"

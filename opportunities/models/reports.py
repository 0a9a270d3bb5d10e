"""Developers' reports of roles that look wrong: a scam, discrimination, filled, wrong details."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from opportunities.models.roles import Role

REPORT_DETAILS_MAX = 2000


class RoleReportQuerySet(models.QuerySet):
    def unresolved(self) -> RoleReportQuerySet:
        """Reports no curator has decided on yet."""
        return self.filter(resolved_at__isnull=True)


class RoleReport(models.Model):
    """One person's report of one role; a curator resolves it."""

    class Reason(models.TextChoices):
        SCAM = "scam", "Scam or fraud"
        DISCRIMINATORY = "discriminatory", "Discriminatory"
        FILLED = "filled", "Filled or expired"
        WRONG_DETAILS = "wrong_details", "Wrong details"
        OTHER = "other", "Something else"

    class Outcome(models.TextChoices):
        DISMISSED = "dismissed", "Dismissed: nothing wrong with the role"
        UPHELD = "upheld", "Upheld: the role was dealt with"

    role = models.ForeignKey(
        Role,
        on_delete=models.CASCADE,
        related_name="reports",
        db_index=False,  # the unique (role, reporter) constraint's index starts with the role
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="role_reports",
        db_index=False,  # looked up only together with the role (the unique constraint)
    )
    reason = models.CharField(max_length=20, choices=Reason.choices)
    details = models.TextField(blank=True, max_length=REPORT_DETAILS_MAX)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)

    objects = RoleReportQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["role", "reporter"], name="rolereport_once_per_person"),
            models.CheckConstraint(
                condition=Q(resolved_at__isnull=True, outcome="")
                | Q(resolved_at__isnull=False) & ~Q(outcome=""),
                name="rolereport_resolved_has_outcome",
            ),
        ]
        indexes = [
            # The moderation queue: unresolved reports, oldest first.
            models.Index(
                fields=["created_at"],
                condition=Q(resolved_at__isnull=True),
                name="rolereport_unresolved",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_reason_display()}: role {self.role_id}"

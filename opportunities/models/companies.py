"""Employers and the recruiters who act for them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.urls import reverse

from opportunities.models.common import TimeStamped
from opportunities.models.taxonomy import Industry

if TYPE_CHECKING:
    from django.contrib.auth.models import User


class Company(TimeStamped):
    """An employer; recruiters act for it through memberships."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    website = models.URLField(blank=True)
    description = models.TextField(blank=True)
    verified = models.BooleanField(default=False)
    logo_url = models.URLField(max_length=500, blank=True, default="")
    # The curators' word on what the company does: every role of the company follows it,
    # over a source's default and over what ingest infers from the company's postings.
    industry = models.ForeignKey(
        Industry, null=True, blank=True, on_delete=models.SET_NULL, related_name="companies"
    )
    # Set by curators for verified companies; trust flags still send a role to review.
    publish_without_review = models.BooleanField(default=False)
    members: models.ManyToManyField[User, CompanyMembership] = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="CompanyMembership", related_name="companies"
    )

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "companies"

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("company_detail", kwargs={"slug": self.slug})


class CompanyMembership(TimeStamped):
    """A recruiter's place in a company."""

    class Role(models.TextChoices):
        OWNER = "owner", "Owner"
        RECRUITER = "recruiter", "Recruiter"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.RECRUITER)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "company"], name="membership_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} at {self.company}"


class JoinRequest(TimeStamped):
    """A recruiter asking to act for a company; its owners approve or decline."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for an owner"
        APPROVED = "approved", "Approved"
        DECLINED = "declined", "Declined"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="join_requests"
    )
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="join_requests")
    message = models.CharField(max_length=500, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "company"],
                condition=models.Q(status="pending"),
                name="joinrequest_one_pending",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} asks to join {self.company}"

"""Saved searches, alert preferences and what has been sent."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from opportunities.models.roles import Role


class AlertFrequency(models.TextChoices):
    INSTANT = "instant", "As soon as they appear"
    DAILY = "daily", "Daily digest"
    WEEKLY = "weekly", "Weekly digest"
    OFF = "off", "Off"


class SavedSearch(models.Model):
    """A search page URL a developer named, to hear about new roles that fit it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_searches"
    )
    name = models.CharField(max_length=100)
    # The search page's query string, without paging: "q=rag&workplace=remote".
    query = models.CharField(max_length=2000, blank=True)
    frequency = models.CharField(
        max_length=10, choices=AlertFrequency.choices, default=AlertFrequency.DAILY
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_run_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name_plural = "saved searches"
        indexes = [models.Index(fields=["frequency", "user"], name="savedsearch_frequency_user")]

    def __str__(self) -> str:
        return self.name

    def get_search_url(self) -> str:
        """The search page showing this search's roles now."""
        url = reverse("role_search")
        return f"{url}?{self.query}" if self.query else url


class AlertPreference(models.Model):
    """How often a developer hears about new matches for their profile, and from what score."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="alert_preference"
    )
    match_frequency = models.CharField(
        max_length=10, choices=AlertFrequency.choices, default=AlertFrequency.DAILY
    )
    min_score = models.PositiveSmallIntegerField(default=70)
    last_match_digest_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(min_score__lte=100), name="alertpref_score_lte_100"),
        ]

    def __str__(self) -> str:
        return f"Match alerts of {self.user}: {self.match_frequency}"


class AlertDelivery(models.Model):
    """A role sent to a developer in a digest; the unique pair keeps it from being sent twice."""

    class Reason(models.TextChoices):
        SAVED_SEARCH = "saved_search", "Fits a saved search"
        MATCH = "match", "Matches the profile"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="alert_deliveries"
    )
    role = models.ForeignKey(Role, on_delete=models.CASCADE, related_name="alert_deliveries")
    reason = models.CharField(max_length=20, choices=Reason.choices)
    saved_search = models.ForeignKey(
        SavedSearch, null=True, blank=True, on_delete=models.SET_NULL, related_name="deliveries"
    )
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-sent_at", "-id"]
        verbose_name_plural = "alert deliveries"
        constraints = [
            models.UniqueConstraint(fields=["user", "role"], name="alertdelivery_user_role_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.role_id} to {self.user_id} ({self.reason})"

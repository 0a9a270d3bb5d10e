"""Where ingested roles come from: sources, their runs, and terms the taxonomy lacks."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from opportunities.models.common import TimeStamped
from opportunities.models.companies import Company
from opportunities.models.taxonomy import Industry


class SourceKind(models.TextChoices):
    GREENHOUSE = "greenhouse", "Greenhouse job board"
    LEVER = "lever", "Lever postings"
    ASHBY = "ashby", "Ashby job board"
    RSS = "rss", "RSS / Atom feed"
    JSONLD = "jsonld", "schema.org JobPosting pages"
    REMOTIVE = "remotive", "Remotive-style JSON"
    REMOTEOK = "remoteok", "RemoteOK-style JSON"
    CSV = "csv", "CSV upload"
    HN = "hn", "Hacker News: Who is hiring?"


class Source(TimeStamped):
    """An outside feed that roles are ingested from."""

    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=SourceKind.choices)
    location = models.CharField(
        max_length=2000,
        help_text="Feed URL, board token, or (for the demo and the command line) a local file.",
    )
    company = models.ForeignKey(
        Company,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="sources",
        help_text="The employer when the feed is one company's board.",
    )
    default_industry = models.ForeignKey(
        Industry, null=True, blank=True, on_delete=models.SET_NULL, related_name="sources"
    )
    interval_minutes = models.PositiveIntegerField(default=360)
    enabled = models.BooleanField(default=True)
    next_run_at = models.DateTimeField(null=True, blank=True, db_index=True)
    # Validators from the last fetch, sent back so an unchanged feed costs nothing.
    etag = models.CharField(max_length=500, blank=True)
    last_modified = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(interval_minutes__gte=5), name="source_interval_min"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class IngestRun(models.Model):
    """One pass over a Source: what was fetched, written and rejected."""

    class Status(models.TextChoices):
        RUNNING = "running", "Running"
        SUCCEEDED = "succeeded", "Succeeded"
        NOT_MODIFIED = "not_modified", "Not modified"
        FAILED = "failed", "Failed"

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="runs")
    started_at = models.DateTimeField(auto_now_add=True, db_index=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.RUNNING)
    fetched = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    closed = models.PositiveIntegerField(default=0)
    rejected = models.PositiveIntegerField(default=0)
    message = models.TextField(blank=True)
    errors = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-started_at"]
        get_latest_by = "started_at"

    def __str__(self) -> str:
        return f"{self.source} at {self.started_at:%Y-%m-%d %H:%M}"


class UnknownSkillTerm(models.Model):
    """A skill-like term seen in postings that the taxonomy does not know yet."""

    term = models.CharField(max_length=100, unique=True)
    count = models.PositiveIntegerField(default=0)
    first_seen = models.DateTimeField(auto_now_add=True)
    last_seen = models.DateTimeField(auto_now=True)
    ignored = models.BooleanField(default=False)

    class Meta:
        ordering = ["-count", "term"]

    def __str__(self) -> str:
        return self.term

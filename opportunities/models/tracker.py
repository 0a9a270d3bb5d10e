"""The opportunity tracker: a developer's own record of every role they follow, saved to offer."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from opportunities.models.common import TimeStamped
from opportunities.models.roles import Role


class Stage(models.TextChoices):
    SAVED = "saved", "Saved"
    APPLIED = "applied", "Applied"
    INTERVIEWING = "interviewing", "Interviewing"
    OFFER = "offer", "Offer"
    ACCEPTED = "accepted", "Accepted"
    REJECTED = "rejected", "Rejected"
    WITHDRAWN = "withdrawn", "Withdrawn"
    NO_ANSWER = "no_answer", "No answer"


# Stages past "applied": an application there has been answered (no answer aside).
ANSWERED_STAGES = frozenset({Stage.INTERVIEWING, Stage.OFFER, Stage.ACCEPTED, Stage.REJECTED})
# Stages that mean an application was sent.
APPLIED_STAGES = frozenset(set(Stage) - {Stage.SAVED})
# Stages still under way: the ones reminders are about.
OPEN_STAGES = frozenset({Stage.SAVED, Stage.APPLIED, Stage.INTERVIEWING, Stage.OFFER})


class OpportunitySource(models.TextChoices):
    BOARD = "board", "This board"
    REFERRAL = "referral", "Referral"
    OTHER_SITE = "other_site", "Another site"


class TrackedOpportunityQuerySet(models.QuerySet):
    def of_user(self, user) -> TrackedOpportunityQuerySet:
        return self.filter(user=user)

    def in_stage(self, stage: str) -> TrackedOpportunityQuerySet:
        return self.filter(stage=stage)

    def with_tag(self, tag: str) -> TrackedOpportunityQuerySet:
        """Entries carrying this tag; `tags` holds every tag between spaces: " llm remote "."""
        return self.filter(tags__contains=f" {tag} ")

    def open(self) -> TrackedOpportunityQuerySet:
        return self.filter(stage__in=OPEN_STAGES)

    def due_by(self, day) -> TrackedOpportunityQuerySet:
        """Open entries whose next step is due on or before this day."""
        return self.open().filter(next_step_due__isnull=False, next_step_due__lte=day)

    def quiet_since(self, moment) -> TrackedOpportunityQuerySet:
        """Applications with no stage change since this moment."""
        return self.filter(stage=Stage.APPLIED, stage_changed_at__lte=moment)


class TrackedOpportunity(TimeStamped):
    """One role a developer follows: a board role, or one from elsewhere described by hand.

    A board role's title, company and address are copied in when it is tracked, so the entry
    stays whole if the role later closes, expires or is removed.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="tracked_opportunities",
        db_index=False,
    )
    role = models.ForeignKey(
        Role,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tracked_by",
    )
    title = models.CharField(max_length=300)
    company_name = models.CharField(max_length=200)
    url = models.URLField(max_length=2000, blank=True)
    # The address without scheme, "www.", query, fragment or trailing slash: the duplicate key.
    url_key = models.CharField(max_length=2000, blank=True)
    location = models.CharField(max_length=200, blank=True)
    description_html = models.TextField(blank=True)
    source = models.CharField(
        max_length=20, choices=OpportunitySource.choices, default=OpportunitySource.BOARD
    )
    source_name = models.CharField(max_length=200, blank=True, help_text="Who or which site.")
    tags = models.CharField(max_length=500, blank=True)
    salary_offered = models.CharField(max_length=100, blank=True)
    next_step = models.CharField(max_length=300, blank=True)
    next_step_due = models.DateField(null=True, blank=True)
    cv_sent = models.CharField(max_length=500, blank=True)
    cover_letter_sent = models.CharField(max_length=500, blank=True)
    notes = models.TextField(blank=True)
    notes_html = models.TextField(blank=True)
    # Denormalised from the StageChange history by tracker.services, the only writer.
    stage = models.CharField(max_length=20, choices=Stage.choices, default=Stage.SAVED)
    stage_changed_at = models.DateTimeField(default=timezone.now)
    applied_at = models.DateTimeField(null=True, blank=True)

    objects = TrackedOpportunityQuerySet.as_manager()

    class Meta:
        ordering = ["-stage_changed_at", "-id"]
        verbose_name_plural = "tracked opportunities"
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=Q(role__isnull=False),
                name="tracked_user_role_unique",
            ),
            models.UniqueConstraint(
                fields=["user", "url_key"],
                condition=~Q(url_key=""),
                name="tracked_user_url_unique",
            ),
        ]
        indexes = [
            models.Index(fields=["user", "stage", "-stage_changed_at"], name="tracked_user_stage"),
            models.Index(fields=["user", "-stage_changed_at"], name="tracked_user_changed"),
        ]

    def __str__(self) -> str:
        return f"{self.title} at {self.company_name}"

    def get_absolute_url(self) -> str:
        return reverse("tracker_detail", kwargs={"pk": self.pk})

    @property
    def tag_list(self) -> list[str]:
        return self.tags.split()

    @property
    def closed_on_board(self) -> bool:
        """A board role that has closed, expired or gone since it was tracked."""
        if self.role_id is None:
            return self.source == OpportunitySource.BOARD and not self.url
        role = self.role
        if role is None:
            return True
        if role.status in {Role.Status.CLOSED, Role.Status.EXPIRED}:
            return True
        return role.expires_at is not None and role.expires_at <= timezone.now()


class StageChange(models.Model):
    """One move of an opportunity into a stage: the history is the truth of where it stands."""

    opportunity = models.ForeignKey(
        TrackedOpportunity, on_delete=models.CASCADE, related_name="stage_changes"
    )
    stage = models.CharField(max_length=20, choices=Stage.choices)
    at = models.DateTimeField(default=timezone.now)
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["opportunity", "at"], name="stagechange_opp_at")]

    def __str__(self) -> str:
        return f"{self.opportunity_id} → {self.stage} at {self.at:%Y-%m-%d}"


class Contact(models.Model):
    """Someone to talk to about an opportunity."""

    opportunity = models.ForeignKey(
        TrackedOpportunity, on_delete=models.CASCADE, related_name="contacts"
    )
    name = models.CharField(max_length=200)
    role_title = models.CharField("role", max_length=200, blank=True)
    email = models.EmailField(blank=True)
    profile_url = models.URLField("profile link", max_length=500, blank=True)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class InterviewRound(models.Model):
    """One interview of an opportunity."""

    class Kind(models.TextChoices):
        SCREEN = "screen", "Screening call"
        TECHNICAL = "technical", "Technical"
        TAKE_HOME = "take_home", "Take-home task"
        SYSTEM_DESIGN = "system_design", "System design"
        BEHAVIOURAL = "behavioural", "Behavioural"
        ONSITE = "onsite", "On-site"
        FINAL = "final", "Final"
        OTHER = "other", "Other"

    opportunity = models.ForeignKey(
        TrackedOpportunity, on_delete=models.CASCADE, related_name="interviews"
    )
    at = models.DateTimeField()
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.OTHER)
    with_whom = models.CharField(max_length=300, blank=True)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.at:%Y-%m-%d}"


class TrackerReminder(models.Model):
    """A reminder sent in a digest; the unique triple keeps each from being sent twice."""

    class Kind(models.TextChoices):
        DUE = "due", "Next step due"
        QUIET = "quiet", "No news"

    opportunity = models.ForeignKey(
        TrackedOpportunity, on_delete=models.CASCADE, related_name="reminders"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    # What the reminder was about: the due date, or when the application last moved.
    about = models.CharField(max_length=40)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["opportunity", "kind", "about"], name="trackerreminder_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} reminder of {self.opportunity_id} ({self.about})"


class TrackerCalendar(models.Model):
    """A user's private calendar feed: only the token's SHA-256 is kept."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="tracker_calendar"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Calendar of {self.user_id}"

"""Developers' profiles: what each offers and wants."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from opportunities.models.common import Seniority, TimeStamped
from opportunities.models.taxonomy import Industry, Skill


class WorkplacePreference(models.TextChoices):
    REMOTE_ONLY = "remote_only", "Remote only"
    HYBRID_OK = "hybrid_ok", "Remote or hybrid"
    ONSITE_OK = "onsite_ok", "Any, on-site included"


class DeveloperProfile(TimeStamped):
    """What a developer offers and wants; private unless they let recruiters find them."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="developer_profile"
    )
    # What recruiters see instead of the user's name, username or e-mail (never shown).
    display_name = models.CharField(max_length=80, blank=True)
    headline = models.CharField(max_length=200, blank=True)
    skills: models.ManyToManyField[Skill, ProfileSkill] = models.ManyToManyField(
        Skill, through="ProfileSkill", related_name="profiles"
    )
    industries = models.ManyToManyField(Industry, blank=True, related_name="profiles")
    workplace_preference = models.CharField(
        max_length=20, choices=WorkplacePreference.choices, default=WorkplacePreference.HYBRID_OK
    )
    needs_worldwide = models.BooleanField(
        default=False,
        help_text="Only remote roles open to applicants anywhere; otherwise roles open to "
        "the developer's country.",
    )
    city = models.CharField(max_length=100, blank=True)
    country = models.CharField(max_length=2, blank=True, help_text="ISO 3166-1 alpha-2.")
    timezone = models.CharField(max_length=64, blank=True)
    salary_floor = models.PositiveIntegerField(null=True, blank=True, help_text="Yearly.")
    salary_currency = models.CharField(max_length=3, blank=True, default="USD")
    seniority = models.CharField(max_length=20, choices=Seniority.choices, blank=True)
    discoverable = models.BooleanField(
        default=False, help_text="Let recruiters find this profile and see its matches."
    )

    def __str__(self) -> str:
        return f"Profile of {self.user}"


class SkillLevel(models.TextChoices):
    LEARNING = "learning", "Learning"
    WORKING = "working", "Working"
    EXPERT = "expert", "Expert"


class ProfileSkill(models.Model):
    """A skill on a developer's profile, with how well they know it."""

    profile = models.ForeignKey(
        DeveloperProfile, on_delete=models.CASCADE, related_name="profile_skills"
    )
    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="profile_skills")
    level = models.CharField(max_length=10, choices=SkillLevel.choices, default=SkillLevel.WORKING)
    years = models.PositiveSmallIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["profile", "skill"], name="profileskill_unique"),
        ]
        indexes = [models.Index(fields=["skill", "profile"], name="profileskill_skill_profile")]

    def __str__(self) -> str:
        return f"{self.skill} ({self.level})"

"""The curated taxonomy: industries, skills and the other names skills go by."""

from __future__ import annotations

from django.db import models
from django.db.models import Exists, OuterRef, Q

from opportunities.models.common import TimeStamped


class Industry(TimeStamped):
    """A sector where generative-AI work happens; curated by staff."""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    description = models.TextField(blank=True)
    keywords = models.JSONField(
        default=list, blank=True, help_text="Words that suggest this industry in a posting."
    )
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "industries"

    def __str__(self) -> str:
        return self.name


class SkillCategory(models.TextChoices):
    LANGUAGE = "language", "Language"
    FRAMEWORK = "framework", "Framework / library"
    MODEL = "model", "Model family"
    TECHNIQUE = "technique", "Technique"
    INFRASTRUCTURE = "infrastructure", "Infrastructure"
    DOMAIN = "domain", "Domain knowledge"


class SkillQuerySet(models.QuerySet):
    def active(self) -> SkillQuerySet:
        """Skills in use: not merged away and not retired by a curator."""
        return self.filter(active=True, merged_into__isnull=True)

    def named_like(self, text: str) -> SkillQuerySet:
        """Skills whose name or one of whose aliases contains `text`, in any case."""
        aliases = SkillAlias.objects.filter(skill=OuterRef("pk"), name__icontains=text)
        return self.filter(Q(name__icontains=text) | Exists(aliases))


class Skill(TimeStamped):
    """Something a role asks for and a developer offers, recognised in text by name or alias."""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    category = models.CharField(max_length=20, choices=SkillCategory.choices)
    match_name = models.BooleanField(
        default=True,
        help_text="Recognise the name itself anywhere in text. Turn off for names that are "
        "common words (Go, Ray, Cursor): the name then counts only in context, written "
        "as here beside another skill.",
    )
    active = models.BooleanField(default=True)
    # A merged skill stays as a tombstone so re-seeding does not bring it back.
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="merged_from"
    )

    objects = SkillQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class SkillAlias(models.Model):
    """Another way a skill is written in postings ("torch" for PyTorch)."""

    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(max_length=100)
    context_only = models.BooleanField(
        default=False,
        help_text="Count this alias only in context, written as here beside another skill "
        "(“Spark” for Apache Spark).",
    )

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "skill aliases"
        constraints = [
            models.UniqueConstraint(
                models.functions.Lower("name"), name="skillalias_name_unique_ci"
            ),
        ]

    def __str__(self) -> str:
        return self.name

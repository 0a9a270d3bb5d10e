"""Roles (postings) and the skills each asks for, with the vocabulary to query them."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import connections, models
from django.db.models import Exists, F, OuterRef, Q, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from opportunities.models.common import (
    EmploymentType,
    SalaryPeriod,
    Seniority,
    TimeStamped,
    Workplace,
)
from opportunities.models.companies import Company
from opportunities.models.sources import Source
from opportunities.models.taxonomy import Industry, Skill

SALARY_TOP = Coalesce("salary_yearly_max", "salary_yearly_min", Value(0))


class RoleQuerySet(models.QuerySet):
    def published(self) -> RoleQuerySet:
        """Roles whose status is published (they may still have passed their expiry date)."""
        return self.filter(status=Role.Status.PUBLISHED)

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
        return self.filter(workplace=Workplace.REMOTE)

    def worldwide(self) -> RoleQuerySet:
        return self.filter(worldwide=True)

    def in_industries(self, slugs: Iterable[str]) -> RoleQuerySet:
        return self.filter(industry__slug__in=list(slugs))

    def with_skills(self, skill_ids: Iterable[int], *, match_all: bool = True) -> RoleQuerySet:
        """Roles asking for all (or any) of these skills, without joins that duplicate rows."""
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

    def editable_by(self, user) -> RoleQuerySet:
        """Roles a recruiter may change: those their companies posted (never ingested ones)."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(
            origin=Role.Origin.RECRUITER, company__memberships__user_id=user.pk
        ).distinct()

    def for_company(self, company) -> RoleQuerySet:
        return self.filter(company=company)

    def for_member(self, user) -> RoleQuerySet:
        """Roles of every company the user recruits for (one row each: memberships are unique)."""
        return self.filter(company__memberships__user=user)

    def pending_review(self) -> RoleQuerySet:
        return self.filter(status=Role.Status.PENDING)

    def review_queue(self) -> RoleQuerySet:
        """Roles waiting for a curator, the longest-waiting first."""
        return self.pending_review().order_by(
            F("submitted_at").asc(nulls_first=True), "created_at", "id"
        )

    def posted_by_recruiters(self) -> RoleQuerySet:
        return self.filter(origin=Role.Origin.RECRUITER)

    def past_expiry(self, moment) -> RoleQuerySet:
        """Published roles whose expiry date has come."""
        return self.published().filter(expires_at__lte=moment)

    def expiring_unwarned(self, moment, horizon) -> RoleQuerySet:
        """Published roles expiring between now and `horizon` whose recruiter was not told."""
        return self.published().filter(
            expires_at__gt=moment, expires_at__lte=horizon, expiry_warned_at__isnull=True
        )

    def having_skills(self, skill_ids: Iterable[int], *, match_all: bool = True) -> RoleQuerySet:
        """Like with_skills, but on PostgreSQL one GIN lookup on the denormalised skill_ids."""
        ids = sorted(set(skill_ids))
        if not ids:
            return self
        if connections[self.db].vendor != "postgresql":
            return self.with_skills(ids, match_all=match_all)
        if match_all:
            return self.filter(skill_ids__contains=ids)
        any_of = Q()
        for skill_id in ids:
            any_of |= Q(skill_ids__contains=[skill_id])
        return self.filter(any_of)

    def open_to_country(self, code: str) -> RoleQuerySet:
        """Roles a developer living in this country may take (vocabulary.open_to_country)."""
        if connections[self.db].vendor == "postgresql":
            listed = Q(applicant_countries__contains=[code])
            excluded = Q(excluded_countries__contains=[code])
        else:
            listed = Q(applicant_countries__icontains=f'"{code}"')
            excluded = Q(excluded_countries__icontains=f'"{code}"')
        remote = Q(workplace="remote") & (Q(worldwide=True) | Q(applicant_countries=[]) | listed)
        placed = ~Q(workplace="remote") & (Q(country="") | Q(country=code))
        return self.filter(remote | placed).exclude(excluded)

    def posted_since(self, moment) -> RoleQuerySet:
        return self.filter(posted_at__gte=moment)

    def paying_at_least(self, yearly: int, *, include_unsalaried: bool = False) -> RoleQuerySet:
        """Roles whose yearly range reaches `yearly` (optionally with those stating no salary)."""
        condition = Q(salary_top__gte=yearly)
        if include_unsalaried:
            condition |= Q(salary_yearly_max__isnull=True, salary_yearly_min__isnull=True)
        return self.alias(salary_top=SALARY_TOP).filter(condition)


class Role(TimeStamped):
    """A posting: entered by a recruiter or ingested from a Source."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PENDING = "pending", "Pending review"
        PUBLISHED = "published", "Published"
        EXPIRED = "expired", "Expired"
        CLOSED = "closed", "Closed"
        REJECTED = "rejected", "Rejected"

    class Origin(models.TextChoices):
        RECRUITER = "recruiter", "Entered by a recruiter"
        INGEST = "ingest", "Ingested"

    title = models.CharField(max_length=200)
    # Indexes cost every ingested row an insert each: a role is found by id (its slug only
    # decorates the URL), by company through role_company_status and by source through the
    # (source, external_id) constraint, so those three need none of their own.
    slug = models.SlugField(max_length=220, db_index=False)
    company = models.ForeignKey(
        Company, on_delete=models.PROTECT, related_name="roles", db_index=False
    )
    industry = models.ForeignKey(
        Industry, null=True, blank=True, on_delete=models.SET_NULL, related_name="roles"
    )
    description = models.TextField(blank=True, help_text="Sanitised HTML.")
    # What a recruiter typed; `description` is its rendering (opportunities.posting.markdown).
    description_markdown = models.TextField(blank=True, default="")

    city = models.CharField(max_length=100, blank=True)
    region = models.CharField(max_length=100, blank=True)
    country = models.CharField(max_length=2, blank=True, help_text="ISO 3166-1 alpha-2.")
    workplace = models.CharField(max_length=10, choices=Workplace.choices)
    worldwide = models.BooleanField(
        default=False, help_text="Remote and open to applicants anywhere."
    )
    applicant_countries = models.JSONField(
        default=list, blank=True, help_text="ISO codes of the countries applicants may live in."
    )
    applicant_regions = models.JSONField(
        default=list, blank=True, help_text="Regions as the posting names them (EMEA, …)."
    )
    applicant_timezones = models.CharField(max_length=200, blank=True)
    excluded_countries = models.JSONField(
        default=list, blank=True, help_text="ISO codes of countries the company cannot hire in."
    )
    visa_sponsorship = models.BooleanField(default=False)

    employment_type = models.CharField(
        max_length=20, choices=EmploymentType.choices, default=EmploymentType.FULL_TIME
    )
    seniority = models.CharField(max_length=20, choices=Seniority.choices, blank=True)

    salary_min = models.PositiveIntegerField(null=True, blank=True)
    salary_max = models.PositiveIntegerField(null=True, blank=True)
    salary_currency = models.CharField(max_length=3, blank=True)
    salary_period = models.CharField(
        max_length=10, choices=SalaryPeriod.choices, default=SalaryPeriod.YEAR
    )
    # The range as a yearly figure, kept beside the posted one so filters and sorting use an index.
    salary_yearly_min = models.PositiveIntegerField(null=True, blank=True, editable=False)
    salary_yearly_max = models.PositiveIntegerField(null=True, blank=True, editable=False)

    skills: models.ManyToManyField[Skill, RoleSkill] = models.ManyToManyField(
        Skill, through="RoleSkill", related_name="roles"
    )
    # Search columns (docs/search.md): skill_ids and skill_text mirror RoleSkill and are filled
    # by whoever writes the skills (opportunities.search.index); the two vectors are computed
    # by a PostgreSQL trigger from title, skill_text, company name and description.
    skill_ids = models.JSONField(default=list, blank=True, editable=False)
    skill_text = models.TextField(blank=True, editable=False)
    search_vector = SearchVectorField(null=True, editable=False)
    search_head = SearchVectorField(null=True, editable=False)

    apply_url = models.URLField(max_length=2000, blank=True)
    apply_email = models.EmailField(blank=True)

    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    posted_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.TextField(blank=True, help_text="Why a posting was rejected.")
    review_reason = models.CharField(max_length=30, blank=True, default="")
    # Posting lifecycle (opportunities.posting.lifecycle): how long the recruiter asked it to
    # stay up, when it entered the queue, whether the "expires soon" e-mail went, and whether
    # a closed role was filled.
    posting_days = models.PositiveSmallIntegerField(default=30)
    submitted_at = models.DateTimeField(null=True, blank=True)
    expiry_warned_at = models.DateTimeField(null=True, blank=True)
    filled = models.BooleanField(null=True, blank=True)

    origin = models.CharField(max_length=20, choices=Origin.choices, default=Origin.RECRUITER)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="roles_created",
        db_index=False,  # partial index role_created_by: ingested roles have no author
    )
    source = models.ForeignKey(
        Source,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="roles",
        db_index=False,
    )
    external_id = models.CharField(max_length=300, blank=True)
    canonical_url = models.URLField(max_length=2000, blank=True)
    content_hash = models.CharField(max_length=64, blank=True)
    dedupe_key = models.CharField(max_length=300, blank=True)
    # A bottom-k sketch of the description (opportunities.ingest.normalise.text_fingerprint).
    text_fingerprint = models.CharField(max_length=256, blank=True, default="")
    # The same posting seen on another source: kept for its provenance, shown once.
    duplicate_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="duplicates",
        db_index=False,  # partial index role_duplicate_of: few roles are duplicates
    )

    objects = RoleQuerySet.as_manager()

    class Meta:
        ordering = ["-posted_at", "-id"]
        constraints = [
            # Not partial: INSERT ... ON CONFLICT (source_id, external_id) can only target a
            # plain unique index, and rows without a source never collide (NULLs are distinct).
            models.UniqueConstraint(
                fields=["source", "external_id"], name="role_source_external_id_unique"
            ),
            models.CheckConstraint(
                condition=Q(salary_min__isnull=True)
                | Q(salary_max__isnull=True)
                | Q(salary_min__lte=F("salary_max")),
                name="role_salary_min_lte_max",
            ),
            models.CheckConstraint(
                condition=Q(worldwide=False) | Q(workplace="remote"),
                name="role_worldwide_is_remote",
            ),
            models.CheckConstraint(
                condition=~Q(origin="ingest") | Q(source__isnull=False) | Q(external_id=""),
                name="role_ingested_has_source",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "-posted_at", "-id"], name="role_status_posted"),
            # An industry's open roles newest first: the search's samples, windows and pages
            # of one industry read only its entries (the role_open_newest condition).
            models.Index(
                fields=["industry", "-posted_at", "-id"],
                condition=Q(status="published", duplicate_of__isnull=True),
                name="role_open_industry_newest",
            ),
            models.Index(fields=["status", "workplace"], name="role_status_workplace"),
            models.Index(fields=["status", "country"], name="role_status_country"),
            models.Index(fields=["status", "salary_yearly_max"], name="role_status_salary"),
            # Keyset pages of "highest salary first".
            models.Index(
                SALARY_TOP.desc(),
                F("id").desc(),
                condition=Q(status="published"),
                name="role_salary_top",
            ),
            models.Index(fields=["company", "status"], name="role_company_status"),
            models.Index(fields=["expires_at"], name="role_expires"),
            models.Index(fields=["dedupe_key"], name="role_dedupe_key"),
            models.Index(
                fields=["created_by"],
                condition=Q(created_by__isnull=False),
                name="role_created_by",
            ),
            models.Index(
                fields=["duplicate_of"],
                condition=Q(duplicate_of__isnull=False),
                name="role_duplicate_of",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} at {self.company}"

    def get_absolute_url(self) -> str:
        return reverse("role_detail", kwargs={"pk": self.pk, "slug": self.slug or "role"})

    @property
    def location_display(self) -> str:
        """The place as a reader would write it: "Berlin, Germany"."""
        return ", ".join(part for part in (self.city, self.region, self.country) if part)

    @property
    def has_salary(self) -> bool:
        return self.salary_min is not None or self.salary_max is not None


class RoleSkill(models.Model):
    """A skill a role asks for, and whether it is required or nice to have."""

    class Kind(models.TextChoices):
        REQUIRED = "required", "Required"
        NICE = "nice", "Nice to have"

    role = models.ForeignKey(Role, on_delete=models.CASCADE, related_name="role_skills")
    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="role_skills")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.REQUIRED)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["role", "skill"], name="roleskill_unique"),
        ]
        indexes = [models.Index(fields=["skill", "role"], name="roleskill_skill_role")]

    def __str__(self) -> str:
        return f"{self.role_id}: {self.skill} ({self.kind})"

"""The domain: taxonomy, companies, roles, where roles come from, and developers' profiles."""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from .querysets import MatchQuerySet, RoleQuerySet, SkillQuerySet


class Workplace(models.TextChoices):
    ONSITE = "onsite", "On-site"
    HYBRID = "hybrid", "Hybrid"
    REMOTE = "remote", "Remote"


class EmploymentType(models.TextChoices):
    FULL_TIME = "full_time", "Full-time"
    PART_TIME = "part_time", "Part-time"
    CONTRACT = "contract", "Contract"
    TEMPORARY = "temporary", "Temporary"
    INTERNSHIP = "internship", "Internship"


class Seniority(models.TextChoices):
    INTERN = "intern", "Intern"
    JUNIOR = "junior", "Junior"
    MID = "mid", "Mid-level"
    SENIOR = "senior", "Senior"
    LEAD = "lead", "Lead / Staff / Principal"
    EXECUTIVE = "executive", "Head / Director"


SENIORITY_ORDER = [choice.value for choice in Seniority]


class SalaryPeriod(models.TextChoices):
    YEAR = "year", "per year"
    MONTH = "month", "per month"
    WEEK = "week", "per week"
    DAY = "day", "per day"
    HOUR = "hour", "per hour"


# Working time behind each period, to compare salaries on a yearly basis.
YEARLY_FACTOR = {"year": 1, "month": 12, "week": 52, "day": 260, "hour": 2080}


class TimeStamped(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


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


class Skill(TimeStamped):
    """Something a role asks for and a developer offers, recognised in text by name or alias."""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    category = models.CharField(max_length=20, choices=SkillCategory.choices)
    match_name = models.BooleanField(
        default=True,
        help_text="Recognise the name itself in text. Turn off for names that are common "
        "words (Go, Ray, Spark) and rely on the aliases.",
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


class Company(TimeStamped):
    """An employer; recruiters act for it through memberships."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    website = models.URLField(blank=True)
    description = models.TextField(blank=True)
    verified = models.BooleanField(default=False)
    members = models.ManyToManyField(
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


class SourceKind(models.TextChoices):
    GREENHOUSE = "greenhouse", "Greenhouse job board"
    LEVER = "lever", "Lever postings"
    ASHBY = "ashby", "Ashby job board"
    RSS = "rss", "RSS / Atom feed"
    JSONLD = "jsonld", "schema.org JobPosting pages"
    REMOTIVE = "remotive", "Remotive-style JSON"
    REMOTEOK = "remoteok", "RemoteOK-style JSON"
    CSV = "csv", "CSV upload"


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

    skills = models.ManyToManyField(Skill, through="RoleSkill", related_name="roles")
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
            # Keyset pages of "highest salary first" (querysets.SALARY_TOP).
            models.Index(
                Coalesce("salary_yearly_max", "salary_yearly_min", Value(0)).desc(),
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


class WorkplacePreference(models.TextChoices):
    REMOTE_ONLY = "remote_only", "Remote only"
    HYBRID_OK = "hybrid_ok", "Remote or hybrid"
    ONSITE_OK = "onsite_ok", "Any, on-site included"


class DeveloperProfile(TimeStamped):
    """What a developer offers and wants; private unless they let recruiters find them."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="developer_profile"
    )
    headline = models.CharField(max_length=200, blank=True)
    skills = models.ManyToManyField(Skill, through="ProfileSkill", related_name="profiles")
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

"""Market insights: each posting's history and the rollups and page figures made from it.

None of these tables has a foreign key to Role, Skill, Industry or Company: the history and
its rollups must outlive the roles (closed, expired or deleted) and stay consistent on their
own. `skill_id` 0 means "every role" and `industry_id` 0 "no industry" (in rollups) or "all
industries" (in page figures), so that every dimension is a plain non-null column a unique
constraint covers.
"""

from __future__ import annotations

from django.db import models


class InsightRole(models.Model):
    """One posting as the insights last saw it: when it was open and what it offered.

    Keyed by the id of the role shown on the board (a cross-source copy has no row of its
    own), so a posting seen on three sources counts once.
    """

    role_key = models.BigIntegerField(primary_key=True)
    opened_on = models.DateField()
    # The first day it was no longer open (its closing or expiry date); none while open-ended.
    closed_on = models.DateField(null=True, blank=True)
    industry_id = models.IntegerField(default=0)
    company_id = models.IntegerField(default=0)
    workplace = models.CharField(max_length=10)
    worldwide = models.BooleanField(default=False)
    country = models.CharField(max_length=2, blank=True)
    seniority = models.CharField(max_length=20, blank=True)
    # The yearly range's midpoint, in the posting's own currency.
    salary_yearly = models.PositiveIntegerField(null=True, blank=True)
    salary_currency = models.CharField(max_length=3, blank=True)
    # The salary's histogram bucket (opportunities.insights.buckets), computed by the database
    # in both the rebuild and the daily run so the two always agree.
    salary_bucket = models.IntegerField(null=True, blank=True)

    def __str__(self) -> str:
        return f"role {self.role_key} {self.opened_on}..{self.closed_on or ''}"


class InsightRoleSkill(models.Model):
    """A skill an InsightRole asked for."""

    role_key = models.BigIntegerField()
    skill_id = models.IntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["role_key", "skill_id"], name="insroleskill_unique")
        ]

    def __str__(self) -> str:
        return f"role {self.role_key}: skill {self.skill_id}"


class InsightDay(models.Model):
    """How many postings opened and closed on a day, per skill and where the work is.

    The open count on a day is the running sum of opened minus closed up to that day.
    """

    day = models.DateField()
    skill_id = models.IntegerField()
    industry_id = models.IntegerField()
    workplace = models.CharField(max_length=10)
    worldwide = models.BooleanField()
    country = models.CharField(max_length=2)
    opened = models.IntegerField(default=0)
    closed = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["day", "skill_id", "industry_id", "workplace", "worldwide", "country"],
                name="insday_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.day} skill {self.skill_id}: +{self.opened} -{self.closed}"


class InsightSalaryMonth(models.Model):
    """A histogram of posted yearly salaries per month, in buckets about 2% wide."""

    month = models.DateField()
    skill_id = models.IntegerField()
    seniority = models.CharField(max_length=20)
    country = models.CharField(max_length=2)
    currency = models.CharField(max_length=3)
    bucket = models.IntegerField()
    count = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["month", "skill_id", "seniority", "country", "currency", "bucket"],
                name="inssalary_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.skill_id} {self.currency} #{self.bucket}: {self.count}"


class InsightPairMonth(models.Model):
    """Postings of a month that asked for both skills (stored in both directions)."""

    month = models.DateField()
    skill_id = models.IntegerField()
    other_id = models.IntegerField()
    count = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["month", "skill_id", "other_id"], name="inspair_unique")
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} skills {self.skill_id}+{self.other_id}: {self.count}"


class InsightCompanyMonth(models.Model):
    """Postings of a month by one company that asked for the skill."""

    month = models.DateField()
    skill_id = models.IntegerField()
    company_id = models.IntegerField()
    count = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["month", "skill_id", "company_id"], name="inscompany_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} skill {self.skill_id} company {self.company_id}: {self.count}"


# Page figures: written whole by every run, read by the pages with one indexed lookup each.


class InsightWeek(models.Model):
    """Open and new postings per week, for a skill (0: all) in one slice of the board.

    `industry_id` 0 is every industry; `workplace` "" is every workplace and "worldwide"
    means remote roles open to applicants anywhere.
    """

    skill_id = models.IntegerField()
    industry_id = models.IntegerField(default=0)
    workplace = models.CharField(max_length=10, blank=True)
    week = models.DateField(help_text="The Monday the week starts on.")
    open_roles = models.IntegerField(help_text="Open at the end of the week.")
    new_roles = models.IntegerField(help_text="Opened during the week.")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["skill_id", "industry_id", "workplace", "week"], name="insweek_unique"
            )
        ]

    def __str__(self) -> str:
        return f"week {self.week} skill {self.skill_id}: {self.open_roles} open"


class InsightRising(models.Model):
    """New postings asking for a skill in the last 90 days against the 90 before."""

    skill_id = models.IntegerField()
    industry_id = models.IntegerField(default=0)
    recent = models.IntegerField()
    previous = models.IntegerField()
    growth = models.FloatField(help_text="recent / previous - 1")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["industry_id", "skill_id"], name="insrising_unique")
        ]
        indexes = [models.Index(fields=["industry_id", "-growth"], name="insrising_growth")]

    def __str__(self) -> str:
        return f"skill {self.skill_id}: {self.previous} -> {self.recent}"


class InsightSalary(models.Model):
    """Yearly salary percentiles of the last year's postings for a skill (0: all).

    `seniority` and `country` "" mean all of them. `converted` rows add every currency the
    exchange-rate table can turn into `currency`; the others are one currency on its own.
    Percentiles are empty below the minimum sample.
    """

    skill_id = models.IntegerField()
    seniority = models.CharField(max_length=20, blank=True)
    country = models.CharField(max_length=2, blank=True)
    currency = models.CharField(max_length=3)
    converted = models.BooleanField(default=False)
    count = models.IntegerField()
    p25 = models.IntegerField(null=True)
    p50 = models.IntegerField(null=True)
    p75 = models.IntegerField(null=True)
    # [[bucket, count], ...] for skill 0 by seniority: where a salary floor stands.
    buckets = models.JSONField(default=list, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["skill_id", "seniority", "country", "currency", "converted"],
                name="inssalaryfig_unique",
            )
        ]

    def __str__(self) -> str:
        return f"skill {self.skill_id} {self.currency}: median {self.p50} of {self.count}"


class InsightRelated(models.Model):
    """The skills most often asked for beside a skill in the last 180 days."""

    skill_id = models.IntegerField()
    other_id = models.IntegerField()
    roles = models.IntegerField(help_text="Postings asking for both.")
    share = models.FloatField(help_text="Of the postings asking for skill_id.")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["skill_id", "other_id"], name="insrelated_unique")
        ]

    def __str__(self) -> str:
        return f"skill {self.skill_id} with {self.other_id}: {self.roles}"


class InsightCompany(models.Model):
    """The companies posting most for a skill in the last 180 days."""

    skill_id = models.IntegerField()
    company_id = models.IntegerField()
    company_name = models.CharField(max_length=200)
    roles = models.IntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["skill_id", "company_id"], name="inscompanyfig_unique")
        ]

    def __str__(self) -> str:
        return f"skill {self.skill_id} at {self.company_name}: {self.roles}"


class InsightRun(models.Model):
    """One run of the insights: a full rebuild or a daily incremental one."""

    class Kind(models.TextChoices):
        REBUILD = "rebuild", "Full rebuild"
        INCREMENTAL = "incremental", "Incremental"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    # Roles changed after this moment are read by the next incremental run.
    watermark = models.DateTimeField(null=True, blank=True)
    as_of = models.DateField(help_text="The day the run counts up to.")
    roles_read = models.IntegerField(default=0)
    succeeded = models.BooleanField(default=False)

    class Meta:
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.started_at:%Y-%m-%d %H:%M}"


class ExchangeRate(models.Model):
    """How many US dollars one unit of a currency was worth from a date on; kept by curators."""

    currency = models.CharField(max_length=3, help_text="ISO 4217 code, e.g. EUR.")
    usd_per_unit = models.DecimalField(max_digits=14, decimal_places=6)
    valid_from = models.DateField()

    class Meta:
        ordering = ["currency", "-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["currency", "valid_from"], name="exchangerate_unique"),
            models.CheckConstraint(
                condition=models.Q(usd_per_unit__gt=0), name="exchangerate_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"1 {self.currency} = {self.usd_per_unit} USD from {self.valid_from}"

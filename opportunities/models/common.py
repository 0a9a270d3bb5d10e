"""What every area's models share: timestamps and the choices that describe a role."""

from __future__ import annotations

from django.db import models


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


class SalaryPeriod(models.TextChoices):
    YEAR = "year", "per year"
    MONTH = "month", "per month"
    WEEK = "week", "per week"
    DAY = "day", "per day"
    HOUR = "hour", "per hour"
    # A figure the posting gives without a period, too small to be plainly yearly: kept as
    # written, with no yearly equivalent, rather than guessed.
    UNKNOWN = "unknown", "(period not stated)"


class TimeStamped(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True

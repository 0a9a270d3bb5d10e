"""Every model of the app, one module per area; import them from here."""

from .alerts import AlertDelivery, AlertFrequency, AlertPreference, SavedSearch
from .common import (
    SENIORITY_ORDER,
    YEARLY_FACTOR,
    EmploymentType,
    SalaryPeriod,
    Seniority,
    TimeStamped,
    Workplace,
)
from .companies import Company, CompanyMembership
from .matches import Match, MatchQuerySet
from .profiles import DeveloperProfile, ProfileSkill, SkillLevel, WorkplacePreference
from .roles import SALARY_TOP, Role, RoleQuerySet, RoleSkill
from .sources import IngestRun, Source, SourceKind, UnknownSkillTerm
from .taxonomy import Industry, Skill, SkillAlias, SkillCategory, SkillQuerySet

__all__ = [
    "SALARY_TOP",
    "SENIORITY_ORDER",
    "YEARLY_FACTOR",
    "AlertDelivery",
    "AlertFrequency",
    "AlertPreference",
    "Company",
    "CompanyMembership",
    "DeveloperProfile",
    "EmploymentType",
    "Industry",
    "IngestRun",
    "Match",
    "MatchQuerySet",
    "ProfileSkill",
    "Role",
    "RoleQuerySet",
    "RoleSkill",
    "SalaryPeriod",
    "SavedSearch",
    "Seniority",
    "Skill",
    "SkillAlias",
    "SkillCategory",
    "SkillLevel",
    "SkillQuerySet",
    "Source",
    "SourceKind",
    "TimeStamped",
    "UnknownSkillTerm",
    "Workplace",
    "WorkplacePreference",
]

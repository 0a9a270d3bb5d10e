"""Every model of the app, one module per area; import them from here."""

from opportunities.models.alerts import AlertDelivery, AlertFrequency, AlertPreference, SavedSearch
from opportunities.models.common import (
    EmploymentType,
    SalaryPeriod,
    Seniority,
    TimeStamped,
    Workplace,
)
from opportunities.models.companies import Company, CompanyMembership, JoinRequest
from opportunities.models.matches import Match, MatchQuerySet
from opportunities.models.profiles import (
    DeveloperProfile,
    ProfileSkill,
    SkillLevel,
    WorkplacePreference,
)
from opportunities.models.roles import SALARY_TOP, Role, RoleQuerySet, RoleSkill
from opportunities.models.sources import IngestRun, Source, SourceKind, UnknownSkillTerm
from opportunities.models.taxonomy import Industry, Skill, SkillAlias, SkillCategory, SkillQuerySet
from opportunities.vocabulary import SENIORITY_ORDER, YEARLY_FACTOR

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
    "JoinRequest",
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

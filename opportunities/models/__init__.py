"""Every model of the app, one module per area; import them from here."""

from opportunities.models.alerts import AlertDelivery, AlertFrequency, AlertPreference, SavedSearch
from opportunities.models.api_tokens import ApiToken, ApiTokenQuerySet
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
from opportunities.models.reports import RoleReport, RoleReportQuerySet
from opportunities.models.roles import SALARY_TOP, Role, RoleQuerySet, RoleSkill
from opportunities.models.sources import IngestRun, Source, SourceKind, UnknownSkillTerm
from opportunities.models.stats import RoleStat, RoleStatQuerySet
from opportunities.models.taxonomy import Industry, Skill, SkillAlias, SkillCategory, SkillQuerySet
from opportunities.models.tracker import (
    ANSWERED_STAGES,
    APPLIED_STAGES,
    OPEN_STAGES,
    Contact,
    InterviewRound,
    OpportunitySource,
    Stage,
    StageChange,
    TrackedOpportunity,
    TrackedOpportunityQuerySet,
    TrackerCalendar,
    TrackerReminder,
)
from opportunities.vocabulary import SENIORITY_ORDER, YEARLY_FACTOR

__all__ = [
    "ANSWERED_STAGES",
    "APPLIED_STAGES",
    "OPEN_STAGES",
    "SALARY_TOP",
    "SENIORITY_ORDER",
    "YEARLY_FACTOR",
    "AlertDelivery",
    "AlertFrequency",
    "AlertPreference",
    "ApiToken",
    "ApiTokenQuerySet",
    "Company",
    "CompanyMembership",
    "Contact",
    "DeveloperProfile",
    "EmploymentType",
    "Industry",
    "IngestRun",
    "InterviewRound",
    "JoinRequest",
    "Match",
    "MatchQuerySet",
    "OpportunitySource",
    "ProfileSkill",
    "Role",
    "RoleQuerySet",
    "RoleReport",
    "RoleReportQuerySet",
    "RoleSkill",
    "RoleStat",
    "RoleStatQuerySet",
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
    "Stage",
    "StageChange",
    "TimeStamped",
    "TrackedOpportunity",
    "TrackedOpportunityQuerySet",
    "TrackerCalendar",
    "TrackerReminder",
    "UnknownSkillTerm",
    "Workplace",
    "WorkplacePreference",
]

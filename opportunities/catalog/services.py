"""Catalog writes: companies and their members, roles with their skills, and moderation."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import models, transaction
from django.utils import timezone
from django.utils.text import slugify

from opportunities.catalog.skill_columns import role_skill_columns, roles_reindex
from opportunities.enqueue import MATCH_ROLES, enqueue_on_commit
from opportunities.ingest.normalise.role import description_fingerprint
from opportunities.models import (
    YEARLY_FACTOR,
    Company,
    CompanyMembership,
    Industry,
    Role,
    RoleSkill,
    Skill,
)
from opportunities.text import html_clean, text_clean

# Role fields that matching reads (with the skills): changing one changes the role's matches.
ROLE_MATCHED_FIELDS = frozenset(
    {
        "industry",
        "workplace",
        "worldwide",
        "country",
        "applicant_countries",
        "seniority",
        "salary_min",
        "salary_max",
        "salary_currency",
        "salary_period",
        "status",
        "expires_at",
        "duplicate_of",
    }
)
# Fields holding HTML; every other text field of the catalog is plain text (pages escape it).
_HTML_FIELDS: dict[type[models.Model], frozenset[str]] = {Role: frozenset({"description"})}


def _text_cleaned(model: type[models.Model], name: str, value: Any) -> Any:
    """A value as stored in `model`'s field `name`: HTML sanitised, other text without control
    characters (strings inside a list too); anything else as it is."""
    if isinstance(value, str):
        return html_clean(value) if name in _HTML_FIELDS.get(model, ()) else text_clean(value)
    if isinstance(value, list):
        return [text_clean(item) if isinstance(item, str) else item for item in value]
    return value


def _fields_set(instance: models.Model, data: Mapping[str, Any]) -> None:
    """Set `data` on the instance, then clean every text field it has, whoever set it (an
    admin form sets its values on the instance before the admin calls a service)."""
    fields = {field.name: field for field in instance._meta.concrete_fields}
    unknown = set(data) - set(fields)
    if unknown:
        raise ValueError(f"{type(instance).__name__} has no field(s) {sorted(unknown)}.")
    for name, value in data.items():
        setattr(instance, name, value)
    for name, field in fields.items():
        if field.editable and isinstance(
            field, models.CharField | models.TextField | models.JSONField
        ):
            setattr(
                instance,
                field.attname,
                _text_cleaned(type(instance), name, getattr(instance, field.attname)),
            )


def company_create(
    *, name: str, slug: str = "", website: str = "", description: str = "", verified: bool = False
) -> Company:
    """A new company with a unique slug derived from its name unless one is given."""
    given = {"name": name, "website": website, "description": description}
    fields = {field: _text_cleaned(Company, field, value) for field, value in given.items()}
    base = slugify(slug or fields["name"])[:190] or "company"
    candidate, n = base, 2
    while Company.objects.filter(slug=candidate).exists():
        candidate, n = f"{base}-{n}", n + 1
    return Company.objects.create(slug=candidate, verified=verified, **fields)


def company_update(*, company: Company, data: Mapping[str, Any]) -> Company:
    """Save `company` with the fields in `data` changed (or create it when it is new).

    The description is plain text (pages escape it and keep its line breaks), so it is
    cleaned of control characters like every other field rather than parsed as HTML, which
    would store "R&D" as "R&amp;D" and show the entity.
    """
    data = dict(data)
    industry_changed = "industry" in data
    industry = data.pop("industry", None)
    with transaction.atomic():
        _fields_set(company, data)
        company.save()
        if industry_changed:
            company_industry_set(company=company, industry=industry)
    return company


def company_industry_set(*, company: Company, industry: Industry | None) -> list[int]:
    """Make `industry` the company's (a curator's fix): every role of the company follows it
    and is rematched; the ids of the roles changed. None clears the curators' word and leaves
    the roles as they are, for the next ingest run to guess again."""
    with transaction.atomic():
        company.industry = industry
        company.save(update_fields=["industry", "updated_at"])
        if industry is None:
            return []
        roles = Role.objects.filter(company=company).exclude(industry=industry)
        ids = list(roles.values_list("pk", flat=True))
        if ids:
            Role.objects.filter(pk__in=ids).update(industry=industry, updated_at=timezone.now())
            _role_match_enqueue(role_ids=ids)
    return ids


def company_membership_add(
    *,
    company: Company,
    user: AbstractBaseUser,
    role: str = CompanyMembership.Role.RECRUITER,
) -> CompanyMembership:
    """Make `user` a recruiter (or owner) for `company`; harmless if they already are."""
    membership, _ = CompanyMembership.objects.get_or_create(
        company=company, user=user, defaults={"role": role}
    )
    return membership


def company_verify(*, company: Company, by: AbstractBaseUser) -> Company:
    """Mark a company as verified by a curator."""
    with transaction.atomic():
        company = Company.objects.select_for_update().get(pk=company.pk)
        if not company.verified:
            company.verified = True
            company.save(update_fields=["verified", "updated_at"])
    return company


def role_salary_yearly(
    *, salary_min: int | None, salary_max: int | None, period: str
) -> tuple[int | None, int | None]:
    """The posted range as yearly figures, for filtering and sorting across periods."""
    factor = YEARLY_FACTOR.get(period)
    if factor is None:  # a period not stated: no yearly figure is honest
        return None, None
    return (
        salary_min * factor if salary_min is not None else None,
        salary_max * factor if salary_max is not None else None,
    )


def role_create(
    *,
    company: Company,
    title: str,
    workplace: str,
    description: str = "",
    industry: Industry | None = None,
    skills: dict[Skill, str] | None = None,
    status: str = Role.Status.DRAFT,
    posted_at: datetime | None = None,
    expires_at: datetime | None = None,
    city: str = "",
    region: str = "",
    country: str = "",
    worldwide: bool = False,
    applicant_countries: list[str] | None = None,
    applicant_regions: list[str] | None = None,
    applicant_timezones: str = "",
    visa_sponsorship: bool = False,
    employment_type: str = "full_time",
    seniority: str = "",
    salary_min: int | None = None,
    salary_max: int | None = None,
    salary_currency: str = "",
    salary_period: str = "year",
    apply_url: str = "",
    apply_email: str = "",
    created_by: AbstractBaseUser | None = None,
) -> Role:
    """A recruiter-entered role with its slug, yearly salary figures and skill links."""
    text = {
        field: _text_cleaned(Role, field, value)
        for field, value in {
            "title": title,
            "description": description,
            "city": city,
            "region": region,
            "country": country.upper(),
            "applicant_countries": applicant_countries or [],
            "applicant_regions": applicant_regions or [],
            "applicant_timezones": applicant_timezones,
            "salary_currency": salary_currency.upper(),
            "apply_url": apply_url,
            "apply_email": apply_email,
        }.items()
    }
    if salary_min is not None and salary_max is not None and salary_min > salary_max:
        raise ValueError("The lowest salary cannot be above the highest.")
    if worldwide and workplace != "remote":
        raise ValueError("Only a remote role can be open to applicants worldwide.")
    if status == Role.Status.PUBLISHED and posted_at is None:
        posted_at = timezone.now()
    yearly_min, yearly_max = role_salary_yearly(
        salary_min=salary_min, salary_max=salary_max, period=salary_period
    )
    skills = skills or {}
    with transaction.atomic():
        role = Role.objects.create(
            # The search columns mirror the skill links, filled in the same INSERT.
            **role_skill_columns(skills),
            **text,
            company=company,
            slug=slugify(text["title"])[:220] or "role",
            industry=industry,
            workplace=workplace,
            worldwide=worldwide,
            visa_sponsorship=visa_sponsorship,
            employment_type=employment_type,
            seniority=seniority,
            salary_min=salary_min,
            salary_max=salary_max,
            salary_period=salary_period,
            salary_yearly_min=yearly_min,
            salary_yearly_max=yearly_max,
            # Trust flags compare it with other companies' postings to find copied text.
            text_fingerprint=description_fingerprint(text["description"]),
            status=status,
            posted_at=posted_at,
            expires_at=expires_at,
            origin=Role.Origin.RECRUITER,
            created_by=created_by,
        )
        RoleSkill.objects.bulk_create(
            RoleSkill(role=role, skill=skill, kind=kind) for skill, kind in skills.items()
        )
        if status == Role.Status.PUBLISHED:
            _role_match_enqueue(role_ids=[role.pk])
    return role


def _role_match_enqueue(*, role_ids: list[int]) -> None:
    """Hand new or changed roles to matching once the transaction has committed."""
    enqueue_on_commit(MATCH_ROLES, role_ids)


def role_update(*, role: Role, data: Mapping[str, Any]) -> Role:
    """Save `role` with the fields in `data` changed (or create it when it is new).

    Text is cleaned and the description sanitised, the yearly salary figures follow the posted
    ones, and a published role whose matched fields changed is rematched. Skills are not
    fields: change them with role_skills_set, or call role_skills_changed after writing
    RoleSkill rows.
    """
    _fields_set(role, data)
    if "description" in data:
        role.text_fingerprint = description_fingerprint(role.description)
    role.salary_yearly_min, role.salary_yearly_max = role_salary_yearly(
        salary_min=role.salary_min, salary_max=role.salary_max, period=role.salary_period
    )
    with transaction.atomic():
        role.save()
        if role.status == Role.Status.PUBLISHED and ROLE_MATCHED_FIELDS & set(data):
            _role_match_enqueue(role_ids=[role.pk])
    return role


def role_skills_set(*, role: Role, skills: Mapping[Skill, str]) -> None:
    """Make `skills` (skill -> RoleSkill.Kind) the role's skills, replacing the others."""
    with transaction.atomic():
        RoleSkill.objects.filter(role=role).exclude(skill__in=list(skills)).delete()
        RoleSkill.objects.bulk_create(
            [RoleSkill(role=role, skill=skill, kind=kind) for skill, kind in skills.items()],
            update_conflicts=True,
            unique_fields=["role", "skill"],
            update_fields=["kind"],
        )
        role_skills_changed(role_ids=[role.pk])


def role_skills_changed(*, role_ids: Iterable[int]) -> None:
    """After RoleSkill rows of these roles were written: refresh their search columns and
    rematch them (matching drops the matches of roles that are not open)."""
    ids = sorted(set(role_ids))
    if not ids:
        return
    with transaction.atomic():
        roles_reindex(role_ids=ids)
        _role_match_enqueue(role_ids=ids)

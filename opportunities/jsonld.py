"""schema.org JobPosting for a role page, following Google's rules for job postings."""

from __future__ import annotations

import json
from typing import Any

import pycountry
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from opportunities.models import YEARLY_FACTOR, EmploymentType, Role, RoleSkill, Workplace

EMPLOYMENT_TYPES = {
    EmploymentType.FULL_TIME: "FULL_TIME",
    EmploymentType.PART_TIME: "PART_TIME",
    EmploymentType.CONTRACT: "CONTRACTOR",
    EmploymentType.TEMPORARY: "TEMPORARY",
    EmploymentType.INTERNSHIP: "INTERN",
}

# The characters that could end a <script> element or open a comment inside it, as JSON escapes;
# the same set Django's json_script uses.
_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def country_name(code: str) -> str:
    """The English short name of an ISO 3166-1 alpha-2 code, or the code when it is unknown."""
    country = pycountry.countries.get(alpha_2=code.upper()) if code else None
    return country.name if country else code


def job_posting(role: Role, *, url: str = "") -> dict[str, Any]:
    """The JobPosting for a role as a plain dict, ready for json.dumps."""
    company = role.company
    posted = role.posted_at or role.created_at
    data: dict[str, Any] = {
        "@context": "https://schema.org/",
        "@type": "JobPosting",
        "title": role.title,
        "description": role.description or f"<p>{escape(role.title)} at {escape(company.name)}</p>",
        "datePosted": posted.date().isoformat(),
        "hiringOrganization": _organization(role),
        "identifier": {"@type": "PropertyValue", "name": company.name, "value": str(role.pk)},
        "employmentType": EMPLOYMENT_TYPES.get(role.employment_type, "OTHER"),
        "directApply": False,
    }
    if url:
        data["url"] = url
    if role.expires_at:
        data["validThrough"] = role.expires_at.isoformat()
    if role.industry_id:
        data["industry"] = role.industry.name
    required = [
        rs.skill.name for rs in role.role_skills.all() if rs.kind == RoleSkill.Kind.REQUIRED
    ]
    if required:
        data["skills"] = ", ".join(required)

    if role.workplace == Workplace.REMOTE:
        # Google: TELECOMMUTE only for fully remote work; applicantLocationRequirements only
        # when applicants must live somewhere in particular, so a worldwide role names none.
        data["jobLocationType"] = "TELECOMMUTE"
        if not role.worldwide:
            codes = role.applicant_countries or ([role.country] if role.country else [])
            if codes:
                data["applicantLocationRequirements"] = [
                    {"@type": "Country", "name": country_name(code)} for code in codes
                ]
    else:
        address = {
            key: value
            for key, value in (
                ("addressLocality", role.city),
                ("addressRegion", role.region),
                ("addressCountry", role.country),
            )
            if value
        }
        if address:
            data["jobLocation"] = {
                "@type": "Place",
                "address": {"@type": "PostalAddress", **address},
            }

    salary = _base_salary(role)
    if salary:
        data["baseSalary"] = salary
    return data


def _organization(role: Role) -> dict[str, Any]:
    organization: dict[str, Any] = {"@type": "Organization", "name": role.company.name}
    if role.company.website:
        organization["sameAs"] = role.company.website
    return organization


def _base_salary(role: Role) -> dict[str, Any] | None:
    if not role.has_salary or not role.salary_currency:
        return None
    value: dict[str, Any] = {"@type": "QuantitativeValue"}
    if role.salary_period in YEARLY_FACTOR:  # no unitText rather than a made-up one
        value["unitText"] = role.salary_period.upper()
    if role.salary_min is not None and role.salary_min == role.salary_max:
        value["value"] = role.salary_min
    else:
        if role.salary_min is not None:
            value["minValue"] = role.salary_min
        if role.salary_max is not None:
            value["maxValue"] = role.salary_max
    return {"@type": "MonetaryAmount", "currency": role.salary_currency.upper(), "value": value}


def jsonld_script(data: dict[str, Any]) -> SafeString:
    """A <script type="application/ld+json"> element that no value inside data can break out of."""
    payload = json.dumps(data, ensure_ascii=False).translate(_SCRIPT_ESCAPES)
    # Safe: every <, > and & in the payload is a JSON escape now, so nothing can close the script.
    return mark_safe(f'<script type="application/ld+json">{payload}</script>')

"""Posting reads: a recruiter's roles by status, the moderation queue, what is live, and the
evidence curators weigh when verifying a company."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Count, Q
from django.db.models.functions import Lower
from django.utils import timezone

from opportunities.models import (
    Company,
    CompanyMembership,
    JoinRequest,
    Role,
    RoleSkill,
    Skill,
    SkillAlias,
)
from opportunities.posting.advice import RoleDraft
from opportunities.posting.markdown import markdown_to_html

# The order the recruiter's list shows its groups in.
STATUS_ORDER = (
    Role.Status.DRAFT,
    Role.Status.PENDING,
    Role.Status.PUBLISHED,
    Role.Status.REJECTED,
    Role.Status.EXPIRED,
    Role.Status.CLOSED,
)
QUEUE_PAGE = 50


def roles_by_status(roles) -> list[tuple[str, str, list[Role]]]:
    """(status, its label, the roles) for each status, the recruiter's list in order."""
    groups: dict[str, list[Role]] = {status: [] for status in STATUS_ORDER}
    for role in roles.select_related("company").order_by("-updated_at", "-id"):
        groups.setdefault(role.status, []).append(role)
    return [(status, Role.Status(status).label, groups[status]) for status in STATUS_ORDER]


def moderation_queue():
    """Roles waiting for review, the longest-waiting first, with who posted them."""
    return Role.objects.review_queue().select_related("company", "created_by")[:QUEUE_PAGE]


def live_roles():
    """Recruiters' roles now published, soonest to expire first."""
    return (
        Role.objects.published()
        .posted_by_recruiters()
        .select_related("company")
        .order_by("expires_at", "id")
    )


def pending_join_requests(company: Company):
    return company.join_requests.filter(status=JoinRequest.Status.PENDING).select_related("user")


def company_members(company: Company):
    return company.memberships.select_related("user").order_by("-role", "user__email")


def company_by_name(name: str) -> Company | None:
    """The company with this name or slug (any case), for a recruiter asking to join."""
    name = name.strip()
    if not name:
        return None
    return (
        Company.objects.annotate(lname=Lower("name"))
        .filter(Q(lname=name.lower()) | Q(slug=name.lower()))
        .first()
    )


def skills_resolve(names: list[str]) -> dict[str, Skill]:
    """Lower-cased typed name → active skill, by name first and then by alias."""
    wanted = {name.strip().lower() for name in names if name.strip()}
    if not wanted:
        return {}
    found = {
        skill.lname: skill
        for skill in Skill.objects.active().annotate(lname=Lower("name")).filter(lname__in=wanted)
    }
    aliases = (
        SkillAlias.objects.annotate(lname=Lower("name"))
        .filter(lname__in=wanted - found.keys())
        .select_related("skill__merged_into")
    )
    for alias in aliases:
        skill = alias.skill.merged_into or alias.skill
        if skill.active:
            found[alias.lname] = skill
    return found


def domain_of(url_or_email: str) -> str:
    """The host of a URL or the domain of an address, without "www."."""
    value = url_or_email.strip().lower()
    host = (
        value.rsplit("@", 1)[1] if "@" in value and "//" not in value else urlsplit(value).hostname
    )
    host = host or ""
    return host.removeprefix("www.")


def _same_site(domain: str, website: str) -> bool:
    return bool(domain and website) and (domain == website or domain.endswith("." + website))


@dataclass(frozen=True)
class MemberEvidence:
    email: str
    domain: str
    confirmed: bool
    matches: bool
    owner: bool


def company_evidence(company: Company) -> list[MemberEvidence]:
    """For each member: their e-mail domain, whether they confirmed it, and whether it is the
    company's website's domain (the evidence curators verify a company on)."""
    website = domain_of(company.website)
    rows = []
    for membership in company_members(company):
        user = membership.user
        domain = domain_of(user.email or "")
        rows.append(
            MemberEvidence(
                email=user.email,
                domain=domain,
                # Accounts made by signing up are active only once the address is confirmed.
                confirmed=user.is_active,
                matches=_same_site(domain, website),
                owner=membership.role == CompanyMembership.Role.OWNER,
            )
        )
    return rows


def companies_for_review():
    """Companies with recruiters, unverified first, each with its count of members."""
    return (
        Company.objects.annotate(member_count=Count("memberships"))
        .filter(member_count__gt=0)
        .order_by("verified", "name")
    )


def user_join_requests(user: AbstractBaseUser):
    return JoinRequest.objects.filter(user=user).select_related("company").order_by("-created_at")


def role_draft_of(
    source: Role | Mapping[str, Any],
    *,
    company: Company | None = None,
    role: Role | None = None,
    skills_prefix: str = "skills",
) -> RoleDraft:
    """What the writing help reads: a saved role, or the posting form's data as typed (a
    QueryDict or a dict, its skills in rows named `<prefix>-N-skill` / `<prefix>-N-kind`)."""
    if isinstance(source, Role):
        return RoleDraft.from_role(source)
    getlist = source.getlist if hasattr(source, "getlist") else None
    data: dict[str, Any] = {key: source.get(key) for key in source}
    if getlist is not None:
        data["applicant_countries"] = getlist("applicant_countries")
    rows: dict[str, tuple[str, str]] = {}
    for key, value in data.items():
        match = re.fullmatch(rf"{re.escape(skills_prefix)}-(\d+)-skill", key)
        if match and isinstance(value, str) and value.strip():
            kind = data.get(f"{skills_prefix}-{match.group(1)}-kind") or RoleSkill.Kind.REQUIRED
            rows[value.strip().lower()] = (value, str(kind))
    resolved = skills_resolve([name for name, _ in rows.values()])
    data["required_skills"] = [
        resolved[key] for key, (_, kind) in rows.items() if key in resolved and kind != "nice"
    ]
    data["nice_skills"] = [
        resolved[key] for key, (_, kind) in rows.items() if key in resolved and kind == "nice"
    ]
    days = data.get("posting_days")
    if not data.get("expires_at") and isinstance(days, str) and days.isdigit():
        # A draft's expiry is set when it goes live, this many days on.
        data["expires_at"] = timezone.now() + timedelta(days=int(days))
    if data.get("description_markdown") and not data.get("description_html"):
        data["description_html"] = markdown_to_html(str(data["description_markdown"]))
    return RoleDraft.from_form_data(
        data, company=company or (role.company if role else None), pk=role.pk if role else None
    )

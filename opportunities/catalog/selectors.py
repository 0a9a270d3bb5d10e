"""Catalog reads: a role and what its page shows beside it, a company and its open roles."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.utils import timezone

from opportunities.models import Company, Role, RoleSkill

# Similar roles are picked among this many of the newest open roles in the same industry, so
# the query reads a bounded slice of an index however many roles there are.
SIMILAR_CANDIDATES = 300
SIMILAR_LIMIT = 5
# What the similar-roles list shows; the large search columns stay unread.
SIMILAR_FIELDS = (
    "pk",
    "slug",
    "title",
    "workplace",
    "city",
    "region",
    "country",
    "posted_at",
    "company__name",
    "company__slug",
)
OTHER_SOURCES_SHOWN = 10


def role_detail_get(*, pk: int) -> Role | None:
    """The role with what its page shows (company, industry, source, skills by name)."""
    return (
        Role.objects.select_related("company", "industry", "source", "duplicate_of")
        .prefetch_related(
            Prefetch(
                "role_skills",
                queryset=RoleSkill.objects.select_related("skill").order_by("skill__name"),
            )
        )
        .filter(pk=pk)
        .first()
    )


# Columns only search reads (the stored vectors are kilobytes a role): the public role page
# leaves them unread.
SEARCH_COLUMNS = ("search_vector", "search_head", "skill_text")


def role_page_get(*, pk: int) -> Role | None:
    """The role as its public page, apply link and short address read it: role_detail_get's
    relations without the search columns, and without the canonical role joined in (a copy
    from another source only redirects to it, so it is read then, by its id)."""
    return (
        Role.objects.select_related("company", "industry", "source")
        .prefetch_related(
            Prefetch(
                "role_skills",
                queryset=RoleSkill.objects.select_related("skill").order_by("skill__name"),
            )
        )
        .defer(*SEARCH_COLUMNS)
        .filter(pk=pk)
        .first()
    )


def role_state(role: Role) -> str:
    """open, expired, closed, or unpublished (draft, pending, rejected)."""
    if role.status == Role.Status.PUBLISHED:
        expired = role.expires_at is not None and role.expires_at <= timezone.now()
        return "expired" if expired else "open"
    if role.status in {Role.Status.EXPIRED, Role.Status.CLOSED}:
        return role.status
    return "unpublished"


def role_other_sources(role: Role) -> list[Role]:
    """Copies of the role seen on other sources, with the source each was seen on."""
    copies = role.duplicates.filter(source__isnull=False).select_related("source")
    # The page prints each copy's link and its source's name; the other ~60 columns stay unread.
    copies = copies.only("duplicate_of", "canonical_url", "source__name")
    return list(copies[:OTHER_SOURCES_SHOWN])


def company_other_open_count(role: Role) -> int:
    """How many other open roles the role's company has."""
    return Role.objects.open().for_company(role.company_id).exclude(pk=role.pk).count()


def similar_roles(role: Role) -> list[Role]:
    """Up to five open roles in the same industry sharing a skill, newest first."""
    skill_ids = [rs.skill_id for rs in role.role_skills.all()]
    if role.industry_id is None and not skill_ids:
        return []
    candidates = Role.objects.open().exclude(pk=role.pk)
    if role.industry_id is not None:
        candidates = candidates.filter(industry_id=role.industry_id)
    newest = candidates.order_by("-posted_at", "-id").values("pk")[:SIMILAR_CANDIDATES]
    similar = Role.objects.filter(pk__in=newest)
    if skill_ids:
        similar = similar.filter(
            Exists(RoleSkill.objects.filter(role=OuterRef("pk"), skill_id__in=skill_ids))
        )
    similar = similar.select_related("company").only(*SIMILAR_FIELDS)
    return list(similar.order_by("-posted_at", "-id")[:SIMILAR_LIMIT])


def company_get(*, slug: str) -> Company | None:
    return Company.objects.filter(slug=slug).first()


def company_open_role_ids(company: Company) -> QuerySet:
    """Ids of the company's open roles, newest first (a paginator pages through ids only)."""
    return (
        Role.objects.open()
        .for_company(company)
        .order_by("-posted_at", "-id")
        .values_list("pk", flat=True)
    )

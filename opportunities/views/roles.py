"""The role page and the company page."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Prefetch
from django.http import Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from opportunities.jsonld import country_name, job_posting, jsonld_script
from opportunities.models import Company, CompanyMembership, Role, RoleSkill
from opportunities.search.cards import role_cards

# Statuses anyone may see; the others only the role's company and staff see.
PUBLIC_STATUSES = {Role.Status.PUBLISHED, Role.Status.EXPIRED, Role.Status.CLOSED}
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
COMPANY_PAGE_SIZE = 20


def role_redirect(request: HttpRequest, pk: int) -> HttpResponse:
    """/jobs/<id>/ → the role's canonical address."""
    role = _viewable_role(request, pk)
    return HttpResponsePermanentRedirect((role.duplicate_of or role).get_absolute_url())


def role_detail(request: HttpRequest, pk: int, slug: str) -> HttpResponse:
    """One role, everything about it; 410 once expired or closed, 404 while unpublished."""
    role = _viewable_role(request, pk)
    if role.duplicate_of_id is not None:
        # A copy seen on another source: the posting lives at its canonical role.
        return HttpResponsePermanentRedirect(role.duplicate_of.get_absolute_url())
    if slug != (role.slug or "role"):
        return HttpResponsePermanentRedirect(role.get_absolute_url())

    state = role_state(role)
    role_skills = list(role.role_skills.all())
    context = {
        "role": role,
        "state": state,
        "required_skills": [rs.skill for rs in role_skills if rs.kind == RoleSkill.Kind.REQUIRED],
        "nice_skills": [rs.skill for rs in role_skills if rs.kind == RoleSkill.Kind.NICE],
        "applicant_countries": [country_name(code) for code in role.applicant_countries],
        "country": country_name(role.country) if role.country else "",
        "also_posted_on": role.duplicates.filter(source__isnull=False).select_related("source")[
            :10
        ],
        "company_open_count": Role.objects.open()
        .for_company(role.company_id)
        .exclude(pk=role.pk)
        .count(),
        "similar_roles": similar_roles(role),
        "canonical_url": request.build_absolute_uri(role.get_absolute_url()),
        "jsonld": "",
    }
    if state == "open":
        # Only a live posting is offered to job search engines.
        context["jsonld"] = jsonld_script(job_posting(role, url=context["canonical_url"]))
    status = 410 if state in {"expired", "closed"} else 200
    return render(request, "catalog/role_detail.html", context, status=status)


def company_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """A company and its open roles, newest first, a page at a time."""
    company = get_object_or_404(Company, slug=slug)
    # The paginator pages through ids only; cards are read for the shown page's ids, so a page
    # costs the same few queries however many roles the company has.
    role_ids = (
        Role.objects.open()
        .for_company(company)
        .order_by("-posted_at", "-id")
        .values_list("pk", flat=True)
    )
    page = Paginator(role_ids, COMPANY_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "catalog/company_detail.html",
        {"company": company, "page": page, "roles": role_cards(list(page.object_list))},
    )


def role_state(role: Role) -> str:
    """open, expired, closed, or unpublished (draft, pending, rejected)."""
    if role.status == Role.Status.PUBLISHED:
        expired = role.expires_at is not None and role.expires_at <= timezone.now()
        return "expired" if expired else "open"
    if role.status in {Role.Status.EXPIRED, Role.Status.CLOSED}:
        return role.status
    return "unpublished"


def can_preview(user: User | AnonymousUser, role: Role) -> bool:
    """Staff and the role's own company may see it before it is published."""
    if not user.is_authenticated:
        return False
    return (
        user.is_staff
        or CompanyMembership.objects.filter(user=user, company_id=role.company_id).exists()
    )


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


def _viewable_role(request: HttpRequest, pk: int) -> Role:
    role = get_object_or_404(
        Role.objects.select_related(
            "company", "industry", "source", "duplicate_of"
        ).prefetch_related(
            Prefetch(
                "role_skills",
                queryset=RoleSkill.objects.select_related("skill").order_by("skill__name"),
            )
        ),
        pk=pk,
    )
    if role.status not in PUBLIC_STATUSES and not can_preview(request.user, role):
        raise Http404("No role here.")
    return role

"""Who may see or change what: every such rule of the site, in one place.

Views ask these and answer 404 when the answer is no, so that a private thing's existence
stays private too. The admin's own permissions (the Curators group) are in
opportunities/catalog/curators.py.

The people: anonymous visitors; developers (any signed-in user, with a private profile);
recruiters (members of a company); curators (staff in the Curators group, who keep the
catalog tidy but never see developers' profiles, candidates or e-mail addresses);
superusers (who administer the site and may see everything).
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import QuerySet

from opportunities.catalog.curators import CURATORS_GROUP
from opportunities.models import (
    ApiToken,
    Company,
    CompanyMembership,
    JoinRequest,
    Role,
    RoleQuerySet,
    TrackedOpportunity,
)

Viewer = AbstractBaseUser | AnonymousUser

# Statuses anyone may see; the others only the role's company and staff see.
PUBLIC_STATUSES = frozenset({Role.Status.PUBLISHED, Role.Status.EXPIRED, Role.Status.CLOSED})


def is_company_member(user: Viewer, company_id: int) -> bool:
    """The user recruits for this company."""
    if not user.is_authenticated:
        return False
    return CompanyMembership.objects.filter(user=user, company_id=company_id).exists()


def can_preview_role(user: Viewer, role: Role) -> bool:
    """Staff (who moderate) and the role's own company may see it before it is published."""
    if not user.is_authenticated:
        return False
    return user.is_staff or is_company_member(user, role.company_id)


def can_view_role(user: Viewer, role: Role) -> bool:
    """Anyone may see a published, expired or closed role; others only those who preview."""
    return role.status in PUBLIC_STATUSES or can_preview_role(user, role)


def can_see_candidates(user: Viewer, role: Role) -> bool:
    """The role's own company (and superusers) may see the developers matching it; curators,
    staff though they are, may not: developers' profiles are private from them."""
    if not user.is_authenticated:
        return False
    return user.is_superuser or is_company_member(user, role.company_id)


def roles_of_recruiter(user: Viewer) -> RoleQuerySet:
    """The roles of every company the user recruits for, whatever their status; none for
    anyone else (staff and superusers included: this is a recruiter's own list)."""
    if not user.is_authenticated:
        return Role.objects.none()
    return Role.objects.for_member(user)


def can_report_role(user: Viewer, role: Role) -> bool:
    """Signed-in people may report a role they can see."""
    return user.is_authenticated and can_view_role(user, role)


def can_use_tracker(user: Viewer) -> bool:
    """Any signed-in, active user keeps a tracker of their own."""
    return user.is_authenticated and user.is_active


def owns_tracked(user: Viewer, opportunity: TrackedOpportunity) -> bool:
    """A tracked opportunity is its developer's alone: not a curator's, not a superuser's."""
    return can_use_tracker(user) and opportunity.user_id == user.pk


# Posting and moderation (opportunities/posting/).


def is_curator(user: Viewer) -> bool:
    """Staff in the Curators group, or a superuser: they work the moderation queue."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return user.is_staff and user.groups.filter(name=CURATORS_GROUP).exists()


def is_company_owner(user: Viewer, company_id: int) -> bool:
    """The user owns this company: they approve join requests, invite and remove members."""
    if not user.is_authenticated:
        return False
    return CompanyMembership.objects.filter(
        user=user, company_id=company_id, role=CompanyMembership.Role.OWNER
    ).exists()


def is_recruiter(user: Viewer) -> bool:
    """The user recruits for at least one company."""
    return user.is_authenticated and CompanyMembership.objects.filter(user=user).exists()


def companies_of(user: Viewer) -> QuerySet[Company]:
    """The companies the user acts for (every one they belong to)."""
    if not user.is_authenticated:
        return Company.objects.none()
    return Company.objects.filter(memberships__user=user).order_by("name")


def editable_roles(user: Viewer) -> RoleQuerySet:
    """The roles the user may edit, submit, close, renew or duplicate."""
    return Role.objects.editable_by(user)


def can_edit_role(user: Viewer, role: Role) -> bool:
    """A recruiter of the role's company may change it; ingested roles are nobody's to edit."""
    return role.origin == Role.Origin.RECRUITER and is_company_member(user, role.company_id)


def can_moderate_role(user: Viewer, role: Role) -> bool:
    """Curators moderate every role posted by a recruiter."""
    return is_curator(user)


def owned_companies(user: Viewer) -> QuerySet[Company]:
    """The companies the user owns."""
    if not user.is_authenticated:
        return Company.objects.none()
    # One filter() call, so both conditions apply to the same membership row.
    return Company.objects.filter(
        memberships__user=user, memberships__role=CompanyMembership.Role.OWNER
    ).order_by("name")


def join_requests_decidable_by(user: Viewer) -> QuerySet[JoinRequest]:
    """Requests to join a company the user owns."""
    return JoinRequest.objects.filter(company__in=owned_companies(user))


# Insights (opportunities/insights/).


def can_see_own_insights(user: Viewer) -> bool:
    """A signed-in developer sees insights about their own profile; nobody else sees them."""
    return user.is_authenticated and user.is_active


# API tokens (opportunities/api/).


def can_manage_tokens(user: Viewer) -> bool:
    """Any signed-in, active user makes and revokes tokens of their own."""
    return user.is_authenticated and user.is_active


def owns_token(user: Viewer, token: ApiToken) -> bool:
    """A token is its user's alone to see and revoke."""
    return can_manage_tokens(user) and token.user_id == user.pk


def token_allows(token: ApiToken | None, *, write: bool) -> bool:
    """A live token of an active user reads; only a read-and-write token also writes."""
    if token is None or not token.is_active or not token.user.is_active:
        return False
    return token.can_write or not write

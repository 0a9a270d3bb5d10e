"""Company writes: creating companies, adding recruiters, verifying."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils.text import slugify

from ..models import Company, CompanyMembership


def company_create(
    *, name: str, slug: str = "", website: str = "", description: str = "", verified: bool = False
) -> Company:
    """A new company with a unique slug derived from its name unless one is given."""
    base = slugify(slug or name)[:190] or "company"
    candidate, n = base, 2
    while Company.objects.filter(slug=candidate).exists():
        candidate, n = f"{base}-{n}", n + 1
    return Company.objects.create(
        name=name, slug=candidate, website=website, description=description, verified=verified
    )


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

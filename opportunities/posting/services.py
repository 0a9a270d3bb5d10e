"""Posting writes: companies and their recruiters, roles through their lifecycle, moderation.

Every status change goes through lifecycle.role_transition; every decision a recruiter
should hear about sends its e-mail here, once the row is saved.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from opportunities.catalog.services import (
    company_create,
    company_membership_add,
    company_update,
    role_create,
    role_skills_set,
    role_update,
)
from opportunities.enqueue import MATCH_ROLES, enqueue_on_commit
from opportunities.models import Company, CompanyMembership, JoinRequest, Role, RoleSkill, Skill
from opportunities.posting.emails import email_send
from opportunities.posting.lifecycle import Actor, RoleTransitionError, role_transition
from opportunities.posting.markdown import markdown_to_html
from opportunities.posting.ratelimit import posting_rate_check
from opportunities.posting.trust import trust_flags
from opportunities.text import text_clean

Status = Role.Status

# Why a curator turns a role down; "other" needs their own words.
REJECT_REASONS: dict[str, str] = {
    "not_ai": "Not a generative-AI role",
    "incomplete": "Important details are missing",
    "misleading": "Misleading or inaccurate details",
    "discriminatory": "Discriminatory wording or requirements",
    "fee": "Asks applicants for money",
    "duplicate": "A duplicate of another posting",
    "spam": "Spam or not a real job",
    "other": "Another reason",
}
# A change to one of these (or to the skills) sends a published role back to review.
MATERIAL_FIELDS = (
    "title",
    "description_markdown",
    "salary_min",
    "salary_max",
    "salary_currency",
    "salary_period",
    "city",
    "region",
    "country",
    "workplace",
    "worldwide",
    "applicant_countries",
    "applicant_regions",
    "applicant_timezones",
    "visa_sponsorship",
)
EXPIRY_WARNING = timedelta(days=3)
INVITE_SALT = "opportunities.posting.invite"


# Roles


def posting_days_clamped(days: int | None) -> int:
    """Days a role stays up: the default when unset, never more than the maximum."""
    if not days:
        return settings.POSTING_DAYS_DEFAULT
    return max(1, min(int(days), settings.POSTING_DAYS_MAX))


def _role_fields(data: Mapping[str, Any]) -> dict[str, Any]:
    """The form's data as Role fields: the Markdown kept, its rendering in `description`."""
    fields = dict(data)
    markdown = text_clean(fields.get("description_markdown", ""))
    fields["description_markdown"] = markdown
    fields["description"] = markdown_to_html(markdown)
    fields["posting_days"] = posting_days_clamped(fields.get("posting_days"))
    return fields


def role_draft_create(
    *, company: Company, by: AbstractBaseUser, data: Mapping[str, Any], skills: dict[Skill, str]
) -> Role:
    """A new draft for `company`, written by `by`."""
    fields = _role_fields(data)
    extra = {name: fields.pop(name) for name in ("description_markdown", "posting_days")}
    with transaction.atomic():
        role = role_create(
            company=company, created_by=by, skills=skills, status=Status.DRAFT, **fields
        )
        role_update(role=role, data=extra)
    return role


def _material(role: Role) -> tuple:
    skills = sorted(RoleSkill.objects.filter(role=role).values_list("skill_id", "kind"))
    return (*(getattr(role, name) for name in MATERIAL_FIELDS), tuple(skills))


def role_edit(
    *, role: Role, by: AbstractBaseUser, data: Mapping[str, Any], skills: dict[Skill, str]
) -> tuple[Role, bool]:
    """Save a recruiter's changes; (role, whether it went back to review).

    A published role whose title, description, salary, skills, place or eligibility changed
    goes back to the queue; other changes stay live. A rejected role becomes a draft again.
    """
    if role.status in {Status.CLOSED}:
        raise RoleTransitionError("A closed role cannot be edited; duplicate it instead.")
    with transaction.atomic():
        before = _material(role)
        role = role_update(role=role, data=_role_fields(data))
        role_skills_set(role=role, skills=skills)
        material = _material(role) != before
        back_to_review = role.status == Status.PUBLISHED and material
        if back_to_review:
            role = _transition(role, "review_edit", Actor.RECRUITER)
            role = _publish_if_trusted(role)
            back_to_review = role.status == Status.PENDING
        elif role.status == Status.REJECTED:
            role = _transition(role, "revise", Actor.RECRUITER)
    return role, back_to_review


def _transition(role: Role, action: str, actor: Actor, **fields: object) -> Role:
    was_published = role.status == Status.PUBLISHED
    role = role_transition(role=role, action=action, actor=actor, **fields)
    if was_published or role.status == Status.PUBLISHED:
        # Matching keeps only open roles: rematching adds or drops this one.
        enqueue_on_commit(MATCH_ROLES, [role.pk])
    return role


def publishes_without_review(role: Role) -> bool:
    """A verified company curators trust publishes straight away, unless a flag holds it."""
    company = role.company
    return company.verified and company.publish_without_review and not trust_flags(role)


def _publish_if_trusted(role: Role) -> Role:
    if role.status == Status.PENDING and publishes_without_review(role):
        return role_approve(role=role, by=None, actor=Actor.SYSTEM)
    return role


def role_submit(*, role: Role, by: AbstractBaseUser) -> Role:
    """Send a draft to the moderation queue (or publish it, for a trusted company)."""
    if role.status != Status.DRAFT:
        raise RoleTransitionError(
            f"Only drafts can be submitted for review; “{role.title}” is "
            f"{role.get_status_display().lower()}."
        )
    posting_rate_check(user_id=by.pk, company_id=role.company_id)
    with transaction.atomic():
        role = _transition(role, "submit", Actor.RECRUITER, review_note="", review_reason="")
        role = _publish_if_trusted(role)
    return role


def role_withdraw(*, role: Role, by: AbstractBaseUser) -> Role:
    """Take a role out of the queue, back to draft."""
    return _transition(role, "withdraw", Actor.RECRUITER)


def role_approve(*, role: Role, by: AbstractBaseUser | None, actor: Actor = Actor.CURATOR) -> Role:
    """Publish a role pending review: posted now (unless it was live before) and expiring
    after the days its recruiter asked for."""
    now = timezone.now()
    with transaction.atomic():
        current = Role.objects.get(pk=role.pk)
        still_live = current.expires_at is not None and current.expires_at > now
        expires = (
            current.expires_at
            if still_live and current.posted_at
            else now + timedelta(days=posting_days_clamped(current.posting_days))
        )
        role = _transition(
            current,
            "approve",
            actor,
            posted_at=current.posted_at or now,
            expires_at=expires,
            review_note="",
            review_reason="",
        )
        transaction.on_commit(lambda: _role_email(role, "role_approved"))
    return role


def role_reject(
    *, role: Role, by: AbstractBaseUser | None, reason: str = "", code: str = "other"
) -> Role:
    """Turn down a role pending review with a reason from REJECT_REASONS and/or words."""
    if code not in REJECT_REASONS:
        raise ValueError("Pick a reason from the list.")
    words = text_clean(reason).strip()
    if code == "other" and not words:
        raise ValueError("Say why the role is rejected; the recruiter will read it.")
    note = words or REJECT_REASONS[code]
    with transaction.atomic():
        role = _transition(role, "reject", Actor.CURATOR, review_note=note, review_reason=code)
        transaction.on_commit(lambda: _role_email(role, "role_rejected"))
    return role


def role_send_back(*, role: Role, by: AbstractBaseUser | None, note: str) -> Role:
    """Return a role pending review to its recruiter as a draft, saying what to change."""
    words = text_clean(note).strip()
    if not words:
        raise ValueError("Say what the recruiter should change.")
    with transaction.atomic():
        role = _transition(role, "send_back", Actor.CURATOR, review_note=words, review_reason="")
        transaction.on_commit(lambda: _role_email(role, "role_sent_back"))
    return role


def role_close(
    *, role: Role, by: AbstractBaseUser | None, filled: bool, actor: Actor = Actor.RECRUITER
) -> Role:
    """Stop a published role taking applications, noting whether it was filled."""
    return _transition(role, "close", actor, filled=filled)


def role_take_down(*, role: Role, by: AbstractBaseUser | None, note: str) -> Role:
    """A curator closes a live role (a scam, a filled job left up), telling its recruiter."""
    words = text_clean(note).strip()
    if not words:
        raise ValueError("Say why the role is taken down; the recruiter will read it.")
    with transaction.atomic():
        role = _transition(role, "close", Actor.CURATOR, review_note=words)
        transaction.on_commit(lambda: _role_email(role, "role_closed"))
    return role


def role_renew(*, role: Role, by: AbstractBaseUser) -> Role:
    """An expired role goes back to review; a published one runs for another span."""
    role = Role.objects.select_related("company").get(pk=role.pk)
    if role.status == Status.EXPIRED:
        posting_rate_check(user_id=by.pk, company_id=role.company_id)
        with transaction.atomic():
            role = _transition(
                role,
                "renew",
                Actor.RECRUITER,
                posted_at=None,
                expires_at=None,
                expiry_warned_at=None,
            )
            return _publish_if_trusted(role)
    if role.status == Status.PUBLISHED:
        now = timezone.now()
        start = max(role.expires_at or now, now)
        limit = now + timedelta(days=settings.POSTING_DAYS_MAX)
        expires = min(start + timedelta(days=posting_days_clamped(role.posting_days)), limit)
        return role_update(role=role, data={"expires_at": expires, "expiry_warned_at": None})
    raise RoleTransitionError(
        f"Only published or expired roles can be renewed; “{role.title}” is "
        f"{role.get_status_display().lower()}."
    )


COPIED_FIELDS = (
    "title",
    "industry",
    "description_markdown",
    "city",
    "region",
    "country",
    "workplace",
    "worldwide",
    "applicant_countries",
    "applicant_regions",
    "applicant_timezones",
    "visa_sponsorship",
    "employment_type",
    "seniority",
    "salary_min",
    "salary_max",
    "salary_currency",
    "salary_period",
    "apply_url",
    "apply_email",
    "posting_days",
)


def role_duplicate(*, role: Role, by: AbstractBaseUser) -> Role:
    """A new draft with everything the role says, for the same company."""
    skills = {rs.skill: rs.kind for rs in role.role_skills.select_related("skill")}
    data = {name: getattr(role, name) for name in COPIED_FIELDS}
    return role_draft_create(company=role.company, by=by, data=data, skills=skills)


def roles_expire(*, now: datetime | None = None) -> int:
    """Expire the posted roles whose date has come; how many. Harmless to run twice."""
    now = now or timezone.now()
    ids = list(Role.objects.posted_by_recruiters().past_expiry(now).values_list("pk", flat=True))
    expired = 0
    for pk in ids:
        try:
            _transition(Role(pk=pk), "expire", Actor.SYSTEM)
        except RoleTransitionError:  # closed or edited since the query: nothing to do
            continue
        expired += 1
    return expired


def roles_warn_expiring(*, now: datetime | None = None) -> int:
    """E-mail each recruiter whose role expires within three days, once per role."""
    now = now or timezone.now()
    due = Role.objects.posted_by_recruiters().expiring_unwarned(now, now + EXPIRY_WARNING)
    sent = 0
    for pk in list(due.values_list("pk", flat=True)):
        with transaction.atomic():
            # Claiming the row first makes a second run (or a retry) skip it; a failed send
            # rolls the claim back so the retry sends it.
            claimed = Role.objects.filter(pk=pk, expiry_warned_at__isnull=True).update(
                expiry_warned_at=now
            )
            if claimed:
                _role_email(Role.objects.select_related("company").get(pk=pk), "role_expiring")
                sent += 1
    return sent


def _role_recipients(role: Role) -> list[str]:
    if role.created_by_id and role.created_by.email:
        return [role.created_by.email]
    return list(
        CompanyMembership.objects.filter(company_id=role.company_id).values_list(
            "user__email", flat=True
        )
    )


def _role_email(role: Role, event: str) -> None:
    role = Role.objects.select_related("company", "created_by").get(pk=role.pk)
    email_send(
        to=_role_recipients(role),
        event=event,
        context={
            "role": role,
            "role_url": settings.SITE_URL + reverse("posting_role_preview", args=[role.pk]),
            "edit_url": settings.SITE_URL + reverse("posting_role_edit", args=[role.pk]),
            "hiring_url": settings.SITE_URL + reverse("hiring_home"),
            "reason": REJECT_REASONS.get(role.review_reason, ""),
        },
    )


# Companies and their recruiters


def company_found(
    *,
    by: AbstractBaseUser,
    name: str,
    website: str = "",
    description: str = "",
    logo_url: str = "",
) -> Company:
    """A new company with `by` as its owner."""
    with transaction.atomic():
        company = company_create(name=name, website=website, description=description)
        if logo_url:
            company_update(company=company, data={"logo_url": logo_url})
        company_membership_add(company=company, user=by, role=CompanyMembership.Role.OWNER)
    return company


def company_edit(*, company: Company, data: Mapping[str, Any]) -> Company:
    """An owner's changes to the company's name, website, description or logo."""
    allowed = {"name", "website", "description", "logo_url"}
    return company_update(company=company, data={k: v for k, v in data.items() if k in allowed})


def _owner_emails(company: Company) -> list[str]:
    return list(
        company.memberships.filter(role=CompanyMembership.Role.OWNER).values_list(
            "user__email", flat=True
        )
    )


def join_request_create(
    *, user: AbstractBaseUser, company: Company, message: str = ""
) -> JoinRequest:
    """Ask the company's owners to let `user` recruit for it; they hear by e-mail."""
    if CompanyMembership.objects.filter(user=user, company=company).exists():
        raise ValueError(f"You already recruit for {company.name}.")
    with transaction.atomic():
        request, created = JoinRequest.objects.get_or_create(
            user=user,
            company=company,
            status=JoinRequest.Status.PENDING,
            defaults={"message": text_clean(message)[:500]},
        )
        if created:
            transaction.on_commit(
                lambda: email_send(
                    to=_owner_emails(company),
                    event="join_request",
                    context={
                        "company": company,
                        "requester": user.email,
                        "message": request.message,
                        "members_url": settings.SITE_URL
                        + reverse("posting_company", args=[company.slug]),
                    },
                )
            )
    return request


def join_request_decide(
    *, request: JoinRequest, by: AbstractBaseUser, approve: bool
) -> JoinRequest:
    """An owner lets the requester in, or not; the requester hears by e-mail."""
    with transaction.atomic():
        locked = (
            JoinRequest.objects.select_for_update()
            .select_related("company", "user")
            .get(pk=request.pk)
        )
        if locked.status != JoinRequest.Status.PENDING:
            raise ValueError("This request has already been answered.")
        locked.status = JoinRequest.Status.APPROVED if approve else JoinRequest.Status.DECLINED
        locked.decided_by = by
        locked.save(update_fields=["status", "decided_by", "updated_at"])
        if approve:
            company_membership_add(company=locked.company, user=locked.user)
        transaction.on_commit(
            lambda: email_send(
                to=[locked.user.email],
                event="join_decided",
                context={
                    "company": locked.company,
                    "approved": approve,
                    "hiring_url": settings.SITE_URL + reverse("hiring_home"),
                },
            )
        )
    return locked


def company_invite_token(*, company: Company, email: str) -> str:
    """A signed, timestamped token naming the company and the invited address."""
    email = text_clean(email).strip().lower()
    return signing.TimestampSigner(salt=INVITE_SALT).sign_object({"c": company.pk, "e": email})


def company_invite(*, company: Company, email: str, by: AbstractBaseUser) -> str:
    """E-mail `email` a signed link (valid POSTING_INVITE_MAX_AGE) to join; returns it."""
    email = text_clean(email).strip().lower()
    token = company_invite_token(company=company, email=email)
    url = settings.SITE_URL + reverse("posting_invite_accept", args=[token])
    days = settings.POSTING_INVITE_MAX_AGE // 86400
    email_send(
        to=[email],
        event="company_invite",
        context={"company": company, "invite_url": url, "inviter": by.email, "days": days},
    )
    return url


def company_invite_read(*, token: str) -> tuple[Company, str]:
    """The company and address an invitation names; ValueError if it is wrong or old."""
    signer = signing.TimestampSigner(salt=INVITE_SALT)
    try:
        data = signer.unsign_object(token, max_age=settings.POSTING_INVITE_MAX_AGE)
    except signing.SignatureExpired as error:
        raise ValueError("This invitation has expired; ask for a new one.") from error
    except signing.BadSignature as error:
        raise ValueError(
            "This invitation link is not valid; check you copied all of it."
        ) from error
    company = Company.objects.filter(pk=data.get("c")).first()
    if company is None:
        raise ValueError("The company that sent this invitation is no longer here.")
    return company, data.get("e", "")


def company_invite_accept(*, token: str, user: AbstractBaseUser) -> Company:
    """Make `user` a recruiter of the inviting company, if the invitation was for them."""
    company, email = company_invite_read(token=token)
    if (user.email or "").lower() != email:
        raise ValueError(
            f"This invitation was sent to {email}; log in with that address to accept it."
        )
    company_membership_add(company=company, user=user)
    return company


def company_member_remove(*, company: Company, user_id: int, by: AbstractBaseUser) -> None:
    """Take a recruiter off the company; the last owner cannot go."""
    with transaction.atomic():
        membership = (
            CompanyMembership.objects.select_for_update()
            .filter(company=company, user_id=user_id)
            .first()
        )
        if membership is None:
            raise ValueError("That person does not recruit for this company.")
        owners = company.memberships.filter(role=CompanyMembership.Role.OWNER)
        if membership.role == CompanyMembership.Role.OWNER and owners.count() == 1:
            raise ValueError("A company needs an owner: make someone else owner first.")
        membership.delete()


def company_trust_set(
    *, company: Company, by: AbstractBaseUser, publish_without_review: bool
) -> Company:
    """Let a verified company's roles publish without review (or stop it)."""
    if publish_without_review and not company.verified:
        raise ValueError("Verify the company before letting it publish without review.")
    return company_update(company=company, data={"publish_without_review": publish_without_review})

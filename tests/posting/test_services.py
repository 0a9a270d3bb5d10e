"""Posting writes (opportunities/posting/services.py): onboarding, roles, moderation, expiry."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.cache import cache
from django.utils import timezone

from opportunities.models import CompanyMembership, JoinRequest, Role, RoleSkill
from opportunities.posting import services
from opportunities.posting.lifecycle import RoleTransitionError
from opportunities.posting.notes import Note
from opportunities.posting.ratelimit import PostingRateLimited
from tests import factories

pytestmark = pytest.mark.django_db
S = Role.Status


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()


@pytest.fixture
def recruiter(db):
    return factories.UserFactory(username="rita@acme.example", email="rita@acme.example")


@pytest.fixture
def acme(recruiter):
    return services.company_found(by=recruiter, name="Acme AI", website="https://acme.example")


def role_data(**overrides):
    data = {
        "title": "LLM Engineer",
        "industry": None,
        "description_markdown": "We build **agents**.\n\n<script>alert(1)</script>",
        "workplace": "remote",
        "worldwide": True,
        "city": "",
        "region": "",
        "country": "DE",
        "applicant_countries": [],
        "applicant_regions": [],
        "applicant_timezones": "",
        "visa_sponsorship": False,
        "employment_type": "full_time",
        "seniority": "senior",
        "salary_min": 90000,
        "salary_max": 120000,
        "salary_currency": "EUR",
        "salary_period": "year",
        "apply_url": "https://acme.example/jobs/1",
        "apply_email": "",
        "posting_days": 30,
    }
    return {**data, **overrides}


@pytest.fixture
def draft(acme, recruiter):
    python = factories.SkillFactory(name="Python", slug="python")
    return services.role_draft_create(
        company=acme, by=recruiter, data=role_data(), skills={python: RoleSkill.Kind.REQUIRED}
    )


def test_founding_a_company_makes_its_founder_the_owner(acme, recruiter):
    membership = CompanyMembership.objects.get(company=acme)
    assert (membership.user, membership.role) == (recruiter, CompanyMembership.Role.OWNER)
    assert not acme.verified


def test_a_draft_keeps_the_markdown_and_stores_sanitised_html(draft):
    assert draft.status == S.DRAFT
    assert draft.description_markdown.startswith("We build **agents**.")
    assert "<strong>agents</strong>" in draft.description
    assert "<script" not in draft.description
    assert draft.origin == Role.Origin.RECRUITER


def test_submitting_queues_the_role_and_approving_publishes_it_with_its_expiry(
    draft, recruiter, enqueued, django_capture_on_commit_callbacks
):
    curator = factories.UserFactory(is_staff=True)
    pending = services.role_submit(role=draft, by=recruiter)
    assert pending.status == S.PENDING and pending.submitted_at is not None

    with django_capture_on_commit_callbacks(execute=True):
        published = services.role_approve(role=pending, by=curator)

    assert published.status == S.PUBLISHED
    assert published in Role.objects.open()
    assert published.expires_at - published.posted_at == timedelta(days=30)
    assert [m.to for m in mail.outbox] == [[recruiter.email]]
    assert "is live" in mail.outbox[0].subject
    assert mail.outbox[0].alternatives[0][1] == "text/html"
    assert ("opportunities.matching.match_roles", ([published.pk],)) in enqueued


def test_rejecting_needs_a_listed_reason_and_tells_the_recruiter(
    draft, recruiter, django_capture_on_commit_callbacks
):
    pending = services.role_submit(role=draft, by=recruiter)
    with pytest.raises(ValueError, match="reason"):
        services.role_reject(role=pending, by=None, code="no-such-reason")

    with django_capture_on_commit_callbacks(execute=True):
        rejected = services.role_reject(role=pending, by=None, code="incomplete")

    assert (rejected.status, rejected.review_reason) == (S.REJECTED, "incomplete")
    assert "Important details are missing" in mail.outbox[-1].body


def test_sending_back_returns_a_draft_with_the_curator_s_note(
    draft, recruiter, django_capture_on_commit_callbacks
):
    pending = services.role_submit(role=draft, by=recruiter)
    with django_capture_on_commit_callbacks(execute=True):
        back = services.role_send_back(role=pending, by=None, note="Add the salary period.")
    assert back.status == S.DRAFT
    assert back.review_note == "Add the salary period."
    assert "Add the salary period." in mail.outbox[-1].body


def _published(draft, recruiter):
    return services.role_approve(role=services.role_submit(role=draft, by=recruiter), by=None)


def test_a_material_edit_sends_a_published_role_back_to_review(draft, recruiter):
    role = _published(draft, recruiter)
    skills = {rs.skill: rs.kind for rs in role.role_skills.all()}

    role, back = services.role_edit(
        role=role, by=recruiter, data=role_data(salary_max=150000), skills=skills
    )

    assert back is True
    assert role.status == S.PENDING


def test_an_edit_of_anything_else_stays_live(draft, recruiter):
    role = _published(draft, recruiter)
    skills = {rs.skill: rs.kind for rs in role.role_skills.all()}

    role, back = services.role_edit(
        role=role,
        by=recruiter,
        data=role_data(apply_url="https://acme.example/apply", seniority="lead"),
        skills=skills,
    )

    assert back is False
    role.refresh_from_db()
    assert (role.status, role.apply_url) == (S.PUBLISHED, "https://acme.example/apply")


def test_changing_the_skills_is_material(draft, recruiter):
    role = _published(draft, recruiter)
    _, back = services.role_edit(role=role, by=recruiter, data=role_data(), skills={})
    assert back is True


def test_a_trusted_verified_company_publishes_without_review_unless_flagged(
    draft, recruiter, acme, monkeypatch
):
    acme.verified = True
    acme.save()
    services.company_trust_set(company=acme, by=None, publish_without_review=True)
    draft.refresh_from_db()

    assert services.role_submit(role=draft, by=recruiter).status == S.PUBLISHED

    flagged = services.role_duplicate(role=draft, by=recruiter)
    monkeypatch.setattr(
        services,
        "trust_flags",
        lambda role: [
            Note("fee", "warning", "Asks for a fee", "Applicants never pay.", "Remove the fee.")
        ],
    )
    assert services.role_submit(role=flagged, by=recruiter).status == S.PENDING


def test_an_unverified_company_cannot_skip_review(acme):
    with pytest.raises(ValueError, match="Verify"):
        services.company_trust_set(company=acme, by=None, publish_without_review=True)


def test_submissions_are_rate_limited_per_recruiter(acme, recruiter, settings):
    settings.POSTING_RATE_LIMITS = {"recruiter": (2, 3600), "company": (10, 3600)}
    drafts = [
        services.role_draft_create(company=acme, by=recruiter, data=role_data(), skills={})
        for _ in range(3)
    ]
    services.role_submit(role=drafts[0], by=recruiter)
    services.role_submit(role=drafts[1], by=recruiter)

    with pytest.raises(PostingRateLimited, match="You submitted the most roles we take"):
        services.role_submit(role=drafts[2], by=recruiter)
    drafts[2].refresh_from_db()
    assert drafts[2].status == S.DRAFT


def test_closing_records_whether_the_role_was_filled(draft, recruiter):
    closed = services.role_close(role=_published(draft, recruiter), by=recruiter, filled=False)
    assert (closed.status, closed.filled) == (S.CLOSED, False)
    with pytest.raises(RoleTransitionError):
        services.role_close(role=closed, by=recruiter, filled=True)


def test_renewing_an_expired_role_queues_it_and_a_live_one_runs_longer(draft, recruiter):
    role = _published(draft, recruiter)
    before = role.expires_at
    renewed = services.role_renew(role=role, by=recruiter)
    assert renewed.status == S.PUBLISHED
    assert renewed.expires_at == before + timedelta(days=30)

    Role.objects.filter(pk=role.pk).update(status=S.EXPIRED)
    again = services.role_renew(role=role, by=recruiter)
    assert again.status == S.PENDING
    assert again.expires_at is None


def test_a_live_role_is_never_renewed_past_the_maximum(draft, recruiter):
    role = _published(draft, recruiter)
    for _ in range(5):
        role = services.role_renew(role=role, by=recruiter)
    assert role.expires_at <= timezone.now() + timedelta(days=90)


def test_duplicating_makes_a_draft_with_the_same_text_and_skills(draft, recruiter):
    copy = services.role_duplicate(role=_published(draft, recruiter), by=recruiter)
    assert copy.pk != draft.pk and copy.status == S.DRAFT
    assert copy.description_markdown == draft.description_markdown
    assert list(copy.role_skills.values_list("skill__name", "kind")) == [("Python", "required")]


def test_expiry_expires_roles_past_their_date_once(draft, recruiter):
    role = _published(draft, recruiter)
    Role.objects.filter(pk=role.pk).update(expires_at=timezone.now() - timedelta(minutes=1))

    assert services.roles_expire() == 1
    assert services.roles_expire() == 0
    role.refresh_from_db()
    assert role.status == S.EXPIRED


def test_recruiters_are_warned_three_days_before_expiry_once(draft, recruiter):
    role = _published(draft, recruiter)
    mail.outbox.clear()
    Role.objects.filter(pk=role.pk).update(expires_at=timezone.now() + timedelta(days=2))

    assert services.roles_warn_expiring() == 1
    assert services.roles_warn_expiring() == 0
    assert len(mail.outbox) == 1
    assert "renew" in mail.outbox[0].subject


def test_a_join_request_is_approved_by_an_owner(
    acme, recruiter, django_capture_on_commit_callbacks
):
    newcomer = factories.UserFactory(email="sam@acme.example")
    with django_capture_on_commit_callbacks(execute=True):
        request = services.join_request_create(user=newcomer, company=acme, message="Hi")
    assert mail.outbox[-1].to == [recruiter.email]

    services.join_request_decide(request=request, by=recruiter, approve=True)

    assert CompanyMembership.objects.filter(user=newcomer, company=acme).exists()
    with pytest.raises(ValueError, match="already been answered"):
        services.join_request_decide(request=request, by=recruiter, approve=False)
    assert JoinRequest.objects.get(pk=request.pk).status == JoinRequest.Status.APPROVED


def test_an_invitation_works_for_its_address_only_and_not_after_it_expires(
    acme, recruiter, settings
):
    url = services.company_invite(company=acme, email="New@Acme.example", by=recruiter)
    token = url.rstrip("/").rsplit("/", 1)[1]
    stranger = factories.UserFactory(email="other@example.com")
    invited = factories.UserFactory(email="new@acme.example")

    with pytest.raises(ValueError, match=r"sent to new@acme\.example"):
        services.company_invite_accept(token=token, user=stranger)
    with pytest.raises(ValueError, match="not valid"):
        services.company_invite_accept(token=token + "x", user=invited)
    settings.POSTING_INVITE_MAX_AGE = -1
    with pytest.raises(ValueError, match="expired"):
        services.company_invite_accept(token=token, user=invited)
    settings.POSTING_INVITE_MAX_AGE = 3600
    assert services.company_invite_accept(token=token, user=invited) == acme


def test_the_last_owner_cannot_be_removed(acme, recruiter):
    with pytest.raises(ValueError, match="needs an owner"):
        services.company_member_remove(company=acme, user_id=recruiter.pk, by=recruiter)
    member = factories.MembershipFactory(company=acme).user
    services.company_member_remove(company=acme, user_id=member.pk, by=recruiter)
    assert not CompanyMembership.objects.filter(user=member).exists()


def test_submissions_are_rate_limited_per_company_across_its_recruiters(acme, recruiter, settings):
    settings.POSTING_RATE_LIMITS = {"recruiter": (10, 3600), "company": (1, 3600)}
    colleague = factories.MembershipFactory(company=acme).user
    first = services.role_draft_create(company=acme, by=recruiter, data=role_data(), skills={})
    second = services.role_draft_create(company=acme, by=colleague, data=role_data(), skills={})
    services.role_submit(role=first, by=recruiter)

    with pytest.raises(
        PostingRateLimited, match=r"Your company submitted the most roles we take in 1 hours \(1\)"
    ):
        services.role_submit(role=second, by=colleague)

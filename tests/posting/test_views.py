"""The recruiters' and curators' pages (opportunities/views/posting.py, moderation.py)."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse

from opportunities.catalog.curators import curators_group_sync
from opportunities.models import Company, CompanyMembership, Role, TrackedOpportunity
from opportunities.posting import services
from opportunities.posting.stats import stats_record
from tests import factories

pytestmark = pytest.mark.django_db
S = Role.Status


@pytest.fixture
def curator(db):
    user = factories.UserFactory(username="curator@example.com", is_staff=True)
    user.groups.add(curators_group_sync())
    return user


def role_post(**overrides):
    data = {
        "title": "Applied LLM Engineer",
        "industry": "",
        "description_markdown": "Build **retrieval** for clinicians.",
        "workplace": "remote",
        "worldwide": "on",
        "country": "",
        "employment_type": "full_time",
        "seniority": "senior",
        "salary_min": "100000",
        "salary_max": "140000",
        "salary_currency": "USD",
        "salary_period": "year",
        "apply_url": "https://acme.example/jobs/llm",
        "posting_days": "30",
        "skills-TOTAL_FORMS": "2",
        "skills-INITIAL_FORMS": "0",
        "skills-0-skill": "python",
        "skills-0-kind": "required",
        "skills-1-skill": "",
        "skills-1-kind": "nice",
    }
    data.update(overrides)
    return data


def test_a_new_recruiter_signs_up_creates_a_company_writes_and_submits_a_role(
    client, curator, django_capture_on_commit_callbacks
):
    factories.SkillFactory(name="Python", slug="python")
    response = client.post(
        reverse("signup"),
        {
            "email": "rita@acme.example",
            "password1": "a sturdy pass phrase 91",
            "password2": "a sturdy pass phrase 91",
            "hiring": "on",
        },
    )
    assert response.status_code == 302
    link = re.search(r"http://\S+/accounts/signup/confirm/\S+", mail.outbox[-1].body).group(0)
    path = link.split("127.0.0.1:8000", 1)[1]
    response = client.post(path)
    assert response["Location"] == reverse("hiring_start")

    response = client.post(
        reverse("hiring_start"),
        {"which": "create", "company-name": "Acme AI", "company-website": "acme.example"},
    )
    company = Company.objects.get(name="Acme AI")
    assert response["Location"] == reverse("posting_role_new", args=[company.slug])
    assert company.website == "https://acme.example"

    response = client.post(reverse("posting_role_new", args=[company.slug]), role_post(preview="1"))
    role = Role.objects.get(title="Applied LLM Engineer")
    assert response["Location"] == reverse("posting_role_preview", args=[role.pk])
    preview = client.get(response["Location"])
    body = preview.content.decode()
    assert "Preview: draft" in body
    assert '"@type": "JobPosting"' in body
    assert "<strong>retrieval</strong>" in body

    client.post(reverse("posting_role_submit", args=[role.pk]))
    role.refresh_from_db()
    assert role.status == S.PENDING

    client.force_login(curator)
    queue = client.get(reverse("moderation_queue")).content.decode()
    assert "Applied LLM Engineer" in queue
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("moderation_role", args=[role.pk]), {"decision": "approve"})
    role.refresh_from_db()
    assert role.status == S.PUBLISHED
    assert mail.outbox[-1].to == ["rita@acme.example"]
    assert client.get(role.get_absolute_url()).status_code == 200


def test_bad_role_input_gets_plain_messages_not_a_500(client):
    membership = factories.MembershipFactory()
    client.force_login(membership.user)

    response = client.post(
        reverse("posting_role_new", args=[membership.company.slug]),
        role_post(
            salary_min="900", salary_max="100", apply_url="", **{"skills-0-skill": "Klingon"}
        ),
    )

    assert response.status_code == 400
    body = response.content.decode()
    assert "The highest salary is below the lowest." in body
    assert "We do not know the skill “Klingon”" in body
    assert "Give a link or an e-mail address to apply to." in body
    assert not Role.objects.exists()


def test_the_advice_endpoint_renders_the_panel(client):
    membership = factories.MembershipFactory()
    client.force_login(membership.user)
    response = client.post(
        reverse("posting_role_advice"),
        role_post(advice_company=membership.company.slug),
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    panel = response.content.decode()
    # One line of description is short of what Google wants; the rest of the form is whole
    # (its 30 days give it an expiry, its range a salary).
    assert re.findall(r'data-code="(\w+)"', panel) == ["jobposting_description"]
    assert "Try: " in panel


def test_the_advice_endpoint_says_when_there_is_nothing_to_add(client):
    membership = factories.MembershipFactory()
    client.force_login(membership.user)
    factories.SkillFactory(name="Python", slug="python")
    text = (
        "Build **retrieval** for clinicians with Python: ranking, evaluation and the "
        "services around them, with a small team that ships every week. " * 3
    )
    response = client.post(
        reverse("posting_role_advice"),
        role_post(description_markdown=text, advice_company=membership.company.slug),
        HTTP_HX_REQUEST="true",
    )
    assert "Nothing to point out so far." in response.content.decode()


def test_the_hiring_page_lists_roles_by_status_with_a_stats_column(client):
    membership = factories.MembershipFactory()
    for status in (S.DRAFT, S.PENDING, S.PUBLISHED):
        factories.RoleFactory(company=membership.company, status=status, title=f"Role {status}")
    client.force_login(membership.user)

    body = client.get(reverse("hiring_home")).content.decode()

    for label in ("Draft", "Pending review", "Published"):
        assert f'{label} <span class="muted">(1)</span>' in body
    assert body.count('class="role-stats"') == 3


def test_a_curator_rejects_with_a_reason_and_the_form_says_what_is_missing(client, curator):
    role = factories.RoleFactory(status=S.PENDING)
    client.force_login(curator)

    missing = client.post(reverse("moderation_role", args=[role.pk]), {"decision": "reject"})
    assert missing.status_code == 400
    assert "Pick the reason for rejecting." in missing.content.decode()

    client.post(
        reverse("moderation_role", args=[role.pk]), {"decision": "reject", "reason": "spam"}
    )
    role.refresh_from_db()
    assert (role.status, role.review_reason) == (S.REJECTED, "spam")


def test_curators_see_the_domain_evidence_and_verify_a_company(client, curator):
    company = factories.CompanyFactory(name="Acme AI", slug="acme", website="https://acme.example")
    factories.MembershipFactory(
        company=company, user=factories.UserFactory(email="rita@acme.example")
    )
    client.force_login(curator)

    body = client.get(reverse("moderation_companies")).content.decode()
    assert "<td>acme.example</td><td>yes</td><td>yes</td>" in body

    client.post(reverse("moderation_company", args=[company.pk]), {"action": "verify"})
    client.post(reverse("moderation_company", args=[company.pk]), {"action": "trust"})
    company.refresh_from_db()
    assert company.verified and company.publish_without_review


def test_an_owner_invites_and_the_invited_recruiter_joins(client):
    owner = factories.UserFactory(email="owner@acme.example")
    company = services.company_found(by=owner, name="Acme AI")
    client.force_login(owner)
    client.post(
        reverse("posting_company_invite", args=[company.slug]), {"email": "new@acme.example"}
    )
    link = re.search(r"http://\S+/hiring/invite/\S+/", mail.outbox[-1].body).group(0)
    invited = factories.UserFactory(email="new@acme.example")
    client.force_login(invited)

    page = client.get(link.split("127.0.0.1:8000", 1)[1])
    assert "Join Acme AI" in page.content.decode()
    client.post(link.split("127.0.0.1:8000", 1)[1])

    assert CompanyMembership.objects.filter(company=company, user=invited).exists()


def test_a_recruiter_closes_a_role_saying_it_was_filled(client):
    membership = factories.MembershipFactory()
    role = factories.RoleFactory(company=membership.company, status=S.PUBLISHED)
    client.force_login(membership.user)

    client.post(reverse("posting_role_close", args=[role.pk]), {"filled": "yes"})

    role.refresh_from_db()
    assert (role.status, role.filled) == (S.CLOSED, True)


def test_an_illegal_step_is_a_message_not_a_500(client):
    membership = factories.MembershipFactory()
    role = factories.RoleFactory(company=membership.company, status=S.CLOSED)
    client.force_login(membership.user)

    response = client.post(reverse("posting_role_renew", args=[role.pk]), follow=True)

    assert "Only published or expired roles can be renewed" in response.content.decode()
    role.refresh_from_db()
    assert role.status == S.CLOSED


def test_a_curator_takes_a_live_role_down_with_a_note_the_recruiter_reads(
    client, curator, django_capture_on_commit_callbacks
):
    membership = factories.MembershipFactory()
    role = factories.RoleFactory(
        company=membership.company, status=S.PUBLISHED, created_by=membership.user
    )
    client.force_login(curator)

    refused = client.post(reverse("moderation_role", args=[role.pk]), {"decision": "close"})
    assert "Say why the role is taken down." in refused.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("moderation_role", args=[role.pk]),
            {"decision": "close", "note": "Asks applicants for a deposit."},
        )

    role.refresh_from_db()
    assert role.status == S.CLOSED
    assert "Asks applicants for a deposit." in mail.outbox[-1].body


def test_the_recruiters_list_shows_each_roles_figures_and_who_tracks_it_as_a_count(client):
    recruiter = factories.UserFactory()
    company = factories.CompanyFactory()
    factories.MembershipFactory(user=recruiter, company=company)
    role = factories.RoleFactory(company=company, origin=Role.Origin.RECRUITER)
    stats_record(role.pk, "view", count=7)
    stats_record(role.pk, "apply_click", count=2)
    for user in factories.UserFactory.create_batch(3):
        TrackedOpportunity.objects.create(user=user, role=role, title=role.title, company_name="x")
    client.force_login(recruiter)

    page = client.get(reverse("hiring_home")).content.decode()

    assert "7 views · 2 apply clicks" in page
    assert "3 tracking" in page
    assert reverse("hiring_role_stats", args=[role.pk]) in page
    assert reverse("hiring_stats_csv") in page

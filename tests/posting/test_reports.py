"""Tests for developers' reports: opportunities.posting.reports, its view, page and admin."""

from __future__ import annotations

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.messages import get_messages
from django.db import IntegrityError, transaction
from django.urls import reverse

from opportunities.catalog.curators import curators_group_sync
from opportunities.enqueue import MATCH_ROLES
from opportunities.models import Role, RoleReport
from opportunities.posting.reports import (
    HIDDEN_NOTE,
    REPORTS_TO_HIDE,
    AlreadyReported,
    ReportError,
    open_report_counts,
    open_reports,
    report_resolve,
    role_hide_if_reported,
    role_report_create,
)
from tests import factories

pytestmark = pytest.mark.django_db

Reason = RoleReport.Reason
Outcome = RoleReport.Outcome


@pytest.fixture
def curator(db):
    user = factories.UserFactory(username="curator@example.com", is_staff=True)
    user.groups.add(curators_group_sync())
    return user


def people(count: int) -> list:
    return [factories.UserFactory() for _ in range(count)]


def report_by(role: Role, users, reason: str = Reason.SCAM) -> list[RoleReport]:
    return [role_report_create(role=role, reporter=user, reason=reason) for user in users]


def role_url(role: Role) -> str:
    return reverse("role_detail", kwargs={"pk": role.pk, "slug": role.slug})


# --- filing ---


def test_a_report_is_filed_with_its_details_cleaned(role, user):
    report = role_report_create(
        role=role,
        reporter=user,
        reason=Reason.WRONG_DETAILS,
        details="  Salary\x00 is wrong \u202e ",
    )

    stored = RoleReport.objects.get()
    assert stored == report
    assert (stored.role, stored.reporter, stored.reason) == (role, user, Reason.WRONG_DETAILS)
    assert stored.details == "Salary is wrong"
    assert stored.resolved_at is None and stored.outcome == ""


def test_a_person_reports_a_role_once(role, user):
    role_report_create(role=role, reporter=user, reason=Reason.SCAM)

    with pytest.raises(AlreadyReported, match="You already reported this role"):
        role_report_create(role=role, reporter=user, reason=Reason.OTHER)

    assert RoleReport.objects.count() == 1


def test_the_database_refuses_a_second_report_by_the_same_person(role, user):
    RoleReport.objects.create(role=role, reporter=user, reason=Reason.SCAM)

    with pytest.raises(IntegrityError), transaction.atomic():
        RoleReport.objects.create(role=role, reporter=user, reason=Reason.OTHER)


def test_an_unknown_reason_is_refused(role, user):
    with pytest.raises(ReportError, match="Choose why"):
        role_report_create(role=role, reporter=user, reason="spite")

    assert not RoleReport.objects.exists()


# --- hiding ---


def test_reports_from_fewer_people_leave_the_role_up(
    role, enqueued, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        report_by(role, people(REPORTS_TO_HIDE - 1))

    role.refresh_from_db()
    assert role.status == Role.Status.PUBLISHED
    assert Role.objects.open().filter(pk=role.pk).exists()
    assert (MATCH_ROLES, ([role.pk],)) not in enqueued


def test_reports_from_three_people_hide_the_role_until_a_curator_decides(
    role, enqueued, django_capture_on_commit_callbacks
):
    reporters = people(REPORTS_TO_HIDE)
    with django_capture_on_commit_callbacks(execute=True):
        report_by(role, reporters[:2], Reason.SCAM)
        report_by(role, reporters[2:], Reason.FILLED)

    role.refresh_from_db()
    assert role.status == Role.Status.PENDING
    assert role.review_note.startswith(HIDDEN_NOTE)
    assert "3 people" in role.review_note
    assert "scam or fraud (2)" in role.review_note and "filled or expired (1)" in role.review_note
    assert not Role.objects.open().filter(pk=role.pk).exists()
    assert Role.objects.pending_review().filter(pk=role.pk).exists()
    assert (MATCH_ROLES, ([role.pk],)) in enqueued


def test_hiding_is_idempotent(role, enqueued, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        report_by(role, people(REPORTS_TO_HIDE))
    role.refresh_from_db()
    note = role.review_note
    sent = len(enqueued)

    with django_capture_on_commit_callbacks(execute=True):
        assert role_hide_if_reported(role=role) is False
        report_by(role, people(1))

    role.refresh_from_db()
    assert role.status == Role.Status.PENDING
    assert role.review_note == note
    assert len(enqueued) == sent


def test_a_role_that_is_not_published_is_never_touched(company):
    draft = factories.RoleFactory(company=company, status=Role.Status.DRAFT, posted_at=None)
    RoleReport.objects.bulk_create(
        RoleReport(role=draft, reporter=user, reason=Reason.SCAM)
        for user in people(REPORTS_TO_HIDE)
    )

    assert role_hide_if_reported(role=draft) is False
    draft.refresh_from_db()
    assert draft.status == Role.Status.DRAFT and draft.review_note == ""


# --- resolving ---


def test_dismissing_every_report_puts_a_hidden_role_back_up(role, curator, enqueued):
    reports = report_by(role, people(REPORTS_TO_HIDE))

    resolved = report_resolve(reports=reports, by=curator, outcome=Outcome.DISMISSED)

    assert resolved == REPORTS_TO_HIDE
    role.refresh_from_db()
    assert role.status == Role.Status.PUBLISHED and role.review_note == ""
    assert not open_reports().exists()
    stored = RoleReport.objects.first()
    assert (stored.outcome, stored.resolved_by) == (Outcome.DISMISSED, curator)
    assert stored.resolved_at is not None


def test_dismissing_some_reports_keeps_the_role_hidden(role, curator):
    reports = report_by(role, people(REPORTS_TO_HIDE))

    report_resolve(reports=reports[0], by=curator, outcome=Outcome.DISMISSED)

    role.refresh_from_db()
    assert role.status == Role.Status.PENDING
    assert open_reports(role=role).count() == REPORTS_TO_HIDE - 1


def test_upholding_reports_leaves_the_role_hidden_for_moderation(role, curator):
    reports = report_by(role, people(REPORTS_TO_HIDE))

    report_resolve(reports=reports, by=curator, outcome=Outcome.UPHELD)

    role.refresh_from_db()
    assert role.status == Role.Status.PENDING
    assert set(RoleReport.objects.values_list("outcome", flat=True)) == {Outcome.UPHELD}


def test_resolving_twice_changes_nothing_the_second_time(role, curator):
    reports = report_by(role, people(2))
    report_resolve(reports=reports, by=curator, outcome=Outcome.UPHELD)
    first = list(RoleReport.objects.values_list("resolved_at", "outcome"))

    again = report_resolve(reports=RoleReport.objects.all(), by=curator, outcome=Outcome.DISMISSED)

    assert again == 0
    assert list(RoleReport.objects.values_list("resolved_at", "outcome")) == first


def test_dismissing_leaves_alone_a_role_pending_for_another_reason(company, curator):
    pending = factories.RoleFactory(
        company=company, status=Role.Status.PENDING, review_note="Waiting for the recruiter."
    )
    report = RoleReport.objects.create(
        role=pending, reporter=factories.UserFactory(), reason="other"
    )

    report_resolve(reports=[report], by=curator, outcome=Outcome.DISMISSED)

    pending.refresh_from_db()
    assert pending.status == Role.Status.PENDING


def test_an_unknown_outcome_is_refused(role, curator):
    reports = report_by(role, people(1))

    with pytest.raises(ValueError, match="Unknown outcome"):
        report_resolve(reports=reports, by=curator, outcome="shrug")
    assert open_reports().count() == 1


def test_open_reports_are_oldest_first_with_their_role(company, django_assert_num_queries):
    first, second = factories.RoleFactory(company=company), factories.RoleFactory(company=company)
    older = report_by(second, people(1))[0]
    newer = report_by(first, people(1))[0]
    resolved = report_by(first, people(1))[0]
    report_resolve(reports=[resolved], by=factories.UserFactory(), outcome=Outcome.UPHELD)

    with django_assert_num_queries(1):
        rows = [(report.pk, report.role.company.name) for report in open_reports()]

    assert rows == [(older.pk, company.name), (newer.pk, company.name)]


def test_open_report_counts_per_role_in_one_query(company, curator, django_assert_num_queries):
    first, second, quiet = (factories.RoleFactory(company=company) for _ in range(3))
    report_by(first, people(2))
    resolved = report_by(second, people(2))
    report_resolve(reports=resolved[:1], by=curator, outcome=Outcome.UPHELD)

    with django_assert_num_queries(1):
        counts = open_report_counts(role_ids=[first.pk, second.pk, quiet.pk])

    assert counts == {first.pk: 2, second.pk: 1}


# --- the view ---


def test_a_developer_reports_a_role_from_its_page(client, role, user):
    client.force_login(user)

    response = client.post(
        reverse("role_report", args=[role.pk]), {"reason": "scam", "details": "Asks for money"}
    )

    assert response.status_code == 302
    assert response["Location"] == role_url(role) + "#report"
    report = RoleReport.objects.get()
    assert (report.reporter, report.reason, report.details) == (user, "scam", "Asks for money")
    page = client.get(response["Location"])
    assert "the report is with the curators" in page.content.decode()


def test_a_second_report_says_you_already_reported(client, role, user):
    client.force_login(user)
    url = reverse("role_report", args=[role.pk])
    client.post(url, {"reason": "scam"})

    response = client.post(url, {"reason": "other"})

    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert messages[-1] == "You already reported this role; a curator will look at it."
    assert RoleReport.objects.count() == 1


def test_a_report_without_a_reason_says_so_and_files_nothing(client, role, user):
    client.force_login(user)

    response = client.post(reverse("role_report", args=[role.pk]), {"details": "hmm"})

    assert response.status_code == 302
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert messages == ["Not reported: Choose what is wrong with the role."]
    assert not RoleReport.objects.exists()


def test_anonymous_visitors_are_sent_to_sign_in(client, role):
    response = client.post(reverse("role_report", args=[role.pk]), {"reason": "scam"})

    assert response.status_code == 302
    assert reverse("login") in response["Location"]
    assert not RoleReport.objects.exists()


def test_reporting_takes_a_post(client, role, user):
    client.force_login(user)

    assert client.get(reverse("role_report", args=[role.pk])).status_code == 405


@pytest.mark.parametrize("status", [Role.Status.DRAFT, Role.Status.PENDING, Role.Status.REJECTED])
def test_a_role_the_developer_cannot_see_is_404(client, company, user, status):
    hidden = factories.RoleFactory(company=company, status=status, posted_at=None)
    client.force_login(user)

    response = client.post(reverse("role_report", args=[hidden.pk]), {"reason": "scam"})

    assert response.status_code == 404
    assert not RoleReport.objects.exists()


def test_an_unknown_role_is_404(client, user):
    client.force_login(user)

    assert (
        client.post(reverse("role_report", args=[999_999]), {"reason": "scam"}).status_code == 404
    )


def test_the_report_that_hides_a_role_sends_the_reporter_to_search(client, role):
    report_by(role, people(REPORTS_TO_HIDE - 1))
    last = factories.UserFactory()
    client.force_login(last)

    response = client.post(reverse("role_report", args=[role.pk]), {"reason": "scam"})

    assert response["Location"] == reverse("role_search")
    assert client.get(role_url(role)).status_code == 404


# --- the role page ---


def test_signed_in_people_see_the_report_form_on_an_open_role(client, role, user):
    client.force_login(user)

    html = client.get(role_url(role)).content.decode()

    assert f'action="{reverse("role_report", args=[role.pk])}"' in html
    assert "Report this role" in html
    for label in ("Scam or fraud", "Discriminatory", "Filled or expired", "Wrong details"):
        assert label in html
    assert 'name="csrfmiddlewaretoken"' in html


def test_anonymous_visitors_are_offered_sign_in_to_report(client, role):
    html = client.get(role_url(role)).content.decode()

    assert "Sign in</a> to report" in html
    assert "Report this role" not in html


def test_a_closed_role_has_no_report_form(client, company, user):
    closed = factories.RoleFactory(company=company, status=Role.Status.CLOSED)
    client.force_login(user)

    html = client.get(role_url(closed)).content.decode()

    assert "Report this role" not in html


# --- the admin ---


def test_curators_see_reports_without_the_reporters_identity(client, role, curator):
    reporter = factories.UserFactory(username="reporter@example.com", email="reporter@example.com")
    report = role_report_create(role=role, reporter=reporter, reason=Reason.SCAM, details="Fee")
    client.force_login(curator)

    listing = client.get(reverse("admin:opportunities_rolereport_changelist"))
    detail = client.get(reverse("admin:opportunities_rolereport_change", args=[report.pk]))

    assert listing.status_code == 200 and detail.status_code == 200
    assert role.title in listing.content.decode()
    assert "Fee" in detail.content.decode()
    for page in (listing, detail):
        assert "reporter@example.com" not in page.content.decode()
    assert client.get(reverse("admin:opportunities_rolereport_add")).status_code == 403


def test_curators_dismiss_reports_in_the_admin_and_the_role_returns(client, role, curator):
    reports = report_by(role, people(REPORTS_TO_HIDE))
    client.force_login(curator)

    response = client.post(
        reverse("admin:opportunities_rolereport_changelist"),
        {"action": "dismiss_selected", ACTION_CHECKBOX_NAME: [r.pk for r in reports]},
    )

    assert response.status_code == 302
    role.refresh_from_db()
    assert role.status == Role.Status.PUBLISHED
    assert not open_reports().exists()

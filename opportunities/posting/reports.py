"""Developers' reports of roles: filing one, hiding a much-reported role, resolving reports.

A role reported by REPORTS_TO_HIDE different people goes from published back to pending
review, out of sight, until a curator decides: dismissing the reports puts it back up,
upholding them leaves it for the curator's moderation (reject, close or edit).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.db.models import Count, QuerySet
from django.utils import timezone

from opportunities.enqueue import MATCH_ROLES, enqueue_on_commit
from opportunities.models import Role, RoleReport
from opportunities.models.reports import REPORT_DETAILS_MAX
from opportunities.posting.lifecycle import Actor, role_transition
from opportunities.posting.services import role_approve
from opportunities.text import text_clean

REPORTS_TO_HIDE = 3
# The review note of a role hidden by reports starts with this, so dismissing the reports
# knows to put it back up (and leaves alone a role pending for any other reason).
HIDDEN_NOTE = "Hidden after reports from"


class ReportError(ValueError):
    """A report that cannot be filed; the message is for the person reporting."""


class AlreadyReported(ReportError):
    pass


def role_report_create(
    *, role: Role, reporter: AbstractBaseUser, reason: str, details: str = ""
) -> RoleReport:
    """File `reporter`'s report of `role`; hide the role once enough people reported it."""
    if reason not in RoleReport.Reason.values:
        raise ReportError("Choose why you are reporting this role.")
    details = text_clean(details).strip()[:REPORT_DETAILS_MAX]
    try:
        with transaction.atomic():
            report = RoleReport.objects.create(
                role=role, reporter=reporter, reason=reason, details=details
            )
            role_hide_if_reported(role=role)
    except IntegrityError as error:
        if RoleReport.objects.filter(role=role, reporter=reporter).exists():
            raise AlreadyReported(
                "You already reported this role; a curator will look at it."
            ) from error
        raise
    return report


def _reporters(role_id: int) -> dict[str, int]:
    """Reason -> how many people reported the role for it, among unresolved reports."""
    counts: dict[str, int] = {}
    for reason in (
        RoleReport.objects.unresolved().filter(role_id=role_id).values_list("reason", flat=True)
    ):
        counts[reason] = counts.get(reason, 0) + 1
    return counts


def role_hide_if_reported(*, role: Role) -> bool:
    """Move a published role reported by REPORTS_TO_HIDE people back to pending review.

    True when this call hid it; harmless to call again (a hidden role stays as it is).
    """
    with transaction.atomic():
        locked = Role.objects.select_for_update().get(pk=role.pk)
        if locked.status != Role.Status.PUBLISHED:
            return False
        reasons = _reporters(locked.pk)
        people = sum(reasons.values())  # one report per person per role
        if people < REPORTS_TO_HIDE:
            return False
        labels = dict(RoleReport.Reason.choices)
        listed = ", ".join(
            f"{labels[reason].lower()} ({count})" for reason, count in sorted(reasons.items())
        )
        locked = role_transition(
            role=locked,
            action="hold",
            actor=Actor.SYSTEM,
            review_note=(
                f"{HIDDEN_NOTE} {people} people: {listed}. It stays hidden until a curator "
                "dismisses the reports or deals with the role."
            ),
        )
        # Matching drops the matches of roles that are not open.
        enqueue_on_commit(MATCH_ROLES, [locked.pk])
    role.status, role.review_note = locked.status, locked.review_note
    return True


def report_resolve(
    *,
    reports: RoleReport | Iterable[RoleReport],
    by: AbstractBaseUser,
    outcome: str,
) -> int:
    """Mark reports resolved with `outcome`; how many were still open.

    Dismissed: a role hidden by reports goes back up once none of its reports is open.
    Upheld: the role is left as it is, for the curator to reject, close or edit.
    """
    if outcome not in RoleReport.Outcome.values:
        raise ValueError(f"Unknown outcome {outcome!r}.")
    ids = [reports.pk] if isinstance(reports, RoleReport) else [report.pk for report in reports]
    with transaction.atomic():
        open_reports_ = list(RoleReport.objects.unresolved().select_for_update().filter(pk__in=ids))
        now = timezone.now()
        for report in open_reports_:
            report.resolved_at, report.resolved_by, report.outcome = now, by, outcome
        RoleReport.objects.bulk_update(open_reports_, ["resolved_at", "resolved_by", "outcome"])
        if outcome == RoleReport.Outcome.DISMISSED:
            role_ids = {report.role_id for report in open_reports_}
            still_reported = set(
                RoleReport.objects.unresolved()
                .filter(role_id__in=role_ids)
                .values_list("role_id", flat=True)
            )
            for role in Role.objects.filter(
                pk__in=role_ids - still_reported,
                status=Role.Status.PENDING,
                review_note__startswith=HIDDEN_NOTE,
            ):
                role_approve(role=role, by=by)
    return len(open_reports_)


# --- reads ------------------------------------------------------------------------------


def open_reports(*, role: Role | None = None) -> QuerySet[RoleReport]:
    """Unresolved reports, oldest first, with their role and its company (for the queue)."""
    reports = RoleReport.objects.unresolved().select_related("role", "role__company")
    if role is not None:
        reports = reports.filter(role=role)
    return reports.order_by("created_at", "id")


def open_report_counts(*, role_ids: Iterable[int]) -> dict[int, int]:
    """Role id -> how many unresolved reports it has, in one query (for a list of roles)."""
    rows = (
        RoleReport.objects.unresolved()
        .filter(role_id__in=list(role_ids))
        .values("role_id")
        .annotate(count=Count("id"))
        .order_by()
        .values_list("role_id", "count")
    )
    return dict(rows)


def role_reportable_get(*, pk: int) -> Role | None:
    """The role a report is about, with what access checks read."""
    return Role.objects.select_related("company").filter(pk=pk).first()

"""A recruiter's role statistics: every role at once, one role, and the CSV of all counters."""

from __future__ import annotations

import csv
from itertools import chain

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from opportunities.access import roles_of_recruiter
from opportunities.posting.stats_selectors import (
    DAYS,
    KIND_LABELS,
    KINDS,
    role_stats_get,
    role_stats_list,
    stats_csv_rows,
)


@login_required
@require_GET
def hiring_stats(request: HttpRequest) -> HttpResponse:
    """/hiring/stats/: each of the recruiter's roles with its last 30 days of counts."""
    stats = role_stats_list(roles=roles_of_recruiter(request.user))
    return render(
        request,
        "posting/stats.html",
        {"stats": stats, "days": DAYS, "kind_labels": [KIND_LABELS[kind] for kind in KINDS]},
    )


@login_required
@require_GET
def hiring_role_stats(request: HttpRequest, pk: int) -> HttpResponse:
    """/hiring/stats/<id>/: one of the recruiter's roles; another company's role is a 404."""
    stats = role_stats_get(roles=roles_of_recruiter(request.user), pk=pk)
    if stats is None:
        raise Http404("No such role among yours.")
    return render(
        request,
        "posting/role_stats.html",
        {"item": stats, "days": DAYS, "kind_labels": [KIND_LABELS[kind] for kind in KINDS]},
    )


class _Echo:
    """A file-like object whose write returns the line, for csv.writer to stream through."""

    def write(self, value: str) -> str:
        return value


def _csv_cell(value):
    # A cell a spreadsheet would run as a formula (=, +, -, @) is written as text.
    if isinstance(value, str) and value[:1] in {"=", "+", "-", "@", "\t", "\r"}:
        return "'" + value
    return value


@login_required
@require_GET
def hiring_stats_csv(request: HttpRequest) -> StreamingHttpResponse:
    """/hiring/stats.csv: role, day, kind and count of every counter of the recruiter's roles."""
    writer = csv.writer(_Echo())
    rows = stats_csv_rows(roles=roles_of_recruiter(request.user))
    header = [("role_id", "role", "day", "kind", "count")]
    lines = (writer.writerow([_csv_cell(value) for value in row]) for row in chain(header, rows))
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="role-stats-{stamp}.csv"'
    return response

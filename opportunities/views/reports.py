"""A developer's report of a role that looks wrong."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from opportunities.access import can_report_role, can_view_role
from opportunities.forms import RoleReportForm
from opportunities.posting.reports import ReportError, role_report_create, role_reportable_get


@login_required
@require_POST
def role_report(request: HttpRequest, pk: int) -> HttpResponse:
    """Report the role (once per person); back to its page, or to search once it is hidden."""
    role = role_reportable_get(pk=pk)
    if role is None or not can_report_role(request.user, role):
        raise Http404("No role here.")
    form = RoleReportForm(request.POST)
    back = f"{role.get_absolute_url()}#report"
    if not form.is_valid():
        messages.error(
            request,
            "Not reported: " + " ".join(str(e) for errors in form.errors.values() for e in errors),
        )
        return redirect(back)
    try:
        role_report_create(role=role, reporter=request.user, **form.cleaned_data)
    except ReportError as error:
        messages.info(request, str(error))
        return redirect(back)
    messages.success(
        request, "Thank you: the report is with the curators, who will look at the role."
    )
    if not can_view_role(request.user, role):
        # Enough people reported it that it is hidden until a curator decides.
        return redirect("role_search")
    return redirect(back)

"""The developer's opportunity tracker at /me/tracker/: board, table, entries, numbers, files.

Every entry is looked up among the signed-in user's own (opportunities_of_user) and checked
with access.owns_tracked: anyone else's, a curator's or a superuser's look included, is a 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from opportunities.access import can_use_tracker, owns_tracked
from opportunities.models import Contact, InterviewRound, Stage, TrackedOpportunity
from opportunities.search.cards import salary_text
from opportunities.tracker import exchange, selectors, services, stats
from opportunities.tracker.calendar import calendar_ics
from opportunities.tracker.outside import OutsideRoleError, outside_role_from_url
from opportunities.views.tracker_forms import (
    ContactForm,
    ImportMappingForm,
    ImportUploadForm,
    InterviewForm,
    MoveForm,
    OpportunityForm,
    OutsideConfirmForm,
    OutsideUrlForm,
    TableForm,
)

TABLE_PAGE_SIZE = 50
STAGE_LABELS = dict(Stage.choices)


def _tracker_user(request: HttpRequest):
    if not can_use_tracker(request.user):
        raise Http404("No tracker here.")
    return request.user


def _own(request: HttpRequest, pk: int) -> TrackedOpportunity:
    user = _tracker_user(request)
    opportunity = selectors.opportunities_of_user(user=user).filter(pk=pk).first()
    if opportunity is None or not owns_tracked(user, opportunity):
        raise Http404("No such entry in your tracker.")
    return opportunity


def _errors(form) -> str:
    return " ".join(str(e) for errors in form.errors.values() for e in errors)


def _next_url(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


@login_required
@require_GET
def tracker_board(request: HttpRequest) -> HttpResponse:
    """/me/tracker/: one column per stage, with today's reminders above."""
    user = _tracker_user(request)
    columns = selectors.board_columns(user=user)
    return render(
        request,
        "tracker/board.html",
        {
            "columns": columns,
            "total": sum(column.count for column in columns),
            "reminders": selectors.reminders(user=user),
            "stages": Stage.choices,
            "column_limit": selectors.COLUMN_LIMIT,
            "today": timezone.localdate(),
        },
    )


@login_required
@require_GET
def tracker_table(request: HttpRequest) -> HttpResponse:
    """/me/tracker/table/: every entry, sorted and filtered, a page at a time."""
    user = _tracker_user(request)
    form = TableForm(request.GET or None, tags=selectors.tags_of_user(user=user))
    filters = form.cleaned_data if form.is_valid() else {}
    rows = selectors.table_rows(
        user=user,
        stage=filters.get("stage", ""),
        tag=filters.get("tag", ""),
        company=filters.get("company", ""),
        q=filters.get("q", ""),
        sort=filters.get("sort") or "changed",
    )
    page = Paginator(rows, TABLE_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    unsorted = query.copy()
    unsorted.pop("sort", None)
    sort = filters.get("sort") or "changed"
    # Column headings sort the table: (label, sort key, aria-sort value or "").
    headings = [
        (label, key, "ascending" if sort == key else "")
        for label, key in (("Title", "title"), ("Company", "company"), ("Stage", "stage"))
    ] + [
        (
            "Since",
            "changed_asc" if sort == "changed" else "changed",
            {"changed": "descending", "changed_asc": "ascending"}.get(sort, ""),
        ),
        ("Applied", "applied", "descending" if sort == "applied" else ""),
        ("Next step", "due", "ascending" if sort == "due" else ""),
    ]
    return render(
        request,
        "tracker/table.html",
        {
            "form": form,
            "page": page,
            "rows": page.object_list,
            "query": query.urlencode(),
            "unsorted": unsorted.urlencode(),
            "headings": headings,
            "today": timezone.localdate(),
            "filtered": any(filters.get(k) for k in ("q", "stage", "tag", "company")),
        },
    )


@login_required
@require_GET
def tracker_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One entry: its details, timeline, contacts and interviews, each with its form."""
    opportunity = _own(request, pk)
    opportunity = selectors.opportunity_detail(user=request.user, pk=opportunity.pk)
    return render(request, "tracker/detail.html", _detail_context(opportunity))


def _detail_context(opportunity: TrackedOpportunity, **forms) -> dict:
    timeline = [
        (step.at, f"Moved to {STAGE_LABELS.get(step.stage, step.stage)}", step.note)
        for step in opportunity.stage_changes.all()
    ] + [
        (round_.at, f"{round_.get_kind_display()} interview", round_.with_whom)
        for round_ in opportunity.interviews.all()
    ]
    timeline.sort(key=lambda item: item[0])
    return {
        "opportunity": opportunity,
        "timeline": timeline,
        "now": timezone.now(),
        "today": timezone.localdate(),
        "summary": selectors.tracked_summary(opportunity),
        "stages": Stage.choices,
        "edit_form": forms.get("edit_form")
        or OpportunityForm(
            initial={
                **{name: getattr(opportunity, name) for name in services.DETAIL_FIELDS},
                "tags": ", ".join(opportunity.tag_list),
            }
        ),
        "contact_form": forms.get("contact_form") or ContactForm(),
        "interview_form": forms.get("interview_form") or InterviewForm(),
        "move_form": MoveForm(initial={"stage": opportunity.stage}),
    }


@login_required
@require_POST
def tracker_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Save an entry's details."""
    opportunity = _own(request, pk)
    form = OpportunityForm(request.POST)
    if form.is_valid():
        try:
            services.opportunity_update(opportunity=opportunity, **form.cleaned_data)
        except services.TrackerError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Saved.")
            return redirect(opportunity.get_absolute_url())
    opportunity = selectors.opportunity_detail(user=request.user, pk=pk)
    return render(
        request, "tracker/detail.html", _detail_context(opportunity, edit_form=form), status=400
    )


@login_required
@require_POST
def tracker_move(request: HttpRequest, pk: int) -> HttpResponse:
    """Move an entry to another stage: a board drag (answered 204) or a button (redirect)."""
    user = _tracker_user(request)
    form = MoveForm(request.POST)
    if not form.is_valid():
        if request.headers.get("X-Tracker-Move"):
            return HttpResponse("That is not a stage.", status=400, content_type="text/plain")
        messages.error(request, "That is not a stage.")
        return redirect("tracker_board")
    moved = services.opportunity_move(
        user=user,
        opportunity_id=pk,
        stage=form.cleaned_data["stage"],
        note=form.cleaned_data["note"],
    )
    if moved is None or not owns_tracked(user, moved):
        raise Http404("No such entry in your tracker.")
    if request.headers.get("X-Tracker-Move"):
        return HttpResponse(status=204)
    messages.success(request, f"“{moved.title}” moved to {STAGE_LABELS[moved.stage]}.")
    return redirect(_next_url(request, reverse("tracker_board") + f"#card-{moved.pk}"))


@login_required
@require_POST
def tracker_track(request: HttpRequest, role_pk: int) -> HttpResponse:
    """Track a board role in one click (a role card's, the role page's or a match's button)."""
    user = _tracker_user(request)
    try:
        tracked = services.opportunity_track_role(user=user, role=role_pk)
    except services.TrackerError as error:
        raise Http404(str(error)) from error
    opportunity = tracked.opportunity
    summary = "" if tracked.created else selectors.tracked_summary(opportunity)
    if request.htmx:
        return render(
            request,
            "tracker/_track_button.html",
            {"tracked_url": opportunity.get_absolute_url(), "role_pk": role_pk, "summary": summary},
        )
    if tracked.created:
        messages.success(request, f"Tracking “{opportunity.title}”: it is in your Saved column.")
    else:
        messages.info(request, f"You already track this: {summary}.")
    return redirect(_next_url(request, opportunity.get_absolute_url()))


@login_required
@require_http_methods(["GET", "POST"])
def tracker_add(request: HttpRequest) -> HttpResponse:
    """Add a role from elsewhere: its address first; what can be read fills the next form."""
    _tracker_user(request)
    url_form = OutsideUrlForm(request.POST or None)
    if request.method == "POST" and url_form.is_valid():
        url = url_form.cleaned_data["url"]
        duplicate = services.opportunity_duplicate(user=request.user, url=url)
        if duplicate is not None:
            messages.info(
                request, f"You already track this: {selectors.tracked_summary(duplicate)}."
            )
            return redirect(duplicate.get_absolute_url())
        try:
            found = outside_role_from_url(url)
        except OutsideRoleError as error:
            messages.warning(request, f"{error.message}. Fill the details in below.")
            initial = {"url": url}
            found_by = "none"
        else:
            initial = {
                "title": found.title,
                "company_name": found.company_name,
                "url": found.canonical_url or found.apply_url or url,
                "location": found.location,
                "description_html": found.description_html,
                "salary_offered": _salary_words(found),
            }
            found_by = found.found_by
        confirm = OutsideConfirmForm(initial={"source": "other_site", **initial})
        return render(request, "tracker/add_confirm.html", {"form": confirm, "found_by": found_by})
    return render(
        request, "tracker/add.html", {"url_form": url_form, "manual": OutsideConfirmForm()}
    )


def _salary_words(found) -> str:
    if not found.salary_min and not found.salary_max:
        return ""
    return salary_text(
        found.salary_min, found.salary_max, found.salary_currency, found.salary_period or "year"
    )[:100]


@login_required
@require_POST
def tracker_add_confirm(request: HttpRequest) -> HttpResponse:
    """Save the confirmed (or hand-filled) outside role, unless it is tracked already."""
    user = _tracker_user(request)
    form = OutsideConfirmForm(request.POST)
    if form.is_valid():
        data = dict(form.cleaned_data)
        try:
            tracked = services.opportunity_create(user=user, **data)
        except services.TrackerError as error:
            form.add_error(None, str(error))
        else:
            if tracked.created:
                messages.success(request, f"Tracking “{tracked.opportunity.title}”.")
            else:
                messages.info(
                    request,
                    f"You already track this: {selectors.tracked_summary(tracked.opportunity)}.",
                )
            return redirect(tracked.opportunity.get_absolute_url())
    return render(request, "tracker/add_confirm.html", {"form": form, "found_by": ""}, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def tracker_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask, then forget an entry."""
    opportunity = _own(request, pk)
    if request.method == "POST":
        services.opportunity_delete(opportunity=opportunity)
        messages.success(request, f"“{opportunity.title}” is no longer tracked.")
        return redirect("tracker_board")
    return render(request, "tracker/delete.html", {"opportunity": opportunity})


def _part_add(
    request: HttpRequest, pk: int, *, form_class, form_key: str, add, added: str, anchor: str
) -> HttpResponse:
    """Add a contact or an interview to an entry; the entry's page with the form's errors
    (400) when it does not validate."""
    opportunity = _own(request, pk)
    form = form_class(request.POST)
    if form.is_valid():
        add(opportunity=opportunity, **form.cleaned_data)
        messages.success(request, added)
        return redirect(opportunity.get_absolute_url() + anchor)
    opportunity = selectors.opportunity_detail(user=request.user, pk=pk)
    context = _detail_context(opportunity, **{form_key: form})
    return render(request, "tracker/detail.html", context, status=400)


def _part_delete(
    request: HttpRequest, pk: int, part_pk: int, *, model, removed: str, anchor: str
) -> HttpResponse:
    """Remove one of an entry's contacts or interviews; 404 for anyone else's."""
    opportunity = _own(request, pk)
    part = selectors.part_of(model, opportunity=opportunity, pk=part_pk)
    if part is None:
        raise Http404(f"No such {model._meta.verbose_name}.")
    services.part_delete(part=part)
    messages.success(request, removed)
    return redirect(opportunity.get_absolute_url() + anchor)


@login_required
@require_POST
def tracker_contact_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _part_add(
        request,
        pk,
        form_class=ContactForm,
        form_key="contact_form",
        add=services.contact_add,
        added="Contact added.",
        anchor="#contacts",
    )


@login_required
@require_POST
def tracker_contact_delete(request: HttpRequest, pk: int, contact_pk: int) -> HttpResponse:
    return _part_delete(
        request,
        pk,
        contact_pk,
        model=Contact,
        removed="Contact removed.",
        anchor="#contacts",
    )


@login_required
@require_POST
def tracker_interview_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _part_add(
        request,
        pk,
        form_class=InterviewForm,
        form_key="interview_form",
        add=services.interview_add,
        added="Interview added.",
        anchor="#interviews",
    )


@login_required
@require_POST
def tracker_interview_delete(request: HttpRequest, pk: int, interview_pk: int) -> HttpResponse:
    return _part_delete(
        request,
        pk,
        interview_pk,
        model=InterviewRound,
        removed="Interview removed.",
        anchor="#interviews",
    )


@login_required
@require_GET
def tracker_numbers(request: HttpRequest) -> HttpResponse:
    """/me/tracker/numbers/: applications per week, response rate, funnel, time per stage."""
    user = _tracker_user(request)
    result = stats.numbers(selectors.stage_history(user=user), now=timezone.now())
    return render(
        request,
        "tracker/numbers.html",
        {"numbers": result, "chart_data": stats.chart_data(result)},
    )


@login_required
@require_GET
def tracker_export(request: HttpRequest) -> StreamingHttpResponse:
    """Everything in the tracker as one CSV file."""
    user = _tracker_user(request)
    response = StreamingHttpResponse(
        exchange.export_csv(user=user), content_type="text/csv; charset=utf-8"
    )
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="tracker-{stamp}.csv"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def tracker_import(request: HttpRequest) -> HttpResponse:
    """Import a CSV: upload, map columns and preview, then import all or nothing."""
    user = _tracker_user(request)
    if request.method == "GET":
        return render(request, "tracker/import.html", {"upload_form": ImportUploadForm()})
    if "file" in request.FILES:
        upload = ImportUploadForm(request.POST, request.FILES)
        if not upload.is_valid():
            return render(request, "tracker/import.html", {"upload_form": upload}, status=400)
        try:
            data = upload.cleaned_data["file"].read(exchange.MAX_IMPORT_BYTES + 1)
            headers, rows = exchange.read_csv(data)
        except exchange.ImportFileError as error:
            upload.add_error("file", str(error))
            return render(request, "tracker/import.html", {"upload_form": upload}, status=400)
        text = data.decode("utf-8-sig")
        mapping = exchange.mapping_guess(headers)
        form = ImportMappingForm(
            initial={"csv_text": text, **{f"map_{k}": v for k, v in mapping.items()}},
            headers=headers,
        )
        plan = exchange.import_plan(user=user, headers=headers, rows=rows, mapping=mapping)
        return render(request, "tracker/import.html", {"form": form, "plan": plan})

    try:
        headers, rows = exchange.read_csv(request.POST.get("csv_text", ""))
    except exchange.ImportFileError as error:
        messages.error(request, str(error))
        return redirect("tracker_import")
    form = ImportMappingForm(request.POST, headers=headers)
    if not form.is_valid():
        messages.error(request, "The file could not be read again; upload it once more.")
        return redirect("tracker_import")
    plan = exchange.import_plan(user=user, headers=headers, rows=rows, mapping=form.mapping())
    if request.POST.get("action") == "import":
        if plan.errors:
            messages.error(
                request, "Nothing was imported: fix the rows marked below, or map other columns."
            )
        else:
            created = exchange.opportunities_import(user=user, plan=plan)
            skipped = len(plan.duplicates)
            text = f"Imported {created} entr{'y' if created == 1 else 'ies'}."
            if skipped:
                text += f" {skipped} you already track were left as they were."
            messages.success(request, text)
            return redirect("tracker_table")
    return render(
        request,
        "tracker/import.html",
        {"form": form, "plan": plan},
        status=400 if plan.errors and request.POST.get("action") == "import" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def tracker_calendar(request: HttpRequest) -> HttpResponse:
    """Turn the private calendar feed on, get a new address for it, or turn it off."""
    user = _tracker_user(request)
    feed_url = ""
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            services.calendar_revoke(user=user)
            messages.success(request, "Your calendar feed is off; its address no longer works.")
            return redirect("tracker_calendar")
        token = services.calendar_rotate(user=user)
        feed_url = request.build_absolute_uri(reverse("tracker_calendar_feed", args=[token]))
    response = render(
        request,
        "tracker/calendar.html",
        {"enabled": selectors.calendar_enabled(user=user), "feed_url": feed_url},
    )
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
def tracker_calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The calendar feed: its secret address is its only key."""
    user = selectors.calendar_user(token=token)
    if user is None:
        raise Http404("No calendar here.")
    response = HttpResponse(calendar_ics(user=user), content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response

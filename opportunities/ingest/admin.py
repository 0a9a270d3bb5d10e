"""Admin for ingest: Sources with their last run, runs (read-only), CSV uploads, unknown terms."""

from __future__ import annotations

from urllib.parse import urlsplit

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import OuterRef, QuerySet, Subquery
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join

from opportunities.admin_actions import action_confirmation
from opportunities.ingest.run import csv_upload_ingest
from opportunities.ingest.sources import location_token_url, sources_run_now
from opportunities.ingest.unknown_terms import (
    unknown_term_alias_add,
    unknown_term_skill_create,
    unknown_terms_ignore,
)
from opportunities.models import (
    Company,
    Industry,
    IngestRun,
    Skill,
    Source,
    SourceKind,
    UnknownSkillTerm,
)

# Synchronous uploads only: a bigger file belongs in a feed the worker fetches.
CSV_UPLOAD_MAX_BYTES = 5 * 1024 * 1024
_COUNTS = ("fetched", "created", "updated", "unchanged", "closed", "rejected")
_BOARD_KINDS = frozenset({SourceKind.GREENHOUSE, SourceKind.LEVER, SourceKind.ASHBY})


class SourceForm(forms.ModelForm):
    """A Source as curators enter it: its location is an http(s) URL or a board token."""

    class Meta:
        model = Source
        fields = [
            "name",
            "kind",
            "location",
            "company",
            "default_industry",
            "interval_minutes",
            "enabled",
            "next_run_at",
        ]
        help_texts = {
            "location": "An http(s) URL, or for Greenhouse, Lever and Ashby the board's token "
            "(the name in its URL), or for Hacker News the thread's id or its page "
            "(news.ycombinator.com/item?id=…). Local files are read only by manage.py ingest "
            "--kind."
        }

    def clean(self):
        cleaned = super().clean()
        location = (cleaned.get("location") or "").strip()
        # A location already stored (a demo source's shipped feed) may stay as it is; any
        # new or changed one must be a URL or a token.
        if location and "location" in self.changed_data:
            kind = cleaned.get("kind")
            if not location_token_url(kind or "", location):
                error = _location_error(location, kind=kind)
                if error:
                    self.add_error("location", error)
        if location:
            cleaned["location"] = location
        return cleaned


def _location_error(location: str, *, kind: str | None) -> str | None:
    """Why `location` cannot be a Source's location, in plain words, or None if it can."""
    expected = "an http(s) URL"
    if kind in _BOARD_KINDS:
        expected = "an http(s) URL or a board token"
    elif kind == SourceKind.HN:
        expected = "an http(s) URL or the thread's id"
    try:
        parts = urlsplit(location)
        host = parts.hostname
    except ValueError:
        return f"This is not a valid URL; enter {expected}."
    if parts.scheme.lower() not in ("http", "https"):
        return f"Enter {expected}; local paths and file: or other URLs are not accepted."
    if not host:
        return f"The URL has no host; enter {expected}."
    if parts.username or parts.password:
        return "URLs with a user name or password are not accepted."
    return None


def _counts(values) -> str:
    return ", ".join(f"{getattr(values, name)} {name}" for name in _COUNTS)


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    form = SourceForm
    list_display = [
        "name",
        "kind",
        "enabled",
        "interval_minutes",
        "next_run_at",
        "last_run",
        "last_counts",
    ]
    list_filter = ["kind", "enabled"]
    search_fields = ["name", "location"]
    list_select_related = ["company"]
    autocomplete_fields = ["company"]
    readonly_fields = ["etag", "last_modified", "recent_runs"]
    fields = [
        "name",
        "kind",
        "location",
        "company",
        "default_industry",
        "interval_minutes",
        "enabled",
        "next_run_at",
        "etag",
        "last_modified",
        "recent_runs",
    ]
    actions = ["run_now"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Source]:
        # The last run's columns as correlated subqueries: one query for the whole page.
        last = IngestRun.objects.filter(source=OuterRef("pk")).order_by("-started_at", "-pk")
        columns = {
            f"last_{name}": Subquery(last.values(name)[:1])
            for name in ("pk", "status", "started_at", "message", *_COUNTS)
        }
        return super().get_queryset(request).annotate(**columns)

    @admin.display(description="Last run", ordering="last_started_at")
    def last_run(self, source: Source) -> str:
        if source.last_pk is None:
            return "never"
        status = IngestRun.Status(source.last_status).label
        url = reverse("admin:opportunities_ingestrun_change", args=[source.last_pk])
        return format_html(
            '<a href="{}" title="{}">{}</a>, {}',
            url,
            source.last_message or "",
            status,
            f"{source.last_started_at:%Y-%m-%d %H:%M}",
        )

    @admin.display(description="Last counts")
    def last_counts(self, source: Source) -> str:
        if source.last_pk is None:
            return "—"
        return ", ".join(f"{getattr(source, f'last_{name}')} {name}" for name in _COUNTS)

    @admin.display(description="Recent runs")
    def recent_runs(self, source: Source) -> str:
        runs = source.runs.order_by("-started_at")[:10] if source.pk else []
        rows = format_html_join(
            "",
            '<li><a href="{}">{}</a>: {} — {}{}</li>',
            (
                (
                    reverse("admin:opportunities_ingestrun_change", args=[run.pk]),
                    f"{run.started_at:%Y-%m-%d %H:%M}",
                    run.get_status_display(),
                    _counts(run),
                    f". {run.message}" if run.message else "",
                )
                for run in runs
            ),
        )
        return format_html("<ul>{}</ul>", rows) if runs else "none yet"

    @admin.action(description="Run now", permissions=["change"])
    def run_now(self, request: HttpRequest, queryset: QuerySet[Source]) -> None:
        ids = sources_run_now(sources=queryset)
        self.message_user(
            request,
            f"{len(ids)} source{'s' if len(ids) != 1 else ''} queued; "
            "refresh this page in a minute to see the run.",
            messages.SUCCESS,
        )

    def get_urls(self):
        upload = path(
            "upload-csv/",
            self.admin_site.admin_view(self.csv_upload_view),
            name="opportunities_source_csv_upload",
        )
        return [upload, *super().get_urls()]

    def csv_upload_view(self, request: HttpRequest) -> HttpResponse:
        """Upload a CSV of roles for one company and ingest it now through the same service."""
        if not (self.has_add_permission(request) or self.has_change_permission(request)):
            raise PermissionDenied
        form = CsvUploadForm(request.POST or None, request.FILES or None)
        run = None
        if request.method == "POST" and form.is_valid():
            run = csv_upload_ingest(
                source_or_none=form.cleaned_data["source"],
                file=form.cleaned_data["file"],
                company=form.cleaned_data["company"],
                industry=form.cleaned_data["industry"],
            )
            level = messages.ERROR if run.status == IngestRun.Status.FAILED else messages.SUCCESS
            self.message_user(request, f"Upload {run.get_status_display().lower()}.", level)
        context = {
            **self.admin_site.each_context(request),
            "title": "Upload roles from a CSV file",
            "opts": self.model._meta,
            "form": form,
            "run": run,
            "counts": [(name, getattr(run, name)) for name in _COUNTS] if run else [],
        }
        return TemplateResponse(request, "admin/opportunities/source/csv_upload.html", context)


class CsvUploadForm(forms.Form):
    file = forms.FileField(
        help_text="UTF-8 CSV. Required columns: external_id, title. Optional: company, url, "
        "apply_url, apply_email, location (several separated by ';'), workplace, "
        "employment_type, seniority, salary_min, salary_max, salary_currency, salary_period, "
        "posted_at, expires_at, description, tags. Up to 5 MB."
    )
    company = forms.ModelChoiceField(
        queryset=Company.objects.order_by("name"),
        required=False,
        help_text="Every row's employer. Leave empty to take each row's company column.",
    )
    industry = forms.ModelChoiceField(
        queryset=Industry.objects.filter(active=True),
        required=False,
        help_text="Used when a row's text does not point to an industry.",
    )
    source = forms.ModelChoiceField(
        queryset=Source.objects.filter(kind=SourceKind.CSV),
        required=False,
        help_text="Upload into an existing CSV source (rows missing from this file are closed). "
        "Empty: the company's own CSV uploads source.",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > CSV_UPLOAD_MAX_BYTES:
            raise forms.ValidationError("The file is larger than 5 MB; split it up.")
        return upload


@admin.register(IngestRun)
class IngestRunAdmin(admin.ModelAdmin):
    """Runs are the record of what happened: curators read them, nobody edits them."""

    list_display = ["source", "status", "started_at", "finished_at", "counts", "message"]
    list_filter = ["status", "source__kind"]
    list_select_related = ["source"]
    search_fields = ["source__name", "message"]
    date_hierarchy = "started_at"
    fields = [
        "source",
        "status",
        "started_at",
        "finished_at",
        *_COUNTS,
        "message",
        "error_list",
    ]
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    @admin.display(description="Counts")
    def counts(self, run: IngestRun) -> str:
        return _counts(run)

    @admin.display(description="Rejected items")
    def error_list(self, run: IngestRun) -> str:
        if not run.errors:
            return "none"
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
            (
                (error.get("position", 0) + 1, error.get("external_id") or "—", error["reason"])
                for error in run.errors
            ),
        )
        return format_html(
            "<table><thead><tr><th>Item</th><th>Id</th><th>Reason</th></tr></thead>"
            "<tbody>{}</tbody></table>",
            rows,
        )


class AliasTargetForm(forms.Form):
    skill = forms.ModelChoiceField(
        queryset=Skill.objects.none(), label="Alias of", help_text="The skill this term names."
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["skill"].queryset = Skill.objects.active().order_by("name")


@admin.register(UnknownSkillTerm)
class UnknownSkillTermAdmin(admin.ModelAdmin):
    list_display = ["term", "count", "first_seen", "last_seen", "ignored"]
    list_filter = ["ignored"]
    search_fields = ["term"]
    ordering = ["-count", "term"]
    readonly_fields = ["term", "count", "first_seen", "last_seen"]
    fields = ["term", "count", "first_seen", "last_seen", "ignored"]
    actions = ["create_skill", "add_as_alias", "ignore"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[UnknownSkillTerm]:
        queryset = super().get_queryset(request)
        # Ignored terms stay out of the way unless the curator filters for them.
        match = request.resolver_match
        if "ignored__exact" not in request.GET and match and match.url_name.endswith("changelist"):
            queryset = queryset.filter(ignored=False)
        return queryset

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_skill_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("opportunities.add_skill")

    def has_alias_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("opportunities.add_skillalias")

    @admin.action(description="Create a skill from each term", permissions=["skill"])
    def create_skill(self, request: HttpRequest, queryset: QuerySet[UnknownSkillTerm]) -> None:
        created = []
        for term in queryset.order_by("term"):
            skill = unknown_term_skill_create(term=term)
            url = reverse("admin:opportunities_skill_change", args=[skill.pk])
            created.append(format_html('<a href="{}">{}</a>', url, skill.name))
        message = format_html(
            "Created {}. Check their categories; they are recognised from the next run on.",
            format_html_join(", ", "{}", ((link,) for link in created)),
        )
        self.message_user(request, message, messages.SUCCESS)

    @admin.action(description="Add as alias to…", permissions=["alias"])
    def add_as_alias(self, request: HttpRequest, queryset: QuerySet[UnknownSkillTerm]):
        form = AliasTargetForm(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            skill = form.cleaned_data["skill"]
            added = []
            for term in queryset.order_by("term"):
                try:
                    unknown_term_alias_add(term=term, skill=skill)
                except ValueError as error:
                    self.message_user(request, str(error), messages.ERROR)
                else:
                    added.append(term.term)
            if added:
                self.message_user(
                    request, f"{', '.join(added)} now recognised as {skill.name}.", messages.SUCCESS
                )
            return None
        return action_confirmation(
            self,
            request,
            template="admin/opportunities/unknownskillterm/alias_confirmation.html",
            title="Add as alias",
            action="add_as_alias",
            selected=queryset.order_by("term"),
            form=form,
        )

    @admin.action(description="Ignore (not a skill)", permissions=["change"])
    def ignore(self, request: HttpRequest, queryset: QuerySet[UnknownSkillTerm]) -> None:
        count = unknown_terms_ignore(terms=queryset)
        self.message_user(request, f"{count} term{'s' if count != 1 else ''} ignored.")

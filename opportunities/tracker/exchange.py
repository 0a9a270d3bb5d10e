"""The tracker as CSV, both ways: the export of everything, and an import with a column mapping.

An import is read and checked whole before anything is written: every row's problems are
reported with its line number, and the rows are written in one transaction only when none has
any, so a file is imported entirely or not at all.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone

from opportunities.models import OpportunitySource, Stage, TrackedOpportunity
from opportunities.text import text_clean
from opportunities.tracker import services
from opportunities.tracker.selectors import export_rows

MAX_IMPORT_BYTES = 1024 * 1024
MAX_IMPORT_ROWS = 5000

# (field, column title): the export's columns, and what an import may map a column to.
EXPORT_COLUMNS = (
    ("id", "ID"),
    ("title", "Title"),
    ("company_name", "Company"),
    ("stage", "Stage"),
    ("stage_changed_at", "Stage since"),
    ("applied_at", "Applied on"),
    ("url", "URL"),
    ("board_url", "Board role"),
    ("location", "Location"),
    ("source", "Source"),
    ("source_name", "Source name"),
    ("tags", "Tags"),
    ("salary_offered", "Salary offered"),
    ("next_step", "Next step"),
    ("next_step_due", "Next step due"),
    ("cv_sent", "CV sent"),
    ("cover_letter_sent", "Cover letter sent"),
    ("notes", "Notes"),
    ("history", "History"),
    ("contacts", "Contacts"),
    ("interviews", "Interviews"),
)
IMPORT_FIELDS = (
    ("title", "Title"),
    ("company_name", "Company"),
    ("stage", "Stage"),
    ("applied_at", "Applied on"),
    ("url", "URL"),
    ("location", "Location"),
    ("source_name", "Source name"),
    ("tags", "Tags"),
    ("salary_offered", "Salary offered"),
    ("next_step", "Next step"),
    ("next_step_due", "Next step due"),
    ("cv_sent", "CV sent"),
    ("cover_letter_sent", "Cover letter sent"),
    ("notes", "Notes"),
)
REQUIRED_FIELDS = frozenset({"title", "company_name"})
# Other names people give a column, for the mapping's first guess.
ALIASES = {
    "title": {"title", "role", "job", "job title", "position"},
    "company_name": {"company", "company name", "employer", "organisation", "organization"},
    "stage": {"stage", "status", "state"},
    "applied_at": {"applied", "applied on", "applied at", "date applied", "application date"},
    "url": {"url", "link", "job url", "posting", "job link"},
    "next_step_due": {"due", "next step due", "deadline", "follow up"},
    "source_name": {"source", "source name", "found on", "board"},
}
# Characters a spreadsheet reads as the start of a formula.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_url = URLValidator(schemes=["http", "https"])


def _cell(value) -> str:
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(_FORMULA_START) else text


def _moment(value: datetime | None) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def export_csv(*, user: AbstractBaseUser) -> Iterator[str]:
    """The user's whole tracker as CSV lines, a header first; cells a spreadsheet would run as
    formulas are quoted with a leading apostrophe."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def line(values) -> str:
        writer.writerow([_cell(v) for v in values])
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    yield line(title for _, title in EXPORT_COLUMNS)
    for entry in export_rows(user=user).iterator(chunk_size=500):
        values = {
            "id": entry.pk,
            "title": entry.title,
            "company_name": entry.company_name,
            "stage": entry.get_stage_display(),
            "stage_changed_at": _moment(entry.stage_changed_at),
            "applied_at": _moment(entry.applied_at),
            "url": entry.url,
            "board_url": f"/jobs/{entry.role_id}/" if entry.role_id else "",
            "location": entry.location,
            "source": entry.get_source_display(),
            "source_name": entry.source_name,
            "tags": ", ".join(entry.tag_list),
            "salary_offered": entry.salary_offered,
            "next_step": entry.next_step,
            "next_step_due": entry.next_step_due.isoformat() if entry.next_step_due else "",
            "cv_sent": entry.cv_sent,
            "cover_letter_sent": entry.cover_letter_sent,
            "notes": entry.notes,
            "history": "; ".join(
                f"{_moment(s.at)} {s.get_stage_display()}" + (f" ({s.note})" if s.note else "")
                for s in entry.stage_changes.all()
            ),
            "contacts": "; ".join(
                ", ".join(p for p in (c.name, c.role_title, c.email, c.profile_url) if p)
                for c in entry.contacts.all()
            ),
            "interviews": "; ".join(
                f"{_moment(i.at)} {i.get_kind_display()}"
                + (f" with {i.with_whom}" if i.with_whom else "")
                for i in entry.interviews.all()
            ),
        }
        yield line(values[name] for name, _ in EXPORT_COLUMNS)


class ImportFileError(ValueError):
    """A file that cannot be read as CSV at all; the message is fit to show the user."""


@dataclass
class ImportRow:
    line: int  # the row's line in the file, the header being line 1
    values: dict[str, object] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    duplicate_of: TrackedOpportunity | None = None


@dataclass
class ImportPlan:
    headers: list[str]
    mapping: dict[str, str]  # field → column header ("" for none)
    rows: list[ImportRow]

    @property
    def errors(self) -> list[ImportRow]:
        return [row for row in self.rows if row.errors]

    @property
    def new_rows(self) -> list[ImportRow]:
        return [row for row in self.rows if not row.errors and row.duplicate_of is None]

    @property
    def duplicates(self) -> list[ImportRow]:
        return [row for row in self.rows if not row.errors and row.duplicate_of is not None]


def read_csv(data: bytes | str) -> tuple[list[str], list[list[str]]]:
    """The header and rows of a CSV file (UTF-8, with or without a byte-order mark)."""
    if isinstance(data, bytes):
        if len(data) > MAX_IMPORT_BYTES:
            raise ImportFileError("The file is larger than 1 MB; split it in parts.")
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise ImportFileError("The file is not UTF-8 text; save it as CSV UTF-8.") from error
    text = text_clean(data)
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    try:
        rows = [
            row for row in csv.reader(io.StringIO(text), dialect) if any(c.strip() for c in row)
        ]
    except csv.Error as error:
        raise ImportFileError(f"The file is not valid CSV: {error}.") from error
    if not rows:
        raise ImportFileError("The file is empty.")
    if len(rows) - 1 > MAX_IMPORT_ROWS:
        raise ImportFileError(f"The file has more than {MAX_IMPORT_ROWS} rows; split it in parts.")
    headers = [h.strip() for h in rows[0]]
    return headers, rows[1:]


def mapping_guess(headers: list[str]) -> dict[str, str]:
    """A first mapping: each field to the column named like it (or its export title)."""
    titles = dict(EXPORT_COLUMNS)
    mapping: dict[str, str] = {}
    for name, _ in IMPORT_FIELDS:
        wanted = {name.replace("_", " "), titles[name].lower(), *ALIASES.get(name, ())}
        mapping[name] = next((h for h in headers if h.strip().lower() in wanted), "")
    return mapping


_STAGES = {
    **{value: value for value in Stage.values},
    **{label.lower(): value for value, label in Stage.choices},
    "no answer": Stage.NO_ANSWER,
    "ghosted": Stage.NO_ANSWER,
    "interview": Stage.INTERVIEWING,
    "offered": Stage.OFFER,
}


def _date(value: str) -> date:
    value = value.strip()
    for parse in (date.fromisoformat, lambda v: datetime.fromisoformat(v).date()):
        try:
            return parse(value)
        except ValueError:
            continue
    for layout in ("%d/%m/%Y", "%d.%m.%Y"):
        try:
            return datetime.strptime(value, layout).date()
        except ValueError:
            continue
    raise ValueError(value)


def import_plan(
    *, user: AbstractBaseUser, headers: list[str], rows: list[list[str]], mapping: dict[str, str]
) -> ImportPlan:
    """Every row read through the mapping and checked, with duplicates found; writes nothing."""
    plan = ImportPlan(headers=headers, mapping=mapping, rows=[])
    missing = [
        title for name, title in IMPORT_FIELDS if name in REQUIRED_FIELDS and not mapping.get(name)
    ]
    index = {header: position for position, header in enumerate(headers)}
    seen: dict[tuple[str, str], int] = {}
    for number, cells in enumerate(rows, start=2):
        row = ImportRow(line=number)
        if missing:
            row.errors.append(f"No column is chosen for {', '.join(missing)}.")
        for name, _ in IMPORT_FIELDS:
            column = mapping.get(name, "")
            position = index.get(column)
            raw = cells[position].strip() if position is not None and position < len(cells) else ""
            row.values[name] = raw
        _check(row)
        if not row.errors:
            key = (str(row.values["company_name"]).lower(), str(row.values["title"]).lower())
            if key in seen:
                row.errors.append(f"The same company and title as line {seen[key]}.")
            else:
                seen[key] = number
                row.duplicate_of = services.opportunity_duplicate(
                    user=user,
                    url=str(row.values["url"]),
                    title=str(row.values["title"]),
                    company_name=str(row.values["company_name"]),
                )
        plan.rows.append(row)
    return plan


def _check(row: ImportRow) -> None:
    values = row.values
    for name, title in IMPORT_FIELDS:
        if name in REQUIRED_FIELDS and not values[name]:
            row.errors.append(f"{title} is empty.")
    stage = str(values["stage"]).lower()
    if not stage:
        values["stage"] = Stage.APPLIED if values["applied_at"] else Stage.SAVED
    elif stage in _STAGES:
        values["stage"] = _STAGES[stage]
    else:
        row.errors.append(f"“{values['stage']}” is not a stage.")
    for name in ("applied_at", "next_step_due"):
        if values[name]:
            try:
                values[name] = _date(str(values[name]))
            except ValueError:
                row.errors.append(f"“{values[name]}” is not a date (write it 2026-03-31).")
        else:
            values[name] = None
    if values["url"]:
        try:
            _url(values["url"])
        except ValidationError:
            row.errors.append(f"“{values['url']}” is not a web address.")
    for name, limit in (
        ("title", 300),
        ("company_name", 200),
        ("location", 200),
        ("next_step", 300),
    ):
        if len(str(values[name])) > limit:
            row.errors.append(f"{dict(IMPORT_FIELDS)[name]} is longer than {limit} characters.")


def opportunities_import(*, user: AbstractBaseUser, plan: ImportPlan) -> int:
    """Write the plan's new rows in one transaction; refuses a plan with any error.

    Returns how many entries were created.
    """
    if plan.errors:
        raise services.TrackerError("The file has errors; nothing was imported.")
    created = 0
    with transaction.atomic():
        for row in plan.new_rows:
            values = dict(row.values)
            stage, applied_on = values.pop("stage"), values.pop("applied_at")
            at = timezone.now()
            if applied_on is not None:
                at = timezone.make_aware(datetime.combine(applied_on, time(12)))
            tracked = services.opportunity_create(
                user=user,
                stage=Stage.APPLIED if applied_on and stage != Stage.SAVED else stage,
                at=at,
                source=OpportunitySource.OTHER_SITE,
                **values,
            )
            if tracked.created and applied_on and stage not in {Stage.SAVED, Stage.APPLIED}:
                # The file says when they applied and where it stands now: both are history.
                services.opportunity_move(
                    user=user, opportunity_id=tracked.opportunity.pk, stage=stage, note="Imported"
                )
            created += tracked.created
    return created

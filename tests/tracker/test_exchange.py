"""CSV export of everything, and CSV import: mapping, preview, errors per row, all or nothing."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from opportunities.models import Stage, TrackedOpportunity
from opportunities.tracker import exchange, services

pytestmark = pytest.mark.django_db


def exported(client) -> list[dict[str, str]]:
    response = client.get(reverse("tracker_export"))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment;" in response["Content-Disposition"]
    text = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(text)))


def test_the_export_holds_every_entry_with_its_history_contacts_and_interviews(
    owner_client, developer, other_developer, board_role
):
    entry = services.opportunity_track_role(user=developer, role=board_role.pk).opportunity
    services.opportunity_move(user=developer, opportunity_id=entry.pk, stage="applied", note="Site")
    services.contact_add(opportunity=entry, name="Kim", email="kim@example.com")
    services.interview_add(opportunity=entry, at=timezone.now(), kind="screen", with_whom="Sam")
    services.opportunity_update(opportunity=entry, tags="llm remote", notes="Good *team*")
    services.opportunity_create(user=other_developer, title="Theirs", company_name="Z")
    rows = exported(owner_client)
    assert len(rows) == 1
    row = rows[0]
    assert (row["Title"], row["Company"], row["Stage"]) == (
        "LLM Engineer",
        "Acme AI",
        "Interviewing",
    )
    assert row["Tags"] == "llm, remote" and row["Notes"] == "Good *team*"
    assert "Saved" in row["History"] and "Applied (Site)" in row["History"]
    assert "Kim, kim@example.com" in row["Contacts"]
    assert "Screening call with Sam" in row["Interviews"]
    assert row["Board role"] == f"/jobs/{board_role.pk}/"


def test_the_export_defuses_spreadsheet_formulas(owner_client, developer):
    services.opportunity_create(user=developer, title='=HYPERLINK("x")', company_name="+Evil")
    row = exported(owner_client)[0]
    assert row["Title"] == '\'=HYPERLINK("x")' and row["Company"] == "'+Evil"


def test_an_export_reimports_as_the_same_entries(owner_client, developer, other_developer):
    services.opportunity_create(
        user=developer,
        title="A",
        company_name="X",
        url="https://a.example/1",
        stage="applied",
        tags="llm",
        next_step="Call",
        next_step_due=date(2030, 1, 2),
    )
    response = owner_client.get(reverse("tracker_export"))
    data = b"".join(response.streaming_content)
    headers, rows = exchange.read_csv(data)
    plan = exchange.import_plan(
        user=other_developer, headers=headers, rows=rows, mapping=exchange.mapping_guess(headers)
    )
    assert not plan.errors and len(plan.new_rows) == 1
    exchange.opportunities_import(user=other_developer, plan=plan)
    copy = TrackedOpportunity.objects.get(user=other_developer)
    assert (copy.title, copy.company_name, copy.url, copy.tag_list) == (
        "A",
        "X",
        "https://a.example/1",
        ["llm"],
    )
    assert copy.stage == Stage.APPLIED and copy.next_step_due == date(2030, 1, 2)


CSV_TEXT = (
    "Job,Employer,Status,Date applied,Link\n"
    "ML Engineer,Acme,Applied,2026-03-01,https://acme.example/jobs/1\n"
    "Data Scientist,Beta,interviewing,2026-03-05,\n"
    "Researcher,Gamma,,,\n"
)


def test_the_import_flow_maps_previews_and_imports(owner_client, developer):
    upload = SimpleUploadedFile("mine.csv", CSV_TEXT.encode("utf-8-sig"), "text/csv")
    response = owner_client.post(reverse("tracker_import"), {"file": upload})
    assert response.status_code == 200
    plan = response.context["plan"]
    assert plan.mapping["title"] == "Job" and plan.mapping["company_name"] == "Employer"
    assert plan.mapping["stage"] == "Status" and plan.mapping["applied_at"] == "Date applied"
    assert len(plan.new_rows) == 3 and not plan.errors
    assert not TrackedOpportunity.objects.exists()  # a preview writes nothing
    form = response.context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    response = owner_client.post(reverse("tracker_import"), {**data, "action": "import"})
    assert response["Location"] == reverse("tracker_table")
    entries = {e.title: e for e in TrackedOpportunity.objects.filter(user=developer)}
    assert set(entries) == {"ML Engineer", "Data Scientist", "Researcher"}
    assert entries["ML Engineer"].stage == Stage.APPLIED
    assert entries["ML Engineer"].applied_at.date() == date(2026, 3, 1)
    assert entries["Data Scientist"].stage == Stage.INTERVIEWING
    assert list(entries["Data Scientist"].stage_changes.values_list("stage", flat=True)) == [
        "applied",
        "interviewing",
    ]
    assert entries["Researcher"].stage == Stage.SAVED


def test_rows_with_errors_are_reported_and_nothing_is_imported(owner_client, developer):
    text = (
        "Title,Company,Stage,Applied on,URL\n"
        "Good,Acme,applied,2026-03-01,\n"
        ",Beta,applied,,\n"
        "Third,Gamma,hired,03/31/2026,not a url\n"
        "Good,acme,saved,,\n"
    )
    upload = SimpleUploadedFile("bad.csv", text.encode(), "text/csv")
    response = owner_client.post(reverse("tracker_import"), {"file": upload})
    plan = response.context["plan"]
    errors = {row.line: row.errors for row in plan.errors}
    assert set(errors) == {3, 4, 5}
    assert errors[3] == ["Title is empty."]
    assert "“hired” is not a stage." in errors[4]
    assert "“03/31/2026” is not a date (write it 2026-03-31)." in errors[4]
    assert "“not a url” is not a web address." in errors[4]
    assert errors[5] == ["The same company and title as line 2."]
    form = response.context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    response = owner_client.post(reverse("tracker_import"), {**data, "action": "import"})
    assert response.status_code == 400
    assert "Nothing was imported" in response.content.decode()
    assert not TrackedOpportunity.objects.exists()


def test_a_failure_midway_leaves_nothing_half_imported(developer, monkeypatch):
    headers, rows = exchange.read_csv(CSV_TEXT)
    plan = exchange.import_plan(
        user=developer, headers=headers, rows=rows, mapping=exchange.mapping_guess(headers)
    )
    calls = []
    real = services.opportunity_create

    def flaky(**kwargs):
        calls.append(kwargs["title"])
        if len(calls) == 3:
            raise RuntimeError("disk full")
        return real(**kwargs)

    monkeypatch.setattr(services, "opportunity_create", flaky)
    with pytest.raises(RuntimeError):
        exchange.opportunities_import(user=developer, plan=plan)
    assert not TrackedOpportunity.objects.exists()


def test_rows_already_tracked_are_left_alone(developer):
    services.opportunity_create(user=developer, title="ML Engineer", company_name="Acme")
    headers, rows = exchange.read_csv(CSV_TEXT)
    plan = exchange.import_plan(
        user=developer, headers=headers, rows=rows, mapping=exchange.mapping_guess(headers)
    )
    assert [row.line for row in plan.duplicates] == [2]
    assert exchange.opportunities_import(user=developer, plan=plan) == 2
    assert TrackedOpportunity.objects.filter(user=developer).count() == 3


def test_an_unmapped_required_column_is_an_error_on_every_row(developer):
    headers, rows = exchange.read_csv("Name,Where\nA,B\n")
    plan = exchange.import_plan(
        user=developer, headers=headers, rows=rows, mapping=exchange.mapping_guess(headers)
    )
    assert "No column is chosen for Title, Company." in plan.rows[0].errors


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The submitted file is empty."),
        (b"\n\n", "The file is empty."),
        ("Title,Company\n\xe9".encode("latin-1"), "not UTF-8"),
        (b"x" * (exchange.MAX_IMPORT_BYTES + 1), "larger than 1 MB"),
    ],
)
def test_unreadable_files_get_a_plain_message(owner_client, data, message):
    upload = SimpleUploadedFile("f.csv", data, "text/csv")
    response = owner_client.post(reverse("tracker_import"), {"file": upload})
    assert response.status_code == 400
    assert message in response.content.decode()


def test_control_characters_in_a_file_never_reach_the_database(developer):
    headers, rows = exchange.read_csv("Title,Company\nML\x0b Eng\x00,Acme\u202e\n")
    plan = exchange.import_plan(
        user=developer, headers=headers, rows=rows, mapping=exchange.mapping_guess(headers)
    )
    exchange.opportunities_import(user=developer, plan=plan)
    entry = TrackedOpportunity.objects.get()
    assert (entry.title, entry.company_name) == ("ML Eng", "Acme")

"""The tracker's writes: tracking, no duplicates, the stage history, details."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from opportunities.models import Role, Stage, StageChange, TrackedOpportunity
from opportunities.tracker import services
from opportunities.tracker.selectors import calendar_user
from tests import factories

pytestmark = pytest.mark.django_db


def test_tracking_a_board_role_copies_what_it_needs_and_starts_the_history(developer, board_role):
    tracked = services.opportunity_track_role(user=developer, role=board_role.pk)
    entry = tracked.opportunity
    assert tracked.created
    assert (entry.title, entry.company_name, entry.role_id) == (
        "LLM Engineer",
        "Acme AI",
        board_role.pk,
    )
    assert entry.stage == Stage.SAVED
    assert list(entry.stage_changes.values_list("stage", flat=True)) == [Stage.SAVED]


def test_tracking_the_same_role_twice_returns_the_first_entry(developer, board_role):
    first = services.opportunity_track_role(user=developer, role=board_role.pk)
    again = services.opportunity_track_role(user=developer, role=board_role.pk)
    assert not again.created
    assert again.opportunity.pk == first.opportunity.pk
    assert TrackedOpportunity.objects.count() == 1


def test_the_same_company_and_title_is_a_duplicate_whatever_the_case(developer, board_role):
    outside = services.opportunity_create(
        user=developer, title="llm engineer", company_name="ACME AI", url="https://x.example/1"
    )
    tracked = services.opportunity_track_role(user=developer, role=board_role.pk)
    assert not tracked.created and tracked.opportunity.pk == outside.opportunity.pk


def test_another_developer_tracks_the_same_role_separately(developer, other_developer, board_role):
    services.opportunity_track_role(user=developer, role=board_role.pk)
    theirs = services.opportunity_track_role(user=other_developer, role=board_role.pk)
    assert theirs.created and theirs.opportunity.user == other_developer


def test_an_unpublished_role_cannot_be_tracked_by_a_stranger(developer):
    draft = factories.RoleFactory(status=Role.Status.DRAFT)
    with pytest.raises(services.TrackerError):
        services.opportunity_track_role(user=developer, role=draft.pk)
    with pytest.raises(services.TrackerError):
        services.opportunity_track_role(user=developer, role=draft.pk + 1000)


@pytest.mark.parametrize(
    "second",
    [
        "http://www.jobs.example.com/roles/42/",
        "https://jobs.example.com/roles/42?utm_source=x#apply",
        "HTTPS://JOBS.EXAMPLE.COM/roles/42",
    ],
)
def test_the_same_normalised_address_is_a_duplicate(developer, second):
    first = services.opportunity_create(
        user=developer,
        title="Researcher",
        company_name="Lab",
        url="https://jobs.example.com/roles/42",
    )
    again = services.opportunity_create(
        user=developer, title="Another title", company_name="Other", url=second
    )
    assert not again.created and again.opportunity.pk == first.opportunity.pk


def test_outside_text_is_cleaned_and_notes_are_sanitised_markdown(developer):
    entry = services.opportunity_create(
        user=developer,
        title="ML\x0c Engineer\u202e",
        company_name="Lab\x00",
        description_html='<p>Role</p><script>alert(1)</script><img src=x onerror="alert(2)">',
        notes="**Bold** and <script>alert(3)</script> [link](javascript:alert(4))",
        tags="LLM, remote  llm, #RAG",
    ).opportunity
    assert (entry.title, entry.company_name) == ("ML Engineer", "Lab")
    assert "<script" not in entry.description_html and "onerror" not in entry.description_html
    assert "<strong>Bold</strong>" in entry.notes_html
    assert "<script" not in entry.notes_html and "&lt;script&gt;" in entry.notes_html
    assert "href" not in entry.notes_html  # a javascript: link stays text
    assert entry.tag_list == ["llm", "remote", "#rag"]


def test_a_title_and_company_are_needed(developer):
    with pytest.raises(services.TrackerError, match="title and a company"):
        services.opportunity_create(user=developer, title="  ", company_name="Lab")


def test_moves_append_to_the_history_and_the_stage_follows_it(developer, board_role):
    entry = services.opportunity_track_role(user=developer, role=board_role.pk).opportunity
    start = timezone.now()
    for days, stage in ((1, Stage.APPLIED), (2, Stage.INTERVIEWING), (3, Stage.REJECTED)):
        services.opportunity_move(
            user=developer, opportunity_id=entry.pk, stage=stage, at=start + timedelta(days=days)
        )
    entry.refresh_from_db()
    history = list(entry.stage_changes.values_list("stage", flat=True))
    assert history == [Stage.SAVED, Stage.APPLIED, Stage.INTERVIEWING, Stage.REJECTED]
    assert entry.stage == Stage.REJECTED
    assert entry.applied_at == start + timedelta(days=1)
    assert entry.stage_changed_at == start + timedelta(days=3)


def test_moving_to_the_current_stage_records_nothing(developer, board_role):
    entry = services.opportunity_track_role(user=developer, role=board_role.pk).opportunity
    services.opportunity_move(user=developer, opportunity_id=entry.pk, stage=Stage.SAVED)
    assert StageChange.objects.filter(opportunity=entry).count() == 1


def test_nobody_moves_anothers_entry(developer, other_developer, board_role):
    entry = services.opportunity_track_role(user=developer, role=board_role.pk).opportunity
    assert (
        services.opportunity_move(user=other_developer, opportunity_id=entry.pk, stage="applied")
        is None
    )
    entry.refresh_from_db()
    assert entry.stage == Stage.SAVED


def test_an_unknown_stage_is_refused(developer, board_role):
    entry = services.opportunity_track_role(user=developer, role=board_role.pk).opportunity
    with pytest.raises(services.TrackerError):
        services.opportunity_move(user=developer, opportunity_id=entry.pk, stage="hired")


def test_resync_sets_the_stage_from_the_history(developer, board_role):
    entry = services.opportunity_track_role(user=developer, role=board_role.pk).opportunity
    StageChange.objects.create(opportunity=entry, stage=Stage.OFFER, at=timezone.now())
    services.opportunity_resync(opportunity=entry)
    entry.refresh_from_db()
    assert entry.stage == Stage.OFFER and entry.applied_at is not None


def test_an_interview_moves_an_application_to_interviewing(developer, board_role):
    entry = services.opportunity_track_role(user=developer, role=board_role.pk).opportunity
    services.opportunity_move(user=developer, opportunity_id=entry.pk, stage=Stage.APPLIED)
    services.interview_add(
        opportunity=entry, at=timezone.now() + timedelta(days=2), kind="technical"
    )
    entry.refresh_from_db()
    assert entry.stage == Stage.INTERVIEWING
    assert entry.stage_changes.last().note == "Technical interview planned"


def test_an_address_already_tracked_cannot_be_given_to_another_entry(developer):
    services.opportunity_create(
        user=developer, title="A", company_name="X", url="https://a.example/job"
    )
    other = services.opportunity_create(user=developer, title="B", company_name="Y").opportunity
    with pytest.raises(services.TrackerError, match="already track"):
        services.opportunity_update(opportunity=other, url="https://www.a.example/job/")


def test_details_cannot_change_the_owner_or_stage(developer, other_developer):
    entry = services.opportunity_create(user=developer, title="A", company_name="X").opportunity
    with pytest.raises(services.TrackerError):
        services.opportunity_update(opportunity=entry, user=other_developer)
    with pytest.raises(services.TrackerError):
        services.opportunity_update(opportunity=entry, stage="offer")


def test_a_rotated_calendar_token_replaces_the_old_one(developer):
    first = services.calendar_rotate(user=developer)
    second = services.calendar_rotate(user=developer)
    assert calendar_user(token=first) is None
    assert calendar_user(token=second) == developer
    assert developer.tracker_calendar.token_hash != second  # only its hash is kept
    services.calendar_revoke(user=developer)
    assert calendar_user(token=second) is None

"""Rematching: what gets stored, kept fresh and removed, in one process or several."""

from __future__ import annotations

import json
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from opportunities.matching import rematch
from opportunities.matching import scoring as m
from opportunities.models import DeveloperProfile, Match, ProfileSkill, Role

pytestmark = pytest.mark.django_db


def rows():
    return sorted(
        Match.objects.values_list(
            "id", "profile_id", "role_id", "score", "explanation", "updated_at"
        )
    )


def test_match_roles_stores_scored_matches_with_explanations(skills, make_profile, make_role):
    python, torch, rag, k8s = skills
    good = make_profile({python: "expert", torch: "working"})
    make_profile({k8s: "expert"})  # no required skill: excluded
    onsite_elsewhere = make_profile({python: "expert", torch: "expert"}, country="US")
    role = make_role([python, torch, rag], workplace="onsite", worldwide=False, country="")
    onsite = make_role([python], workplace="onsite", worldwide=False, country="DE")

    rematch.match_roles(role_ids=[role.id, onsite.id])

    match = Match.objects.get(role=role, profile=good)
    assert match.explanation["matched_required"] == ["python", "pytorch"]
    assert match.explanation["missing_required"] == ["rag"]
    assert sum(match.explanation["factors"].values()) == match.score
    assert set(match.explanation["factors"]) == set(m.WEIGHTS)
    assert not Match.objects.filter(role=onsite, profile=onsite_elsewhere).exists()
    assert Match.objects.filter(role=role).count() == 2  # good and onsite_elsewhere


def test_match_roles_twice_gives_identical_rows(skills, make_profile, make_role):
    python, torch, *_ = skills
    for level in ("learning", "working", "expert"):
        make_profile({python: level, torch: "working"})
    role = make_role([python, torch])
    rematch.match_roles(role_ids=[role.id])
    first = rows()
    summary = rematch.match_roles(role_ids=[role.id])
    assert rows() == first
    assert summary.written == 0 and summary.deleted == 0


def test_closed_or_expired_roles_lose_their_matches(skills, make_profile, make_role):
    python = skills[0]
    profile = make_profile({python: "expert"})
    closed = make_role([python])
    expired = make_role([python])
    rematch.match_roles(role_ids=[closed.id, expired.id])
    assert Match.objects.visible().for_profile(profile).count() == 2

    Role.objects.filter(id=closed.id).update(status=Role.Status.CLOSED)
    Role.objects.filter(id=expired.id).update(expires_at=timezone.now() - timedelta(days=1))
    # Gone from the lists at once, before any cleanup ran.
    assert Match.objects.visible().for_profile(profile).count() == 0
    rematch.match_roles(role_ids=[closed.id, expired.id])
    assert Match.objects.count() == 0


def test_match_profile_reflects_a_changed_profile_even_with_a_loaded_index(
    skills, make_profile, make_role
):
    python, torch, rag, _ = skills
    profile = make_profile({python: "learning"})
    role = make_role([python, torch, rag])
    rematch.match_profile(profile_id=profile.id)  # loads the indexes
    assert not Match.objects.exists()  # 7.3 + 37.5 from the neutral factors: 45, below the floor

    for skill in (torch, rag):
        ProfileSkill.objects.create(profile=profile, skill=skill, level="expert")
    rematch.match_profile(profile_id=profile.id)
    match = Match.objects.get(profile=profile, role=role)
    assert match.explanation["missing_required"] == []

    # A role published after the index was loaded is found by its own match_roles.
    later = make_role([python])
    rematch.match_roles(role_ids=[later.id])
    assert Match.objects.filter(profile=profile, role=later).exists()


def test_rematch_drops_matches_that_became_hard_mismatches_but_keeps_saved_ones(
    skills, make_profile, make_role
):
    python = skills[0]
    profile = make_profile({python: "expert"})
    kept, dropped = make_role([python]), make_role([python])
    rematch.match_profile(profile_id=profile.id)
    Match.objects.filter(role=kept).update(saved=True)
    DeveloperProfile.objects.filter(id=profile.id).update(country="DE")
    # Writers touch updated_at (as ingest does), which is how a loaded index learns of it.
    Role.objects.filter(id__in=[kept.id, dropped.id]).update(
        worldwide=False, applicant_countries=["US"], updated_at=timezone.now()
    )
    rematch.match_profile(profile_id=profile.id)
    assert list(Match.objects.values_list("role_id", flat=True)) == [kept.id]


def test_match_all_stores_every_profiles_top_roles_and_reports_progress(
    skills, make_profile, make_role
):
    python, torch, *_ = skills
    profiles = [make_profile({python: "expert"}) for _ in range(5)]
    role = make_role([python, torch])
    make_role([python], status=Role.Status.CLOSED)
    seen = []
    summary = rematch.match_all(batch_size=2, progress=lambda done, total: seen.append(done))
    assert seen == [2, 4, 5]
    assert summary.objects == 5
    assert set(Match.objects.values_list("profile_id", "role_id")) == {
        (p.id, role.id) for p in profiles
    }


@pytest.mark.skipif(connection.vendor != "postgresql", reason="forked workers need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_match_all_in_worker_processes_stores_what_one_process_stores(
    skills, make_profile, make_role
):
    python, torch, rag, _ = skills
    levels = ["learning", "working", "expert"]
    for i in range(7):
        make_profile({python: levels[i % 3], torch: levels[(i + 1) % 3]})
    for required in ([python], [python, torch], [torch, rag], [rag]):
        make_role(required)

    def stored_rows():
        return sorted(
            (pid, rid, score, json.dumps(expl, sort_keys=True))
            for pid, rid, score, expl in Match.objects.values_list(
                "profile_id", "role_id", "score", "explanation"
            )
        )

    one = rematch.match_all(batch_size=2)
    stored = stored_rows()
    Match.objects.all().delete()
    seen = []
    two = rematch.match_all(
        batch_size=2, workers=2, progress=lambda done, total: seen.append((done, total))
    )
    assert seen == [(2, 7), (4, 7), (6, 7), (7, 7)]
    assert (two.written, two.objects) == (one.written, one.objects) == (len(stored), 7)
    assert stored_rows() == stored


def test_rematch_command_rematches_everyone_and_refuses_bad_options(
    skills, make_profile, make_role
):
    python = skills[0]
    profiles = [make_profile({python: "expert"}) for _ in range(3)]
    role = make_role([python])
    out = StringIO()
    call_command("rematch", "--batch-size", "2", "--workers", "1", "--no-progress", stdout=out)
    assert "Rematched 3 profiles: 3 matches written, 0 removed." in out.getvalue()
    assert set(Match.objects.values_list("profile_id", "role_id")) == {
        (p.id, role.id) for p in profiles
    }
    with pytest.raises(CommandError, match="at least 1"):
        call_command("rematch", "--workers", "0", "--no-progress", stdout=StringIO())

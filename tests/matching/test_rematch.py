"""Matching services: what gets stored, kept fresh, removed, and who may change it."""

from __future__ import annotations

import json
import random
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from opportunities.matching import rematch as services
from opportunities.matching import scoring as m
from opportunities.matching.tasks import (
    match_all_task,
    match_profile_task,
    match_profiles_task,
    match_roles_task,
)
from opportunities.models import DeveloperProfile, Match, ProfileSkill, Role, RoleSkill
from tests import factories

pytestmark = pytest.mark.django_db


def make_profile(skills: dict, **kwargs) -> DeveloperProfile:
    profile = factories.DeveloperProfileFactory(**kwargs)
    for skill, level in skills.items():
        ProfileSkill.objects.create(profile=profile, skill=skill, level=level)
    return profile


def make_role(required=(), nice=(), **kwargs) -> Role:
    kwargs.setdefault("worldwide", True)
    role = factories.RoleFactory(**kwargs)
    for skill in required:
        RoleSkill.objects.create(role=role, skill=skill, kind=RoleSkill.Kind.REQUIRED)
    for skill in nice:
        RoleSkill.objects.create(role=role, skill=skill, kind=RoleSkill.Kind.NICE)
    return role


@pytest.fixture
def skills(db):
    return [factories.SkillFactory(name=n) for n in ("Python", "PyTorch", "RAG", "Kubernetes")]


def rows():
    return sorted(
        Match.objects.values_list(
            "id", "profile_id", "role_id", "score", "explanation", "updated_at"
        )
    )


def test_match_roles_stores_scored_matches_with_explanations(skills):
    python, torch, rag, k8s = skills
    good = make_profile({python: "expert", torch: "working"})
    make_profile({k8s: "expert"})  # no required skill: excluded
    onsite_elsewhere = make_profile({python: "expert", torch: "expert"}, country="US")
    role = make_role([python, torch, rag], workplace="onsite", worldwide=False, country="")
    onsite = make_role([python], workplace="onsite", worldwide=False, country="DE")

    services.match_roles(role_ids=[role.id, onsite.id])

    match = Match.objects.get(role=role, profile=good)
    assert match.explanation["matched_required"] == ["python", "pytorch"]
    assert match.explanation["missing_required"] == ["rag"]
    assert sum(match.explanation["factors"].values()) == match.score
    assert set(match.explanation["factors"]) == set(m.WEIGHTS)
    assert not Match.objects.filter(role=onsite, profile=onsite_elsewhere).exists()
    assert Match.objects.filter(role=role).count() == 2  # good and onsite_elsewhere


def test_match_roles_twice_gives_identical_rows(skills):
    python, torch, *_ = skills
    for level in ("learning", "working", "expert"):
        make_profile({python: level, torch: "working"})
    role = make_role([python, torch])
    services.match_roles(role_ids=[role.id])
    first = rows()
    summary = services.match_roles(role_ids=[role.id])
    assert rows() == first
    assert summary.written == 0 and summary.deleted == 0


def test_closed_or_expired_roles_lose_their_matches(skills):
    python = skills[0]
    profile = make_profile({python: "expert"})
    closed = make_role([python])
    expired = make_role([python])
    services.match_roles(role_ids=[closed.id, expired.id])
    assert Match.objects.visible().for_profile(profile).count() == 2

    Role.objects.filter(id=closed.id).update(status=Role.Status.CLOSED)
    Role.objects.filter(id=expired.id).update(expires_at=timezone.now() - timedelta(days=1))
    # Gone from the lists at once, before any cleanup ran.
    assert Match.objects.visible().for_profile(profile).count() == 0
    services.match_roles(role_ids=[closed.id, expired.id])
    assert Match.objects.count() == 0


def test_match_profile_reflects_a_changed_profile_even_with_a_loaded_index(skills):
    python, torch, rag, _ = skills
    profile = make_profile({python: "learning"})
    role = make_role([python, torch, rag])
    services.match_profile(profile_id=profile.id)  # loads the indexes
    assert not Match.objects.exists()  # 7.3 + 37.5 from the neutral factors: 45, below the floor

    for skill in (torch, rag):
        ProfileSkill.objects.create(profile=profile, skill=skill, level="expert")
    services.match_profile(profile_id=profile.id)
    match = Match.objects.get(profile=profile, role=role)
    assert match.explanation["missing_required"] == []

    # A role published after the index was loaded is found by its own match_roles.
    later = make_role([python])
    services.match_roles(role_ids=[later.id])
    assert Match.objects.filter(profile=profile, role=later).exists()


def test_rematch_drops_matches_that_became_hard_mismatches_but_keeps_saved_ones(skills):
    python = skills[0]
    profile = make_profile({python: "expert"})
    kept, dropped = make_role([python]), make_role([python])
    services.match_profile(profile_id=profile.id)
    Match.objects.filter(role=kept).update(saved=True)
    DeveloperProfile.objects.filter(id=profile.id).update(country="DE")
    # Writers touch updated_at (as ingest does), which is how a loaded index learns of it.
    Role.objects.filter(id__in=[kept.id, dropped.id]).update(
        worldwide=False, applicant_countries=["US"], updated_at=timezone.now()
    )
    services.match_profile(profile_id=profile.id)
    assert list(Match.objects.values_list("role_id", flat=True)) == [kept.id]


def test_loaded_indexes_give_the_exhaustive_top_results(skills):
    rng = random.Random(5)
    more = [factories.SkillFactory(name=f"Extra {i}") for i in range(6)]
    pool = skills + more
    industries = [factories.IndustryFactory(name=f"Sector {i}") for i in range(3)]
    for _ in range(30):
        profile = make_profile(
            {s: rng.choice(list(m.LEVEL_UNITS)) for s in rng.sample(pool, rng.randint(1, 5))},
            country=rng.choice(["", "DE", "US"]),
            seniority=rng.choice(["", "junior", "senior"]),
            salary_floor=rng.choice([None, 80_000, 150_000]),
            salary_currency=rng.choice(["USD", "EUR"]),
            workplace_preference=rng.choice(["remote_only", "hybrid_ok", "onsite_ok"]),
        )
        profile.industries.set(rng.sample(industries, rng.randint(0, 2)))
    for _ in range(30):
        workplace = rng.choice(["remote", "hybrid", "onsite"])
        picked = rng.sample(pool, rng.randint(0, 5))
        split = rng.randint(0, len(picked))
        make_role(
            picked[:split],
            picked[split:],
            workplace=workplace,
            worldwide=workplace == "remote" and rng.random() < 0.5,
            country=rng.choice(["", "DE", "US"]),
            industry=rng.choice([None, *industries]),
            applicant_countries=rng.choice([[], ["DE"], ["US", "DE"]]),
            seniority=rng.choice(["", "mid", "senior"]),
            salary_yearly_max=rng.choice([None, 100_000, 200_000]),
            salary_currency=rng.choice(["", "USD", "EUR"]),
        )
    profiles = services.profile_vectors(DeveloperProfile.objects.values_list("id", flat=True))
    roles = services.role_vectors()
    profile_index, role_index = services.load_profile_index(), services.load_role_index()
    for role in roles.values():
        expected = sorted(
            ((p.id, r.score) for p in profiles.values() if (r := m.score(p, role))),
            key=lambda item: m.rank_key(item[1], item[0]),
        )
        assert profile_index.top_for_role(role, k=50, floor=0) == expected[:50]
    for profile in profiles.values():
        expected = sorted(
            ((r.id, s.score) for r in roles.values() if (s := m.score(profile, r))),
            key=lambda item: m.rank_key(item[1], item[0]),
        )
        assert role_index.top_for_profile(profile, k=50, floor=0) == expected[:50]


def test_match_all_stores_every_profiles_top_roles_and_reports_progress(skills):
    python, torch, *_ = skills
    profiles = [make_profile({python: "expert"}) for _ in range(5)]
    role = make_role([python, torch])
    make_role([python], status=Role.Status.CLOSED)
    seen = []
    summary = services.match_all(batch_size=2, progress=lambda done, total: seen.append(done))
    assert seen == [2, 4, 5]
    assert summary.objects == 5
    assert set(Match.objects.values_list("profile_id", "role_id")) == {
        (p.id, role.id) for p in profiles
    }


def test_dismiss_and_save_only_for_the_owner(skills):
    python = skills[0]
    profile = make_profile({python: "expert"})
    role = make_role([python])
    services.match_roles(role_ids=[role.id])
    match = Match.objects.get()
    stranger = factories.UserFactory()
    with pytest.raises(services.MatchPermissionError):
        services.match_dismiss(match=match, user=stranger)
    with pytest.raises(services.MatchPermissionError):
        services.match_save(match=match, user=stranger)
    services.match_save(match=match, user=profile.user)
    services.match_dismiss(match=match, user=profile.user)
    match.refresh_from_db()
    assert match.saved and match.dismissed


def test_skills_to_learn_counts_roles_each_missing_skill_unlocks(skills):
    python, torch, rag, k8s = skills
    profile = make_profile({python: "expert"})
    for _ in range(3):
        make_role([python, torch])
    make_role([python, rag])
    make_role([k8s, rag, torch])  # even Kubernetes alone would not lift this one to 60
    suggestions = services.skills_to_learn(profile=profile)
    assert [(skill.slug, count) for skill, count in suggestions] == [("pytorch", 3), ("rag", 1)]


def test_tasks_call_the_services(skills, django_capture_on_commit_callbacks, monkeypatch):
    python = skills[0]
    profile = make_profile({python: "expert"})
    role = make_role([python])
    assert match_roles_task.acks_late
    match_roles_task.apply(args=[[role.id]]).get()
    assert Match.objects.filter(role=role).exists()
    Role.objects.filter(id=role.id).update(status=Role.Status.CLOSED)
    match_profile_task.apply(args=[profile.id]).get()
    assert not Match.objects.exists()
    Role.objects.filter(id=role.id).update(status=Role.Status.PUBLISHED)
    queued = []
    monkeypatch.setattr(match_profiles_task, "delay", lambda ids: queued.append(ids))
    assert match_all_task.apply(kwargs={"batch_size": 1}).get() == {
        "deleted": 0,
        "batches": 1,
        "profiles": 1,
    }
    assert queued == [[profile.id]]
    assert match_profiles_task.apply(args=[queued[0]]).get()["written"] == 1
    assert Match.objects.filter(profile=profile, role=role).exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="forked workers need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_match_all_in_worker_processes_stores_what_one_process_stores(skills):
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

    one = services.match_all(batch_size=2)
    stored = stored_rows()
    Match.objects.all().delete()
    seen = []
    two = services.match_all(
        batch_size=2, workers=2, progress=lambda done, total: seen.append((done, total))
    )
    assert seen == [(2, 7), (4, 7), (6, 7), (7, 7)]
    assert (two.written, two.objects) == (one.written, one.objects) == (len(stored), 7)
    assert stored_rows() == stored


def test_rematch_command_rematches_everyone_and_refuses_bad_options(skills):
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


def test_explanation_json_is_what_json_dumps_gives():
    value = {
        "matched_required": ["python", 'c"sharp\\'],
        "matched_nice": [],
        "missing_required": ["pytorch"],
        "factors": {"skills": 33, "nice": 10, "industry": 10, "workplace": 8, "seniority": 5},
    }
    assert services.explanation_json(value) == json.dumps(value)
    assert json.loads(services.explanation_json(value)) == value

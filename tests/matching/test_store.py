"""Storing matches: explanations as JSON, and which rows a store writes, keeps or deletes."""

from __future__ import annotations

import json

import pytest

from opportunities.matching import load, store
from opportunities.models import Match

pytestmark = pytest.mark.django_db


def test_explanation_json_is_what_json_dumps_gives():
    value = {
        "matched_required": ["python", 'c"sharp\\'],
        "matched_nice": [],
        "missing_required": ["pytorch"],
        "factors": {"skills": 33, "nice": 10, "industry": 10, "workplace": 8, "seniority": 5},
    }
    assert store.explanation_json(value) == json.dumps(value)
    assert json.loads(store.explanation_json(value)) == value


def test_store_pairs_writes_new_rows_once_and_deletes_only_unsaved_stale_ones(
    skills, make_profile, make_role
):
    python, torch, *_ = skills
    fits = make_profile({python: "expert", torch: "expert"})
    stale = make_profile({python: "expert"})
    stale_but_saved = make_profile({python: "expert"})
    role = make_role([python, torch])
    Match.objects.create(profile=stale, role=role, score=70)
    Match.objects.create(profile=stale_but_saved, role=role, score=70, saved=True)
    pairs = [(load.profile_vectors([fits.id])[fits.id], load.role_vectors([role.id])[role.id])]

    def existing():
        return list(Match.objects.filter(role=role).values_list(*store.EXISTING_FIELDS))

    assert store.store_pairs(pairs=pairs, existing=existing()) == (1, 1)
    assert set(Match.objects.values_list("profile_id", "saved")) == {
        (fits.id, False),
        (stale_but_saved.id, True),
    }
    assert Match.objects.get(profile=stale_but_saved).score == 70  # kept with its last score
    assert store.store_pairs(pairs=pairs, existing=existing()) == (0, 0)

"""Storing matches: explanations as JSON, and which rows a store writes, keeps or deletes."""

from __future__ import annotations

import json

import pytest

from opportunities.matching import store

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

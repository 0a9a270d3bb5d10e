"""Tests for opportunities.profiles.services."""

from __future__ import annotations

import pytest

from opportunities.enqueue import MATCH_PROFILE
from opportunities.models import AlertPreference, DeveloperProfile
from opportunities.profiles.services import profile_update
from tests import factories

pytestmark = pytest.mark.django_db


def test_profile_update_creates_then_replaces_skills(
    user, enqueued, django_capture_on_commit_callbacks
):
    pytorch, rag, k8s = (factories.SkillFactory(name=n) for n in ("PyTorch", "RAG", "Kubernetes"))
    health = factories.IndustryFactory(name="Healthcare")
    with django_capture_on_commit_callbacks(execute=True):
        profile = profile_update(
            user=user,
            headline="ML engineer",
            skills=[(pytorch, "expert", 4), (rag, "learning", 0)],
            industries=[health],
            country="de",
        )
    assert profile.country == "DE"
    assert enqueued == [(MATCH_PROFILE, (profile.pk,))]

    with django_capture_on_commit_callbacks(execute=True):
        profile_update(user=user, skills=[(rag, "working", 2), (k8s, "learning", 1)])
    profile = DeveloperProfile.objects.get(user=user)
    assert {(ps.skill.name, ps.level, ps.years) for ps in profile.profile_skills.all()} == {
        ("RAG", "working", 2),
        ("Kubernetes", "learning", 1),
    }
    assert list(profile.industries.all()) == []
    assert profile.discoverable is False
    assert enqueued == [(MATCH_PROFILE, (profile.pk,))] * 2
    # Having a profile turns on new-match alerts with the default settings.
    assert AlertPreference.objects.get(user=user).match_frequency == "daily"


def test_rematch_is_enqueued_only_after_commit(user, enqueued, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        profile = profile_update(user=user, headline="x")
    assert enqueued == []
    for callback in callbacks:
        callback()
    assert enqueued == [(MATCH_PROFILE, (profile.pk,))]


def test_invalid_choice_is_refused(user, enqueued):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        profile_update(user=user, workplace_preference="on_the_moon")
    assert not DeveloperProfile.objects.exists()
    assert enqueued == []


def test_profile_text_loses_control_characters(user, enqueued):
    profile = profile_update(user=user, headline="ML\x00 engineer\x0c", city="Berlin\x1b")
    profile.refresh_from_db()
    assert (profile.headline, profile.city) == ("ML engineer", "Berlin")

"""Tests for opportunities.services.profiles."""

from __future__ import annotations

import pytest

from opportunities.models import AlertPreference, DeveloperProfile
from opportunities.services.profiles import profile_update
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def enqueued(monkeypatch):
    from opportunities.tasks import matching

    calls: list[int] = []
    monkeypatch.setattr(
        matching.match_profile_task, "delay_on_commit", lambda profile_id: calls.append(profile_id)
    )
    return calls


def test_profile_update_creates_then_replaces_skills(user, enqueued):
    pytorch, rag, k8s = (factories.SkillFactory(name=n) for n in ("PyTorch", "RAG", "Kubernetes"))
    health = factories.IndustryFactory(name="Healthcare")
    profile = profile_update(
        user=user,
        headline="ML engineer",
        skills=[(pytorch, "expert", 4), (rag, "learning", 0)],
        industries=[health],
        country="de",
    )
    assert profile.country == "DE"
    assert enqueued == [profile.pk]

    profile_update(user=user, skills=[(rag, "working", 2), (k8s, "learning", 1)])
    profile = DeveloperProfile.objects.get(user=user)
    assert {(ps.skill.name, ps.level, ps.years) for ps in profile.profile_skills.all()} == {
        ("RAG", "working", 2),
        ("Kubernetes", "learning", 1),
    }
    assert list(profile.industries.all()) == []
    assert profile.discoverable is False
    assert enqueued == [profile.pk, profile.pk]
    # Having a profile turns on new-match alerts with the default settings.
    assert AlertPreference.objects.get(user=user).match_frequency == "daily"


def test_rematch_is_enqueued_only_after_commit(user, django_capture_on_commit_callbacks):
    from opportunities.tasks import matching

    sent: list[int] = []
    original = matching.match_profile_task.delay
    matching.match_profile_task.delay = lambda profile_id: sent.append(profile_id)
    try:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            profile = profile_update(user=user, headline="x")
        assert sent == []
        for callback in callbacks:
            callback()
        assert sent == [profile.pk]
    finally:
        matching.match_profile_task.delay = original


def test_invalid_choice_is_refused(user, enqueued):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        profile_update(user=user, workplace_preference="on_the_moon")
    assert not DeveloperProfile.objects.exists()
    assert enqueued == []

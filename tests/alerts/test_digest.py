"""Digests: what is sent, why, and that nothing is sent twice."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from opportunities.alerts import digest
from opportunities.models import AlertDelivery, AlertPreference, Match, Role, SavedSearch
from tests import factories

pytestmark = pytest.mark.django_db


def test_role_fitting_a_saved_search_is_sent_once_with_the_reason(dev, mailoutbox, saved, run_beat):
    saved(dev, "q=pytorch&workplace=remote", "Remote PyTorch")
    role = factories.RoleFactory(title="PyTorch Inference Engineer", workplace="remote")
    factories.RoleFactory(title="Sales Lead", workplace="remote")  # does not fit

    run_beat("daily")

    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["dev@example.com"]
    assert message.subject == "1 new role for you on GenAI Jobs"
    assert "PyTorch Inference Engineer" in message.body
    assert "Fits your saved search “Remote PyTorch”" in message.body
    assert "Sales Lead" not in message.body
    html = message.alternatives[0][0]
    assert "PyTorch Inference Engineer" in html and "Remote PyTorch" in html
    assert settings.SITE_URL + role.get_absolute_url() in message.body
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message.extra_headers["List-Unsubscribe"].startswith(
        f"<{settings.SITE_URL}/alerts/unsubscribe/"
    )
    assert AlertDelivery.objects.get().role == role

    # Beat runs again (and again): nothing new, nothing sent.
    run_beat("daily")
    run_beat("daily")
    assert len(mailoutbox) == 1


def test_redelivered_task_sends_nothing_twice(dev, mailoutbox, saved):
    saved(dev, "q=pytorch", "PyTorch")
    factories.RoleFactory(title="PyTorch Engineer")
    now = timezone.now()
    assert digest.digest_send(user=dev, frequency="daily", now=now) == 1
    # The same message delivered again after a worker died (acks_late), with the same clock.
    assert digest.digest_send(user=dev, frequency="daily", now=now) == 0
    assert len(mailoutbox) == 1


def test_role_is_never_sent_twice_across_searches_and_matches(dev, mailoutbox, saved, run_beat):
    saved(dev, "q=pytorch", "PyTorch anywhere")
    saved(dev, "workplace=remote", "Anything remote")
    role = factories.RoleFactory(title="PyTorch Engineer", workplace="remote")
    profile = factories.DeveloperProfileFactory(user=dev)
    Match.objects.create(profile=profile, role=role, score=95, explanation={})

    run_beat("daily")
    assert len(mailoutbox) == 1
    assert mailoutbox[0].body.count("PyTorch Engineer at") == 1
    assert AlertDelivery.objects.filter(user=dev, role=role).count() == 1

    # A later saved search fitting the same role does not bring it back either.
    saved(dev, "q=engineer", "Engineers", age=timedelta(hours=1))
    run_beat("daily")
    assert len(mailoutbox) == 1


def test_new_match_above_min_score_is_sent_with_its_reasons(dev, mailoutbox, run_beat):
    pytorch = factories.SkillFactory(name="PyTorch", slug="pytorch")
    rag = factories.SkillFactory(name="RAG", slug="rag")
    factories.SkillFactory(name="Kubernetes", slug="kubernetes")
    profile = factories.DeveloperProfileFactory(user=dev)
    AlertPreference.objects.create(user=dev, match_frequency="weekly", min_score=80)
    good = factories.RoleFactory(title="RAG Engineer", skills=[pytorch, rag])
    weak = factories.RoleFactory(title="Data Analyst")
    Match.objects.create(
        profile=profile,
        role=good,
        score=92,
        explanation={
            "matched_required": ["pytorch", "rag"],
            "missing_required": ["kubernetes"],
            "factors": {"skills": 60},
        },
    )
    Match.objects.create(profile=profile, role=weak, score=60, explanation={})

    run_beat("daily")  # the developer chose weekly
    assert mailoutbox == []
    run_beat("weekly")
    assert len(mailoutbox) == 1
    body = mailoutbox[0].body
    assert "RAG Engineer" in body
    assert "92% match: PyTorch, RAG; missing: Kubernetes" in body
    assert "Data Analyst" not in body
    run_beat("weekly")
    assert len(mailoutbox) == 1


def test_roles_from_before_the_search_was_saved_are_not_sent(dev, mailoutbox, saved, run_beat):
    factories.RoleFactory(title="PyTorch Engineer", posted_at=timezone.now() - timedelta(days=3))
    SavedSearch.objects.filter(pk=saved(dev, "q=pytorch", "PyTorch", age=timedelta(0)).pk).update(
        created_at=timezone.now()
    )
    Role.objects.update(created_at=timezone.now() - timedelta(days=3))
    run_beat("daily")
    assert mailoutbox == []


def test_closed_roles_and_dismissed_matches_are_not_sent(dev, mailoutbox, saved, run_beat):
    saved(dev, "q=pytorch", "PyTorch")
    factories.RoleFactory(title="PyTorch Engineer", status="closed")
    profile = factories.DeveloperProfileFactory(user=dev)
    Match.objects.create(profile=profile, role=factories.RoleFactory(), score=90, dismissed=True)
    run_beat("daily")
    assert mailoutbox == []

"""Posting's beat task (opportunities/posting/tasks.py)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone

from opportunities.enqueue import POSTING_EXPIRE_ROLES
from opportunities.models import Role
from opportunities.posting.tasks import expire_roles
from tests import factories

pytestmark = pytest.mark.django_db


def test_beat_runs_the_task_and_it_expires_and_warns_once():
    assert settings.CELERY_BEAT_SCHEDULE["posting-expire-roles"]["task"] == POSTING_EXPIRE_ROLES
    membership = factories.MembershipFactory()
    now = timezone.now()
    due = factories.RoleFactory(
        company=membership.company, created_by=membership.user, expires_at=now - timedelta(hours=1)
    )
    soon = factories.RoleFactory(
        company=membership.company, created_by=membership.user, expires_at=now + timedelta(days=2)
    )
    later = factories.RoleFactory(company=membership.company, expires_at=now + timedelta(days=9))
    ingested = factories.RoleFactory(
        origin=Role.Origin.INGEST,
        source=factories.SourceFactory(),
        external_id="x1",
        expires_at=now - timedelta(hours=1),
    )

    assert expire_roles() == {"expired": 1, "warned": 1}
    assert expire_roles() == {"expired": 0, "warned": 0}

    statuses = dict(Role.objects.values_list("pk", "status"))
    assert statuses[due.pk] == Role.Status.EXPIRED
    assert statuses[soon.pk] == statuses[later.pk] == Role.Status.PUBLISHED
    assert statuses[ingested.pk] == Role.Status.PUBLISHED  # the ingest closes its own roles
    assert [m.to for m in mail.outbox] == [[membership.user.email]]
    assert soon.title in mail.outbox[0].subject

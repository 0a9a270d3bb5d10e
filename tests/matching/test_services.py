"""A developer's writes on their matches: only the owner may dismiss one."""

from __future__ import annotations

import pytest

from opportunities.matching import rematch, services
from opportunities.models import Match
from tests import factories

pytestmark = pytest.mark.django_db


def test_dismiss_only_for_the_owner(skills, make_profile, make_role):
    python = skills[0]
    profile = make_profile({python: "expert"})
    role = make_role([python])
    rematch.match_roles(role_ids=[role.id])
    match = Match.objects.get()
    stranger = factories.UserFactory()
    with pytest.raises(services.MatchPermissionError):
        services.match_dismiss(match=match, user=stranger)
    services.match_dismiss(match=match, user=profile.user)
    match.refresh_from_db()
    assert match.dismissed

"""Loading from the database: the loaded indexes rank exactly as scoring every fresh vector."""

from __future__ import annotations

import random

import pytest

from opportunities.matching import load
from opportunities.matching import scoring as m
from opportunities.models import DeveloperProfile
from tests import factories

pytestmark = pytest.mark.django_db


def test_loaded_indexes_give_the_exhaustive_top_results(skills, make_profile, make_role):
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
            excluded_countries=rng.choice([[], [], ["US"]]),
            seniority=rng.choice(["", "mid", "senior"]),
            salary_yearly_max=rng.choice([None, 100_000, 200_000]),
            salary_currency=rng.choice(["", "USD", "EUR"]),
        )
    profiles = load.profile_vectors(DeveloperProfile.objects.values_list("id", flat=True))
    roles = load.role_vectors()
    profile_index, role_index = load.load_profile_index(), load.load_role_index()
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

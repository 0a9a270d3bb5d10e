"""The numpy indexes give exactly the exhaustive scan's scores and top-K, in both directions."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from opportunities.matching import scoring as m
from opportunities.matching.index import ProfileIndex, RoleIndex
from opportunities.vocabulary import SENIORITY_ORDER

SKILLS = st.integers(min_value=1, max_value=12)
COUNTRIES = st.sampled_from(["", "DE", "US", "IN"])
CURRENCIES = st.sampled_from(["", "USD", "EUR"])
SENIORITY = st.sampled_from(["", *SENIORITY_ORDER])
SALARY = st.one_of(st.none(), st.integers(min_value=50, max_value=200).map(lambda x: x * 1000))


@st.composite
def profiles(draw, pid: int) -> m.ProfileVector:
    return m.ProfileVector(
        id=pid,
        skills=draw(st.dictionaries(SKILLS, st.sampled_from(list(m.LEVEL_UNITS)), max_size=6)),
        industry_ids=frozenset(draw(st.sets(st.integers(1, 3), max_size=2))),
        workplace_preference=draw(st.sampled_from(["remote_only", "hybrid_ok", "onsite_ok"])),
        needs_worldwide=draw(st.booleans()),
        country=draw(COUNTRIES),
        seniority=draw(SENIORITY),
        salary_floor=draw(SALARY),
        salary_currency=draw(CURRENCIES),
        discoverable=draw(st.booleans()),
    )


@st.composite
def roles(draw, rid: int) -> m.RoleVector:
    workplace = draw(st.sampled_from(["remote", "hybrid", "onsite"]))
    worldwide = workplace == "remote" and draw(st.booleans())
    return m.RoleVector.create(
        id=rid,
        required=draw(st.sets(SKILLS, max_size=5)),
        nice=draw(st.sets(SKILLS, max_size=3)),
        industry_id=draw(st.one_of(st.none(), st.integers(1, 3))),
        workplace=workplace,
        worldwide=worldwide,
        country=draw(COUNTRIES),
        applicant_countries=frozenset(draw(st.sets(st.sampled_from(["DE", "US", "IN"])))),
        excluded_countries=frozenset(
            draw(st.sets(st.sampled_from(["DE", "US", "IN"]), max_size=1))
        ),
        seniority=draw(SENIORITY),
        salary_ceiling=draw(SALARY),
        salary_currency=draw(CURRENCIES),
    )


@st.composite
def populations(draw):
    n_profiles = draw(st.integers(1, 25))
    n_roles = draw(st.integers(1, 25))
    # Ids with gaps, as a database would have them.
    pids = draw(
        st.lists(st.integers(1, 10_000), min_size=n_profiles, max_size=n_profiles, unique=True)
    )
    rids = draw(st.lists(st.integers(1, 10_000), min_size=n_roles, max_size=n_roles, unique=True))
    return [draw(profiles(pid)) for pid in pids], [draw(roles(rid)) for rid in rids]


def exhaustive(pairs, k, floor=m.MATCH_FLOOR):
    ranked = [(other_id, r.score) for other_id, r in pairs if r is not None and r.score >= floor]
    ranked.sort(key=lambda item: m.rank_key(item[1], item[0]))
    return ranked[:k]


FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(populations(), st.integers(1, 10), st.integers(0, 100))
def test_profile_index_top_k_equals_an_exhaustive_scan(population, k, floor):
    people, postings = population
    index = ProfileIndex(people)
    for role in postings:
        expected = exhaustive(((p.id, m.score(p, role)) for p in people), k, floor)
        assert index.top_for_role(role, k=k, floor=floor) == expected
        shown = exhaustive(
            ((p.id, m.score(p, role)) for p in people if p.discoverable), k + 1, floor
        )
        assert index.tops_for_role(role, k=k, k_discoverable=k + 1, floor=floor) == (
            expected,
            shown,
        )
        ids, scores = index.score_role(role)
        every = {p.id: r.score for p in people if (r := m.score(p, role)) is not None}
        assert dict(zip(ids.tolist(), scores.tolist(), strict=True)) == every


@FAST
@given(populations(), st.integers(1, 10), st.integers(0, 100))
def test_role_index_top_k_equals_an_exhaustive_scan(population, k, floor):
    people, postings = population
    index = RoleIndex(postings)
    for profile in people:
        expected = exhaustive(((r.id, m.score(profile, r)) for r in postings), k, floor)
        assert index.top_for_profile(profile, k=k, floor=floor) == expected
        ids, scores = index.score_profile(profile)
        every = {r.id: res.score for r in postings if (res := m.score(profile, r)) is not None}
        assert dict(zip(ids.tolist(), scores.tolist(), strict=True)) == every


@FAST
@given(populations(), st.integers(0, 100))
def test_skills_to_learn_equals_rescoring_with_each_skill_added(population, threshold):
    people, postings = population
    index = RoleIndex(postings)
    for profile in people:
        counts = {}
        for skill in {s for r in postings for s in r.required} - set(profile.skills):
            learned = m.ProfileVector(
                **{**profile.__dict__, "skills": {**profile.skills, skill: "working"}}
            )
            unlocked = 0
            for role in postings:
                before, after = m.score(profile, role), m.score(learned, role)
                was_good = before is not None and before.score >= threshold
                if skill in role.required and not was_good and after and after.score >= threshold:
                    unlocked += 1
            if unlocked:
                counts[skill] = unlocked
        expected = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:5]
        assert index.skills_to_learn(profile, threshold=threshold, limit=5) == expected


def test_retired_rows_leave_the_results():
    people = [m.ProfileVector(id=i, skills={1: "expert"}) for i in (3, 5, 9)]
    role = m.RoleVector.create(id=1, required={1}, workplace="remote", worldwide=True)
    index = ProfileIndex(people)
    assert [pid for pid, _ in index.top_for_role(role, k=10)] == [3, 5, 9]
    index.retire(5)
    assert [pid for pid, _ in index.top_for_role(role, k=10)] == [3, 9]


@FAST
@given(populations())
def test_vectors_rebuilt_from_the_indexes_score_exactly_as_the_originals(population):
    people, postings = population
    profile_index, role_index = ProfileIndex(people), RoleIndex(postings)
    rebuilt_people = [profile_index.vector(profile_index.row_of(p.id)) for p in people]
    rebuilt_roles = {
        r.id: role_index.vector(role_index.row_of(r.id)) for r in postings if r.required
    }
    for person, rebuilt in zip(people, rebuilt_people, strict=True):
        for role in postings:
            expected = m.score(person, role)
            assert m.score(rebuilt, role) == expected
            if role.id in rebuilt_roles:
                assert m.score(person, rebuilt_roles[role.id]) == expected

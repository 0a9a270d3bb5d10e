"""Pure scoring: factors, exclusions and the explanation."""

from __future__ import annotations

import pytest

from opportunities.matching import scoring as m

PY, TORCH, RAG, K8S = 1, 2, 3, 4


def profile(**kwargs) -> m.ProfileVector:
    base = {
        "id": 1,
        "skills": {PY: "expert", TORCH: "working"},
        "country": "DE",
        "salary_floor": 90_000,
        "salary_currency": "EUR",
        "seniority": "senior",
    }
    return m.ProfileVector(**{**base, **kwargs})


def role(**kwargs) -> m.RoleVector:
    base = {
        "id": 7,
        "required": {PY, TORCH},
        "nice": {RAG},
        "workplace": "remote",
        "worldwide": True,
        "seniority": "senior",
        "salary_ceiling": 120_000,
        "salary_currency": "EUR",
    }
    return m.RoleVector.create(**{**base, **kwargs})


def test_weights_add_up_to_100():
    assert sum(m.WEIGHTS.values()) == 100


def test_a_perfect_fit_scores_100():
    result = m.score(profile(skills={PY: "expert", TORCH: "expert", RAG: "expert"}), role())
    assert result.score == 100
    assert result.factors == m.WEIGHTS


def test_explanation_lists_skills_and_factors_that_sum_to_the_score():
    result = m.score(profile(), role(required={PY, TORCH, K8S}))
    assert result.matched_required == [PY, TORCH]
    assert result.missing_required == [K8S]
    assert result.matched_nice == []
    # skills: 11 * (5 + 4) / 3 = 33; nice 0; industry 10; workplace 10; seniority 10; salary 5
    assert result.factors == {
        "skills": 33,
        "nice": 0,
        "industry": 10,
        "workplace": 10,
        "seniority": 10,
        "salary": 5,
    }
    assert result.score == 68 == sum(result.factors.values())


def test_factors_sum_to_the_score_when_rounding():
    # skills 11 * 2 / 3 = 7.33, nice 2 * 2 / 1 = 4, seniority unknown 5, salary unknown 2.5
    result = m.score(
        profile(skills={PY: "learning", RAG: "learning"}, seniority="", salary_floor=None),
        role(required={PY, TORCH, K8S}),
    )
    assert result.total == pytest.approx(7.333 + 4 + 10 + 10 + 5 + 2.5, abs=0.01)
    assert result.score == 39 == sum(result.factors.values())


@pytest.mark.parametrize(
    ("level", "skills_points"), [("learning", 22), ("working", 44), ("expert", 55)]
)
def test_required_coverage_is_weighted_by_level(level, skills_points):
    result = m.score(profile(skills={PY: level}), role(required={PY}, nice=set()))
    assert result.factors["skills"] == skills_points


def test_a_role_with_only_nice_to_have_skills_treats_them_as_required():
    vector = role(required=set(), nice={PY, RAG})
    assert vector.required == {PY, RAG} and vector.nice == frozenset()
    assert m.score(profile(), vector).matched_required == [PY]


@pytest.mark.parametrize(
    ("profile_kwargs", "role_kwargs", "reason"),
    [
        ({"skills": {K8S: "expert"}}, {}, "no_skill_overlap"),
        (
            {"needs_worldwide": True},
            {"worldwide": False, "applicant_countries": {"DE"}},
            "not_worldwide",
        ),
        (
            {"needs_worldwide": True},
            {"workplace": "onsite", "worldwide": False, "country": "DE"},
            "not_worldwide",
        ),
        (
            {"workplace_preference": "remote_only"},
            {"workplace": "onsite", "worldwide": False, "country": "US"},
            "other_country",
        ),
        (
            {"workplace_preference": "onsite_ok"},
            {"workplace": "hybrid", "worldwide": False, "country": "US"},
            "other_country",
        ),
        (
            {"country": ""},
            {"workplace": "onsite", "worldwide": False, "country": "US"},
            "other_country",
        ),
        ({}, {"worldwide": False, "applicant_countries": {"US", "CA"}}, "country_not_eligible"),
        ({}, {"salary_ceiling": 80_000}, "salary_below_floor"),
    ],
)
def test_hard_mismatches_are_excluded(profile_kwargs, role_kwargs, reason):
    p, r = profile(**profile_kwargs), role(**role_kwargs)
    assert m.exclusion(p, r) == reason
    assert m.score(p, r) is None


def test_salary_in_another_currency_is_not_excluded_only_unknown():
    result = m.score(profile(), role(salary_ceiling=50_000, salary_currency="USD"))
    assert result is not None
    assert result.factors["salary"] in (2, 3)  # 2.5 points, apportioned


def test_an_onsite_role_in_the_developers_country_is_scored_by_preference():
    onsite = role(workplace="onsite", worldwide=False, country="DE")
    assert m.score(profile(workplace_preference="onsite_ok"), onsite).factors["workplace"] == 10
    assert m.score(profile(workplace_preference="hybrid_ok"), onsite).factors["workplace"] == 4
    assert m.score(profile(workplace_preference="remote_only"), onsite).factors["workplace"] == 0


def test_a_remote_role_open_to_the_developers_country_is_a_full_fit():
    listed = role(worldwide=False, applicant_countries={"DE", "FR"})
    unsure = role(worldwide=False)
    assert m.score(profile(), listed).factors["workplace"] == 10
    assert m.score(profile(), unsure).factors["workplace"] == 8


@pytest.mark.parametrize(
    ("mine", "theirs", "points"),
    [("senior", "senior", 10), ("mid", "senior", 5), ("junior", "lead", 0), ("", "lead", 5)],
)
def test_seniority_fit_follows_the_distance(mine, theirs, points):
    assert m.score(profile(seniority=mine), role(seniority=theirs)).factors["seniority"] == points


def test_industry_preference():
    assert (
        m.score(profile(industry_ids=frozenset({3})), role(industry_id=3)).factors["industry"] == 10
    )
    assert (
        m.score(profile(industry_ids=frozenset({3})), role(industry_id=4)).factors["industry"] == 0
    )
    assert (
        m.score(profile(industry_ids=frozenset({3})), role(industry_id=None)).factors["industry"]
        == 5
    )
    assert m.score(profile(), role(industry_id=4)).factors["industry"] == 10


def test_apportion_keeps_the_total():
    points = {"a": 1.4, "b": 1.4, "c": 1.2}
    assert sum(m.apportion(points, 4).values()) == 4

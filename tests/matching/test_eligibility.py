"""Search's country filter and matching give the same answer for the same role and developer."""

from __future__ import annotations

import pytest
from django.http import QueryDict
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from opportunities.matching import load
from opportunities.matching import scoring as m
from opportunities.matching.index import ProfileIndex, RoleIndex
from opportunities.models import Role, RoleSkill
from opportunities.search.filters import RoleFilterSet
from opportunities.vocabulary import open_to_country
from tests import factories

pytestmark = pytest.mark.django_db

CODES = ["DE", "US", "IN"]
SKILL_ID = 1


@st.composite
def role_values(draw) -> dict:
    workplace = draw(st.sampled_from(["remote", "hybrid", "onsite"]))
    excluded = draw(st.lists(st.sampled_from(CODES), max_size=1, unique=True))
    return {
        "workplace": workplace,
        "worldwide": workplace == "remote" and draw(st.booleans()),
        "country": draw(st.sampled_from(["", *CODES])),
        "applicant_countries": draw(st.lists(st.sampled_from(CODES), max_size=2, unique=True)),
        "excluded_countries": excluded,
    }


def _searched(code: str) -> set[int]:
    return set(
        RoleFilterSet(QueryDict(f"country={code}")).qs_without().values_list("pk", flat=True)
    )


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.lists(role_values(), min_size=1, max_size=8), st.sampled_from(CODES))
def test_search_and_matching_agree_for_random_roles_and_developers(db, values, code):
    skill = factories.SkillFactory()
    company = factories.CompanyFactory()
    stored = [factories.RoleFactory(company=company, **fields) for fields in values]
    RoleSkill.objects.bulk_create(
        RoleSkill(role=role, skill=skill, kind=RoleSkill.Kind.REQUIRED) for role in stored
    )
    developer = m.ProfileVector(id=1, skills={skill.pk: "expert"}, country=code)
    vectors = load.role_vectors([role.pk for role in stored])
    searched = _searched(code)
    by_index = {rid for rid, _ in load.load_role_index().top_for_profile(developer, k=50, floor=0)}
    profiles = ProfileIndex([developer])
    for role, fields in zip(stored, values, strict=True):
        expected = open_to_country(code, **fields)
        assert (role.pk in searched) is expected, fields
        assert (m.exclusion(developer, vectors[role.pk]) is None) is expected, fields
        assert (role.pk in by_index) is expected, fields
        ids, _ = profiles.score_role(vectors[role.pk])
        assert (1 in ids.tolist()) is expected, fields
    Role.objects.filter(pk__in=[role.pk for role in stored]).delete()


def test_a_country_the_company_cannot_hire_in_is_closed_everywhere(make_role, skills):
    role = make_role([skills[0]], workplace="remote", worldwide=False, excluded_countries=["US"])
    other = make_role([skills[0]], workplace="remote", worldwide=False)
    assert _searched("US") == {other.pk}
    assert _searched("DE") == {role.pk, other.pk}
    in_us = m.ProfileVector(id=1, skills={skills[0].pk: "expert"}, country="US")
    vector = load.role_vectors([role.pk])[role.pk]
    assert m.exclusion(in_us, vector) == "country_excluded"
    assert RoleIndex([vector]).top_for_profile(in_us, k=5, floor=0) == []


def test_a_remote_role_for_one_country_is_closed_to_developers_elsewhere(make_role, skills):
    role = make_role([skills[0]], workplace="remote", worldwide=False, applicant_countries=["CA"])
    assert _searched("CA") == {role.pk}
    assert _searched("US") == set()
    in_us = m.ProfileVector(id=1, skills={skills[0].pk: "expert"}, country="US")
    assert m.exclusion(in_us, load.role_vectors([role.pk])[role.pk]) == "country_not_eligible"

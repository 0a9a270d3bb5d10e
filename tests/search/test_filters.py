"""RoleFilterSet: each public parameter with real rows, and invalid values in plain words."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.http import QueryDict
from django.utils import timezone

from opportunities.models import Role
from opportunities.search.filters import RoleFilterSet
from tests import factories


def titles(params: str | dict) -> set[str]:
    data = QueryDict(params) if isinstance(params, str) else params
    return set(RoleFilterSet(data).qs_without().values_list("title", flat=True))


def errors(params: str) -> dict[str, list[str]]:
    filterset = RoleFilterSet(QueryDict(params))
    filterset.qs_without()
    return {name: list(messages) for name, messages in filterset.form.errors.items()}


@pytest.fixture
def board(db):
    health = factories.IndustryFactory(name="Healthcare", slug="healthcare")
    finance = factories.IndustryFactory(name="Finance", slug="finance")
    pytorch = factories.SkillFactory(name="PyTorch", slug="pytorch")
    rag = factories.SkillFactory(name="RAG", slug="rag")
    acme = factories.CompanyFactory(name="Acme", slug="acme")
    now = timezone.now()
    factories.RoleFactory(
        title="Clinical NLP",
        industry=health,
        company=acme,
        workplace="remote",
        worldwide=True,
        seniority="senior",
        salary_yearly_min=150_000,
        salary_yearly_max=190_000,
        visa_sponsorship=True,
        skills=[pytorch, rag],
    )
    factories.RoleFactory(
        title="Quant ML",
        industry=finance,
        workplace="onsite",
        country="GB",
        seniority="mid",
        employment_type="contract",
        salary_yearly_min=90_000,
        salary_yearly_max=110_000,
        posted_at=now - timedelta(days=20),
        skills=[pytorch],
    )
    factories.RoleFactory(
        title="Remote EU Engineer",
        industry=finance,
        workplace="remote",
        country="NL",
        applicant_countries=["DE", "NL"],
        seniority="junior",
        skills=[rag],
    )
    factories.RoleFactory(title="Draft role", status=Role.Status.DRAFT)
    factories.RoleFactory(title="Expired role", expires_at=now - timedelta(days=1))
    return {"health": health, "finance": finance, "pytorch": pytorch, "acme": acme}


ALL_OPEN = {"Clinical NLP", "Quant ML", "Remote EU Engineer"}


def test_no_parameters_lists_only_open_roles(board):
    assert titles("") == ALL_OPEN


def test_q_searches_title(board):
    assert titles("q=clinical") == {"Clinical NLP"}


def test_industry_is_repeatable(board):
    assert titles("industry=finance") == {"Quant ML", "Remote EU Engineer"}
    assert titles("industry=finance&industry=healthcare") == ALL_OPEN


def test_skill_all_and_any(board):
    assert titles("skill=pytorch&skill=rag") == {"Clinical NLP"}
    assert titles("skill=pytorch&skill=rag&skills=any") == ALL_OPEN
    assert titles("skill=rag") == {"Clinical NLP", "Remote EU Engineer"}


def test_workplace_and_worldwide(board):
    assert titles("workplace=onsite") == {"Quant ML"}
    assert titles("workplace=remote&workplace=onsite") == ALL_OPEN
    assert titles("worldwide=1") == {"Clinical NLP"}


def test_country_means_based_there_or_open_to_it(board):
    assert titles("country=gb") == {"Quant ML", "Clinical NLP"}
    assert titles("country=DE") == {"Remote EU Engineer", "Clinical NLP"}


def test_employment_and_seniority(board):
    assert titles("employment=contract") == {"Quant ML"}
    assert titles("seniority=senior&seniority=junior") == {"Clinical NLP", "Remote EU Engineer"}


def test_salary_min_uses_the_yearly_range(board):
    assert titles("salary_min=150000") == {"Clinical NLP"}
    assert titles("salary_min=120k") == {"Clinical NLP"}
    assert titles("salary_min=100000&include_unsalaried=1") == {
        "Clinical NLP",
        "Quant ML",
        "Remote EU Engineer",
    }


def test_visa_posted_within_and_company(board):
    assert titles("visa=1") == {"Clinical NLP"}
    assert titles("posted_within=7") == {"Clinical NLP", "Remote EU Engineer"}
    assert titles("company=acme") == {"Clinical NLP"}


def test_a_plain_dict_works_like_a_query_string(board):
    assert titles({"industry": ["finance"], "workplace": "remote"}) == {"Remote EU Engineer"}


def test_unknown_industry_keeps_the_known_one_and_says_so(board):
    assert titles("industry=finance&industry=space") == {"Quant ML", "Remote EU Engineer"}
    assert errors("industry=finance&industry=space") == {
        "industry": ["We don't know the industry “space”, so it was left out."]
    }


@pytest.mark.parametrize(
    ("params", "field", "words"),
    [
        ("salary_min=abc", "salary_min", "as a number"),
        ("salary_min=-5", "salary_min", "can't be negative"),
        ("posted_within=-3", "posted_within", "from 1 to 365"),
        ("country=ZZZ", "country", "isn't a country code"),
        ("sort=bogus", "sort", "relevance, newest or salary"),
        ("skills=some", "skills", "all or any"),
        ("page=abc", "page", "whole number"),
        ("worldwide=maybe", "worldwide", "Use 1"),
        ("company=nobody", "company", "don't know the company"),
        ("workplace=moon", "workplace", "don't know the workplace"),
    ],
)
def test_invalid_values_are_ignored_with_a_message(board, params, field, words):
    assert titles(params) == ALL_OPEN
    assert words in " ".join(errors(params)[field])

"""The search page's card and facet tags write what the shared templates write."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils import timezone

from opportunities.models import Role, RoleSkill
from opportunities.search import FacetOption
from opportunities.search.cards import role_cards
from opportunities.templatetags.search_page import facet_checkboxes, role_card_html
from tests import factories


def template_card(role_id: int, highlighted: set[str]) -> str:
    """The card as templates/opportunities/_role_card.html renders it on the home page."""
    role = (
        Role.objects.select_related("company", "industry")
        .prefetch_related(
            Prefetch(
                "role_skills",
                queryset=RoleSkill.objects.select_related("skill").order_by("kind", "skill__name"),
            )
        )
        .get(pk=role_id)
    )
    return render_to_string(
        "opportunities/_role_card.html", {"role": role, "highlighted_skills": highlighted}
    )


@pytest.fixture
def skills(db):
    names = [
        "PyTorch",
        "RAG",
        "JAX",
        "Kubernetes",
        "AWS",
        "Rust",
        "Go",
        "SQL",
        "Ray",
        "C++ & <CUDA>",
    ]
    return [factories.SkillFactory(name=name) for name in names]


def posted(**ago) -> object:
    return timezone.now() - timedelta(**ago)


@pytest.mark.parametrize(
    "fields",
    [
        # Everything a card can show, with markup-like text that must be escaped.
        {
            "title": 'Senior "LLM" Engineer <Evals> & Safety',
            "company__verified": True,
            "workplace": "remote",
            "worldwide": True,
            "seniority": "senior",
            "visa_sponsorship": True,
            "city": "Berlin",
            "region": "BE",
            "country": "DE",
            "salary_min": 120_000,
            "salary_max": 150_000,
            "salary_currency": "EUR",
            "posted_at": posted(days=3, hours=2, minutes=30),
        },
        # Nothing optional: no industry, place, salary, date or seniority.
        {
            "industry": None,
            "workplace": "onsite",
            "seniority": "",
            "posted_at": None,
            "slug": "",
        },
        {"salary_min": 90_000, "salary_period": "month", "posted_at": posted(minutes=5)},
        {"salary_max": 60, "salary_currency": "USD", "salary_period": "hour"},
        {"salary_min": 80_000, "salary_max": 80_000, "salary_currency": "GBP"},
    ],
)
@pytest.mark.parametrize("skill_count", [0, 3, 10])
def test_card_tag_writes_the_role_card_template(db, skills, fields, skill_count):
    company = factories.CompanyFactory(
        name="Acme & <Sons>", verified=fields.pop("company__verified", False)
    )
    role = factories.RoleFactory(company=company, **fields)
    for n, skill in enumerate(skills[:skill_count]):
        kind = RoleSkill.Kind.NICE if n % 3 == 0 else RoleSkill.Kind.REQUIRED
        RoleSkill.objects.create(role=role, skill=skill, kind=kind)
    highlighted = {skills[0].slug, skills[4].slug}

    [card] = role_cards([role.pk])

    assert role_card_html(card, highlighted) == template_card(role.pk, highlighted)
    assert card.url == role.get_absolute_url()


def test_cards_come_in_the_order_asked_and_skip_missing_roles(db):
    first, second = factories.RoleFactory(title="First"), factories.RoleFactory(title="Second")
    cards = role_cards([second.pk, 999_999, first.pk])
    assert [card.title for card in cards] == ["Second", "First"]


def test_cards_carry_the_salary_sort_key(db):
    role = factories.RoleFactory(salary_yearly_min=90_000, salary_yearly_max=None)
    unsalaried = factories.RoleFactory()
    cards = {card.pk: card for card in role_cards([role.pk, unsalaried.pk])}
    assert cards[role.pk].salary_top == 90_000
    assert cards[unsalaried.pk].salary_top == 0


def test_facet_checkboxes_write_labelled_checkboxes():
    html = facet_checkboxes(
        [
            FacetOption("healthcare", "Health & <Care>", 1200, True),
            FacetOption("finance", "Finance", 3, False),
        ],
        "industry",
        about=True,
    )
    assert (
        '<input type="checkbox" name="industry" value="healthcare" id="f-industry-healthcare"'
        " checked>" in html
    )
    assert (
        '<label for="f-industry-healthcare">Health &amp; &lt;Care&gt; '
        '<span class="facet-count">about 1,200</span></label>' in html
    )
    assert 'id="f-industry-finance">' in html

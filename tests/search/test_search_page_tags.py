"""Tests for opportunities.templatetags.search_page: role cards (the Jinja2 template), the salary
filter and facet checkboxes."""

from __future__ import annotations

from datetime import datetime, timedelta
from html.parser import HTMLParser

import pytest
from django.utils import timezone

from opportunities.models import Role, RoleSkill
from opportunities.search import FacetOption
from opportunities.search.cards import role_cards
from opportunities.templatetags.search_page import facet_checkboxes, role_cards_html
from tests import factories

HIDDEN_HIT = "(in your search)"


class _Element:
    def __init__(self, tag: str, attrs: dict[str, str | None]) -> None:
        self.tag, self.attrs = tag, attrs
        self.children: list[_Element] = []
        self.parts: list[str] = []

    @property
    def classes(self) -> list[str]:
        return (self.attrs.get("class") or "").split()

    @property
    def text(self) -> str:
        """The text a reader gets, screen-reader-only text included, whitespace collapsed."""
        return " ".join("".join(self.parts).split())

    def find_all(self, css_class: str) -> list[_Element]:
        found = []
        for child in self.children:
            if css_class in child.classes:
                found.append(child)
            found.extend(child.find_all(css_class))
        return found

    def find(self, css_class: str) -> _Element | None:
        found = self.find_all(css_class)
        assert len(found) <= 1, f"more than one .{css_class}"
        return found[0] if found else None

    def first(self, tag: str) -> _Element | None:
        for child in self.children:
            if child.tag == tag:
                return child
            if (found := child.first(tag)) is not None:
                return found
        return None


class _Tree(HTMLParser):
    """The card's HTML read the way a browser would: elements, attributes, unescaped text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = _Element("root", {})
        self.open = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = _Element(tag, dict(attrs))
        self.open[-1].children.append(element)
        self.open.append(element)

    def handle_endtag(self, tag: str) -> None:
        assert self.open[-1].tag == tag, f"</{tag}> closes <{self.open[-1].tag}>"
        self.open.pop()

    def handle_data(self, data: str) -> None:
        for element in self.open:
            element.parts.append(data)


def shown(html: str) -> _Element:
    tree = _Tree()
    tree.feed(html)
    tree.close()
    assert tree.open == [tree.root], "an element is left open"
    [article] = tree.root.children
    assert article.tag == "article"
    return article


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


def make_role(fields: dict, ago: timedelta | None, verified: bool = False) -> Role:
    company = factories.CompanyFactory(name="Acme & <Sons>", verified=verified)
    industry = factories.IndustryFactory(name="Health & <Care>")
    posted_at = timezone.now() - ago if ago is not None else None
    return factories.RoleFactory(
        **{"company": company, "industry": industry, "posted_at": posted_at, **fields}
    )


def card_for(role: Role, highlighted: frozenset[str] = frozenset()) -> str:
    [card] = role_cards([role.pk])
    return role_cards_html([card], highlighted)


ROLES = [
    pytest.param(
        {
            "title": 'Senior "LLM" Engineer <Evals> & Safety',
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
        },
        timedelta(days=3, hours=2, minutes=30),
        True,
        {
            "badges": ["Health & <Care>", "Remote", "Worldwide", "Senior", "Visa sponsorship"],
            "workplace": "badge-remote",
            "meta": ["Berlin, BE, DE", "EUR 120,000\u2013150,000 per year"],
            "posted": ["Posted 3 days, 2 hours ago"],
        },
        id="everything",
    ),
    pytest.param(
        {"industry": None, "workplace": "onsite", "seniority": "", "slug": ""},
        None,
        False,
        {"badges": ["On-site"], "workplace": "badge-onsite", "meta": [], "posted": []},
        id="nothing-optional",
    ),
    pytest.param(
        {"salary_min": 90_000, "salary_period": "month", "workplace": "hybrid"},
        timedelta(minutes=5),
        False,
        {
            "badges": ["Health & <Care>", "Hybrid"],
            "workplace": "badge-hybrid",
            "meta": ["90,000+ per month"],
            "posted": ["Posted 5 minutes ago"],
        },
        id="salary-from",
    ),
    pytest.param(
        {"salary_max": 60, "salary_currency": "USD", "salary_period": "hour", "country": "US"},
        timedelta(days=40),
        False,
        {
            "badges": ["Health & <Care>", "Remote"],
            "workplace": "badge-remote",
            "meta": ["US", "up to USD 60 per hour"],
            "posted": ["Posted 1 month, 1 week ago"],
        },
        id="salary-up-to",
    ),
    pytest.param(
        {"salary_min": 80_000, "salary_max": 80_000, "salary_currency": "GBP"},
        timedelta(hours=1),
        False,
        {
            "badges": ["Health & <Care>", "Remote"],
            "workplace": "badge-remote",
            "meta": ["GBP 80,000 per year"],
            "posted": ["Posted 1 hour ago"],
        },
        id="salary-exact",
    ),
]


@pytest.mark.parametrize(("fields", "ago", "verified", "expected"), ROLES)
def test_card_shows_the_role(db, fields, ago, verified, expected):
    role = make_role(fields, ago, verified)

    card = shown(card_for(role))

    title = card.find("role-title").first("a")
    assert title.text == role.title
    assert title.attrs["href"] == role.get_absolute_url()
    company = card.find("role-company").first("a")
    assert company.text == "Acme & <Sons>"
    assert company.attrs["href"] == role.company.get_absolute_url()
    assert [badge.text for badge in card.find_all("badge")] == expected["badges"]
    [workplace] = card.find_all(expected["workplace"])
    assert workplace.text == role.get_workplace_display()
    spans = card.find("role-meta").children
    assert [span.text for span in spans if span.first("time") is None] == expected["meta"]
    dated = [span for span in spans if span.first("time") is not None]
    assert [span.text for span in dated] == expected["posted"]
    for span in dated:
        assert datetime.fromisoformat(span.first("time").attrs["datetime"]) == role.posted_at


@pytest.mark.parametrize(("fields", "ago", "verified", "expected"), ROLES)
def test_card_marks_a_verified_company_only(db, fields, ago, verified, expected):
    mark = shown(card_for(make_role(fields, ago, verified))).find("verified")

    if verified:
        assert mark.attrs["title"] == "Verified company"
        assert mark.text == "\u2714 verified"
        assert mark.find("visually-hidden").text == "verified"
    else:
        assert mark is None


def test_card_escapes_text_from_the_database(db):
    html = card_for(make_role({"title": 'Senior "LLM" Engineer <Evals> & Safety'}, None))

    assert "Senior &quot;LLM&quot; Engineer &lt;Evals&gt; &amp; Safety" in html
    assert "Acme &amp; &lt;Sons&gt;" in html
    assert "Health &amp; &lt;Care&gt;" in html
    assert "<Evals>" not in html and "<Sons>" not in html and "<Care>" not in html


def test_card_escapes_quotes_as_the_rest_of_the_page_does(db):
    html = card_for(make_role({"title": 'Women\'s "Health" AI'}, None))

    assert "Women&#x27;s &quot;Health&quot; AI" in html


def test_cards_of_a_page_come_one_after_the_other(db):
    first, second = factories.RoleFactory(title="First"), factories.RoleFactory(title="Second")
    html = role_cards_html(role_cards([second.pk, first.pk]))

    assert html.count('<article class="card role-card">') == 2
    assert html.index("Second") < html.index("First")
    assert html.endswith("</article>\n")


@pytest.mark.parametrize(
    "fields",
    [
        {"salary_min": 120_000, "salary_max": 150_000, "salary_currency": "EUR"},
        {"salary_min": 90_000, "salary_period": "month", "salary_currency": "<$>"},
        {"salary_max": 60, "salary_currency": "USD", "salary_period": "hour"},
        {"salary_min": 80_000, "salary_max": 80_000, "salary_currency": "GBP"},
    ],
)
def test_role_page_and_card_write_the_salary_in_the_same_words(client, db, fields):
    role = factories.RoleFactory(**fields)

    page = shown_page(client.get(role.get_absolute_url()).content.decode())
    [salary] = [
        text for text in shown(card_for(role)).find("role-meta").children if "per" in text.text
    ]

    assert salary.text in page


def shown_page(html: str) -> str:
    """The page's text as a reader gets it, whitespace collapsed."""
    parts: list[str] = []
    parser = HTMLParser(convert_charrefs=True)
    parser.handle_data = parts.append
    parser.feed(html)
    return " ".join("".join(parts).split())


def test_card_dates_the_posting_in_the_current_time_zone(db):
    role = make_role({}, timedelta(days=2))

    with timezone.override("Asia/Kolkata"):
        time = shown(card_for(role)).find("role-meta").first("time")

    assert time.attrs["datetime"].endswith("+05:30")
    assert datetime.fromisoformat(time.attrs["datetime"]) == role.posted_at
    assert time.text == "2 days ago"


def add_skills(role: Role, skills) -> None:
    """Every third skill, starting with the first, is nice to have; the others are required."""
    for n, skill in enumerate(skills):
        kind = RoleSkill.Kind.NICE if n % 3 == 0 else RoleSkill.Kind.REQUIRED
        RoleSkill.objects.create(role=role, skill=skill, kind=kind)


@pytest.mark.parametrize(
    ("skill_count", "expected", "more"),
    [
        pytest.param(
            3,
            # Required, then nice to have, each by name; highlighted: PyTorch and AWS.
            [
                ("JAX", set()),
                ("RAG", set()),
                ("PyTorch (in your search)", {"skill-nice", "skill-hit"}),
            ],
            None,
            id="3-skills",
        ),
        pytest.param(
            8,
            [
                ("AWS (in your search)", {"skill-hit"}),
                ("JAX", set()),
                ("RAG", set()),
                ("Rust", set()),
                ("SQL", set()),
                ("Go", {"skill-nice"}),
                ("Kubernetes", {"skill-nice"}),
                ("PyTorch (in your search)", {"skill-nice", "skill-hit"}),
            ],
            None,
            id="8-skills",
        ),
        pytest.param(
            9,
            [
                ("AWS (in your search)", {"skill-hit"}),
                ("JAX", set()),
                ("RAG", set()),
                ("Ray", set()),
                ("Rust", set()),
                ("SQL", set()),
                ("Go", {"skill-nice"}),
                ("Kubernetes", {"skill-nice"}),
            ],
            "+1 more",
            id="9-skills",
        ),
        pytest.param(
            10,
            [
                ("AWS (in your search)", {"skill-hit"}),
                ("JAX", set()),
                ("RAG", set()),
                ("Ray", set()),
                ("Rust", set()),
                ("SQL", set()),
                ("C++ & <CUDA>", {"skill-nice"}),
                ("Go", {"skill-nice"}),
            ],
            "+2 more",
            id="10-skills",
        ),
    ],
)
@pytest.mark.parametrize(("fields", "ago", "verified", "_expected"), ROLES)
def test_card_lists_skills_and_marks_the_searched_ones(
    db, skills, fields, ago, verified, _expected, skill_count, expected, more
):
    role = make_role(fields, ago, verified)
    add_skills(role, skills[:skill_count])
    highlighted = frozenset({skills[0].slug, skills[4].slug})

    card = shown(card_for(role, highlighted))

    listed = card.find("skills")
    assert listed.attrs["aria-label"] == "Skills"
    items = [item for item in listed.children if "skill-more" not in item.classes]
    assert [(item.text, set(item.classes) - {"skill"}) for item in items] == expected
    for item in items:
        hidden = item.find("visually-hidden")
        assert (hidden.text if hidden else None) == (
            HIDDEN_HIT if "skill-hit" in item.classes else None
        )
    assert [item.text for item in listed.children if "skill-more" in item.classes] == (
        [more] if more else []
    )


@pytest.mark.parametrize(("fields", "ago", "verified", "_expected"), ROLES)
def test_card_without_skills_has_no_skill_list(db, fields, ago, verified, _expected):
    card = shown(card_for(make_role(fields, ago, verified), frozenset({"pytorch"})))

    assert card.find("skills") is None
    assert card.find("skill") is None


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

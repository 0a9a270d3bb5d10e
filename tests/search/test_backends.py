"""Search backends: web-search syntax, ranking, and the stored vectors kept up to date."""

from __future__ import annotations

import pytest
from django.db import connection

from opportunities.catalog.skill_columns import role_skill_columns, roles_reindex
from opportunities.models import Role, RoleSkill
from opportunities.search.backends import get_backend, parse_websearch
from opportunities.search.backends.base import symbol_names_spelled
from tests import factories

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the stored vectors and trigger are PostgreSQL-only"
)


def search(text: str) -> list[str]:
    backend = get_backend()
    matches = backend.match(Role.objects.open(), text)
    return list(backend.rank(matches, text).values_list("title", flat=True))


def test_parse_websearch_reads_phrases_exclusions_and_or():
    parsed = parse_websearch('"computer vision" -finance pytorch OR jax "unclosed')
    assert parsed.groups == [["computer vision"], ["pytorch", "jax"], ["unclosed"]]
    assert parsed.excluded == ["finance"]


def test_parse_websearch_of_punctuation_only_has_nothing_to_search():
    assert parse_websearch('- "" OR').groups == []


@pytest.fixture
def roles(db):
    pytorch = factories.SkillFactory(name="PyTorch", slug="pytorch")
    finance = factories.IndustryFactory(name="Finance", slug="finance")
    factories.RoleFactory(
        title="Computer Vision Engineer",
        description="<p>Inspect parts on the line with cameras.</p>",
        skills=[pytorch],
    )
    factories.RoleFactory(
        title="Quant Researcher",
        industry=finance,
        description="<p>Computer vision for finance charts, in PyTorch.</p>",
    )
    factories.RoleFactory(
        title="Data Engineer", description="<p>Pipelines; computer vision is a plus.</p>"
    )
    factories.RoleFactory(title="Vision Pro Developer", description="<p>Apps.</p>")


def test_websearch_phrase_exclusion_and_term(roles):
    assert search('"computer vision" -finance pytorch') == ["Computer Vision Engineer"]


def test_websearch_or(roles):
    assert set(search("quant OR pipelines")) == {"Quant Researcher", "Data Engineer"}


def test_phrase_needs_the_words_together(roles):
    assert "Vision Pro Developer" not in search('"computer vision"')


def test_title_hit_ranks_above_description_hit(roles):
    ranked = search('"computer vision"')
    assert ranked[0] == "Computer Vision Engineer"
    assert set(ranked[1:]) == {"Quant Researcher", "Data Engineer"}


def test_skill_and_company_are_searched(db):
    skill = factories.SkillFactory(name="LangChain", slug="langchain")
    company = factories.CompanyFactory(name="Zebra Labs", slug="zebra-labs")
    factories.RoleFactory(title="Agent Engineer", skills=[skill])
    factories.RoleFactory(title="Platform Engineer", company=company)
    assert search("langchain") == ["Agent Engineer"]
    assert search("zebra") == ["Platform Engineer"]


def test_roles_reindex_mirrors_role_skills(db):
    role = factories.RoleFactory(title="Engineer")
    skills = [factories.SkillFactory(name="JAX", slug="jax"), factories.SkillFactory(name="Go")]
    RoleSkill.objects.bulk_create([RoleSkill(role=role, skill=skill) for skill in skills])
    assert roles_reindex(role_ids=[role.pk]) == 1
    role.refresh_from_db()
    assert role.skill_ids == sorted(skill.pk for skill in skills)
    assert role.skill_text == "Go JAX"
    assert roles_reindex(role_ids=[role.pk]) == 0
    assert role_skill_columns(skills) == {"skill_ids": role.skill_ids, "skill_text": "Go JAX"}


@postgres_only
def test_vector_is_computed_on_save_and_follows_title_changes(db):
    role = factories.RoleFactory(title="Prompt Engineer")
    assert search("prompt") == ["Prompt Engineer"]
    role.title = "Speech Engineer"
    role.save()
    assert search("prompt") == []
    assert search("speech") == ["Speech Engineer"]


@postgres_only
def test_vector_is_computed_for_bulk_created_roles_and_skill_changes(db):
    company = factories.CompanyFactory(name="Bulk Co", slug="bulk-co")
    skill = factories.SkillFactory(name="Triton", slug="triton")
    created = Role.objects.bulk_create(
        [
            Role(
                title=f"Inference Engineer {n}",
                slug=f"inference-{n}",
                company=company,
                workplace="remote",
                status="published",
                **role_skill_columns([skill] if n == 0 else []),
            )
            for n in range(3)
        ]
    )
    assert len(search("inference")) == 3
    assert search("triton") == ["Inference Engineer 0"]
    RoleSkill.objects.create(role=created[1], skill=skill)
    roles_reindex(role_ids=[created[1].pk])
    assert set(search("triton")) == {"Inference Engineer 0", "Inference Engineer 1"}


@postgres_only
def test_company_rename_reaches_the_vector(db):
    company = factories.CompanyFactory(name="Old Name", slug="old-name")
    factories.RoleFactory(title="Engineer", company=company)
    company.name = "Heliotrope"
    company.save()
    assert search("heliotrope") == ["Engineer"]


@postgres_only
def test_query_of_only_stop_words_is_not_searchable(db):
    assert get_backend().is_searchable(Role.objects.all(), "the and") is False
    assert get_backend().is_searchable(Role.objects.all(), "pytorch") is True


@pytest.fixture
def punctuated(db):
    for title in (
        "Front-End Engineer",
        "Frontend Engineer",
        "Front End Engineer",
        "Mid/Senior ML Engineer",
        "Senior Data Scientist",
        "C++ Inference Engineer",
        "C# Tools Developer",
        ".NET Platform Developer",
        "Neural Net Researcher",
        "Node.js Backend Engineer",
        "Machine Learning Engineer",
        "PHP Developer",
    ):
        factories.RoleFactory(title=title, description="<p>Work on our product.</p>")


@pytest.mark.parametrize(
    "query, expected",
    [
        ("Front-End Engineer", {"Front-End Engineer", "Frontend Engineer", "Front End Engineer"}),
        ("Mid/Senior", {"Mid/Senior ML Engineer", "Senior Data Scientist"}),
        ("senior", {"Mid/Senior ML Engineer", "Senior Data Scientist"}),
        ("C++", {"C++ Inference Engineer"}),
        ("C#", {"C# Tools Developer"}),
        (".NET", {".NET Platform Developer"}),
        ("Node.js", {"Node.js Backend Engineer"}),
        ("machine-learning", {"Machine Learning Engineer"}),
        ("developer -php", {"C# Tools Developer", ".NET Platform Developer"}),
    ],
)
def test_punctuation_in_a_search_means_what_the_user_means(punctuated, query, expected):
    assert set(search(query)) == expected


def test_a_hyphen_inside_a_word_never_excludes():
    parsed = parse_websearch("front-end -php e-mail")
    assert parsed.excluded == ["php"]
    assert parsed.groups == [
        ["front-end", "front end", "frontend"],
        ["e-mail", "e mail", "email"],
    ]


@postgres_only
def test_nodejs_written_either_way_finds_the_same_roles(punctuated):
    assert search("nodejs") == search("Node.js") == ["Node.js Backend Engineer"]


@postgres_only
@pytest.mark.parametrize(
    "text",
    [
        "C++ and C# and F#, .NET 8 and ASP.NET, Node.js, Vue.js and next.js",
        "c++17, objective-c, c#-like, x.net, abc.jsx, .NETwork, #hashtag, 1+1",
        "Ruby/Rails, TCP/IP, https://acme.example/jobs/c++",
    ],
)
def test_the_trigger_spells_symbol_names_as_the_queries_do(db, text):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT to_tsvector('english', opportunities_search_text(%s)) = "
            "to_tsvector('english', %s)",
            [text, symbol_names_spelled(text)],
        )
        assert cursor.fetchone()[0] is True

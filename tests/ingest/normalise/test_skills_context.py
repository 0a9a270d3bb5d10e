"""Skill recognition defects seen on real postings, each against the shipped taxonomy: names
that are common words count in context, aliases that name something else do not fire, tags
are no evidence, set-aside sentences are skipped, and bullets keep their sections."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from opportunities.ingest.normalise.role import normalise
from opportunities.ingest.normalise.sanitise import html_to_lines
from opportunities.ingest.normalise.skills import SkillRecogniser, SkillTerms, skill_terms
from opportunities.ingest.parsers.records import RawRole
from tests import paths

TAXONOMY = json.loads((paths.ROOT / "opportunities" / "data" / "taxonomy.json").read_text())


@pytest.fixture(scope="module")
def recogniser() -> SkillRecogniser:
    return SkillRecogniser(skill_terms(TAXONOMY))


def _kinds(recogniser: SkillRecogniser, html: str) -> dict[str, str]:
    """What a posting with this description asks for, read as the ingest reads it."""
    return recogniser.recognise("", "\n".join(html_to_lines(html)))


# Names that are also ordinary words count when written as a name among other skills.
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("React, TypeScript, Python", {"react", "typescript", "python"}),
        ("We use Cursor and Claude Code every day.", {"cursor", "claude-code"}),
        ("Backend in Go and Rust on Kubernetes.", {"go", "rust", "kubernetes"}),
        ("Golang microservices", {"go"}),
        ("Batch jobs in Spark and Airflow", {"apache-spark", "airflow"}),
    ],
)
def test_ambiguous_names_count_among_other_skills(recogniser, text, expected):
    assert set(recogniser.find(text)) >= expected


@pytest.mark.parametrize(
    "text",
    [
        "Let's go! We react quickly and keep a cursor on costs.",
        "Our go to market plan will spark joy.",
        "The Go-live date is in March.",
        "Rust never sleeps.",  # capitalised, but no other skill anywhere near
    ],
)
def test_ambiguous_names_do_not_count_as_ordinary_words(recogniser, text):
    found = recogniser.find(text)
    assert not {"go", "react", "cursor", "apache-spark", "rust"} & set(found), found


def test_a_name_in_a_bulleted_list_of_skills_counts():
    recogniser = SkillRecogniser(
        [SkillTerms("rust", "Rust", match_name=False), SkillTerms("python", "Python")]
    )
    assert set(recogniser.find("Stack:\n- Rust\n- Python")) == {"rust", "python"}
    assert recogniser.find("Nice to have:\n- Rust") == {"rust": 1}
    assert recogniser.find("We will rust proof our cars. Rust Belt towns.") == {}


# An alias that names a different thing.
@pytest.mark.parametrize(
    "text",
    [
        "Send us your GitHub profile and a short note.",
        "Please include links to your GitHub account or portfolio.",
    ],
)
def test_a_profile_link_is_not_a_version_control_skill(recogniser, text):
    assert not {"git", "github"} & set(recogniser.find(text))


def test_git_and_its_hosting_services_are_told_apart(recogniser):
    found = recogniser.find("Comfortable with Git, GitHub Actions and GitLab CI.")
    assert {"git", "github-actions", "gitlab-ci"} <= set(found)


def test_sass_is_not_read_as_the_plural_of_sas(recogniser):
    assert set(recogniser.find("Frontend: Vue.js, Sass, Pug")) == {"vue-js", "sass"}


# Machine-made tags are no evidence.
def _role(description: str, tags: list[str]) -> RawRole:
    return RawRole(
        external_id="1",
        title="Account Executive",
        company="Acme",
        url="https://example.com/jobs/1",
        description_html=description,
        tags=tags,
        posted_at=datetime(2026, 3, 1, tzinfo=UTC),
    )


def test_tags_alone_add_no_skill(recogniser):
    role = normalise(
        _role("<p>Sell our product to enterprise customers.</p>", ["AI/ML", "Python", "LLM"]),
        skills=recogniser,
        now=datetime(2026, 3, 2, tzinfo=UTC),
    )
    assert role.skills == {}


def test_tags_never_make_a_skill_required(recogniser):
    role = normalise(
        _role("<h3>Nice to have</h3><ul><li>PyTorch</li></ul>", ["PyTorch", "Kubernetes"]),
        skills=recogniser,
        now=datetime(2026, 3, 2, tzinfo=UTC),
    )
    assert role.skills == {"pytorch": "nice"}


# Technologies nobody asks the applicant for.
@pytest.mark.parametrize(
    ("html", "asked"),
    [
        (
            "<p>Not your tech stack? Browse our Ruby, PHP and Java roles.</p>"
            "<h3>Requirements</h3><ul><li>Python</li></ul>",
            {"python"},
        ),
        ("<p>No PHP please. You will write Python.</p>", {"python"}),
        ("<p>We don't use Java. You will write Python.</p>", {"python"}),
        (
            "<p>Our founder previously built TensorFlow at Google.</p><p>You know Django.</p>",
            {"django"},
        ),
        (
            "<p>Our clients include Salesforce and Snowflake.</p><p>You write TypeScript.</p>",
            {"typescript"},
        ),
        (
            "<h3>About Acme</h3><p>Acme runs on Kafka, Spark and Scala.</p>"
            "<h3>What you bring</h3><ul><li>Python and SQL</li></ul>",
            {"python", "sql"},
        ),
    ],
)
def test_set_aside_sentences_ask_for_nothing(recogniser, html, asked):
    assert set(_kinds(recogniser, html)) == asked


def test_about_the_role_is_not_set_aside(recogniser):
    html = "<h3>About the role</h3><p>You will build Kafka pipelines in Python.</p>"
    assert set(_kinds(recogniser, html)) == {"apache-kafka", "python"}


# Bullets written as <li><p>…</p></li>.
def test_paragraph_bullets_under_nice_to_have_stay_nice(recogniser):
    html = (
        "<h3>Requirements</h3><ul><li><p>Python</p></li><li><p>PostgreSQL</p></li></ul>"
        "<p><strong>Nice to have:</strong></p><ul>"
        "<li><p>Experience running Kubernetes clusters for several of our busiest"
        " production services at a growing company</p></li>"
        "<li><p>Terraform</p></li></ul>"
    )
    assert _kinds(recogniser, html) == {
        "python": "required",
        "postgresql": "required",
        "kubernetes": "nice",
        "terraform": "nice",
    }


def test_a_preferred_aside_makes_only_its_own_words_nice(recogniser):
    html = (
        "<h3>Requirements</h3><ul>"
        "<li><p>Python (PyTorch preferred)</p></li><li><p>Docker</p></li>"
        "<li><p>Kubernetes</p></li></ul>"
    )
    assert _kinds(recogniser, html) == {
        "python": "required",
        "pytorch": "nice",
        "docker": "required",
        "kubernetes": "required",
    }


def test_a_bullet_that_says_plus_is_nice_and_the_next_is_not(recogniser):
    html = "<ul><li><p>Rust is a plus</p></li><li><p>Python and SQL</p></li></ul>"
    assert _kinds(recogniser, html) == {"rust": "nice", "python": "required", "sql": "required"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Nice to have:\n- Temporal", {"temporal"}),
        ("- Go, for our serving gateway", {"go"}),
        ("Bonus: experience with Ray", {"ray"}),
        ("Go is used for the control plane. Knowing Spark helps, and we use Kubernetes.", None),
    ],
)
def test_ambiguous_names_count_as_list_items_after_cues_and_mid_sentence(
    recogniser, text, expected
):
    found = set(recogniser.find(text))
    if expected is None:
        assert {"go", "apache-spark", "kubernetes"} <= found
    else:
        assert found == expected


def test_two_names_side_by_side_are_one_name(recogniser):
    found = recogniser.find("Spark Payments processes card payments for online shops.")
    assert "apache-spark" not in found


def test_lines_for_another_of_several_roles_are_set_aside(recogniser):
    text = (
        "Acme | Backend Engineer, Founding Engineer | Berlin\n"
        "Backend Engineer: Python, FastAPI and PostgreSQL.\n"
        "Founding Engineer: TypeScript and React on the front end."
    )
    assert set(recogniser.recognise("Backend Engineer", text)) == {
        "python",
        "fastapi",
        "postgresql",
    }
    assert set(recogniser.recognise("Founding Engineer", text)) == {"typescript", "react"}


def test_one_labelled_line_is_not_a_posting_for_several_roles(recogniser):
    text = "Platform Engineer: you will write Python and SQL every day."
    assert set(recogniser.recognise("Senior Analytics Engineer", text)) == {"python", "sql"}


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        (
            "<p>You write Python. Zendesk and Intercom admin experience helps.</p>",
            {"python": "required", "zendesk": "nice", "intercom": "nice"},
        ),
        (
            "<ul><li>Go services</li><li>PCI DSS experience is a strong plus</li></ul>",
            {"go": "required", "pci-dss": "nice"},
        ),
        (
            "<ul><li>Testing with Playwright (preferred)</li><li>GraphQL</li></ul>",
            {"playwright": "nice", "graphql": "required"},
        ),
        (
            "<p>Our platform helps teams ship Python.</p>",
            {"python": "required"},
        ),
    ],
)
def test_words_that_make_a_skill_optional(recogniser, html, expected):
    assert _kinds(recogniser, html) == expected


@pytest.mark.parametrize(
    ("html", "asked"),
    [
        ("<p>Perception in C++ and Python. We have no JavaScript anywhere.</p>", {"cpp", "python"}),
        (
            "<p>Spark on Databricks. We are migrating off Hadoop.</p>",
            {"apache-spark", "databricks"},
        ),
        (
            "<p>We build for clients such as two banks; their stacks include SAP and Java, which"
            " you will not touch.</p><p>Our stack: Vue.js and Laravel.</p>",
            {"vue-js", "laravel"},
        ),
        ("<p>Work with our ML scientists on embeddings.</p>", {"embeddings"}),
    ],
)
def test_more_stacks_nobody_asks_for(recogniser, html, asked):
    assert set(_kinds(recogniser, html)) == asked


def test_a_domain_in_the_title_is_the_business_not_a_skill(recogniser):
    assert recogniser.recognise("Senior Go Engineer, Payments API", "Golang services") == {
        "go": "required"
    }

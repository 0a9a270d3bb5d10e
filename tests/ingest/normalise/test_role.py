"""Tests for opportunities.ingest.normalise: RawRole -> NormalisedRole."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from opportunities.ingest.normalise.industries import IndustryRecogniser, best_industry
from opportunities.ingest.normalise.role import (
    NormaliseError,
    dedupe_key,
    normalise,
    similar,
    text_fingerprint,
)
from opportunities.ingest.normalise.skills import SkillRecogniser, SkillTerms
from opportunities.ingest.parsers.records import RawRole, RawSalary


@pytest.fixture(scope="module")
def skills() -> SkillRecogniser:
    return SkillRecogniser(
        [
            SkillTerms("python", "Python"),
            SkillTerms("pytorch", "PyTorch"),
            SkillTerms("jax", "JAX"),
            SkillTerms("kubernetes", "Kubernetes", ("k8s",)),
            SkillTerms("llm", "Large language models", ("LLM", "LLMs")),
            SkillTerms("rag", "Retrieval-augmented generation", ("RAG",)),
        ]
    )


@pytest.fixture(scope="module")
def industries() -> IndustryRecogniser:
    return IndustryRecogniser(
        [
            ("healthcare", ["hospital", "hospitals", "clinical", "patients", "clinicians"]),
            ("finance", ["bank", "banking", "payments", "trading"]),
        ]
    )


DESCRIPTION = """
<img src="https://cdn.example/logo.png">
<p onclick="track()">Acme builds <strong>LLM</strong> copilots for clinicians in 40 hospitals.
Our clinical agents help patients every day.</p>
<h3>Requirements</h3>
<ul><li>Python and PyTorch</li><li>Kubernetes in production</li>
<li>State space models like Mamba</li></ul>
<h3>Nice to have</h3>
<ul><li>JAX</li><li>Vector databases such as Pinecone</li></ul>
<script>alert("x")</script>
"""


def _raw(**changes) -> RawRole:
    values = {
        "external_id": "42",
        "title": "  Senior   ML Engineer ",
        "company": "Acme Health, Inc.",
        "url": "https://boards.example/acme/42",
        "apply_url": "https://boards.example/acme/42/apply",
        "description_html": DESCRIPTION,
        "locations": ["London, UK (Hybrid)"],
        "employment_type": "FULL_TIME",
        "tags": ["RAG", "LangGraph"],
        "salary": RawSalary(text="£90,000 - £120,000"),
        "posted_at": datetime(2026, 3, 1, 9, 30, tzinfo=timezone(timedelta(hours=2))),
    }
    values.update(changes)
    return RawRole(**values)


def test_normalise_fills_every_value(skills, industries):
    role = normalise(_raw(), skills=skills, industries=industries)

    assert role.external_id == "42"
    assert role.title == "Senior ML Engineer"
    assert role.company_name == "Acme Health, Inc."
    assert role.canonical_url == "https://boards.example/acme/42"
    assert role.apply_url == "https://boards.example/acme/42/apply"
    assert "<script" not in role.description_html
    assert "onclick" not in role.description_html
    assert "<img" not in role.description_html
    assert role.description_html.startswith("<p>Acme builds <strong>LLM</strong>")
    assert role.description_text.startswith("Acme builds LLM copilots for clinicians")
    assert "alert" not in role.description_text
    assert (role.workplace, role.city, role.country, role.worldwide) == (
        "hybrid",
        "London",
        "GB",
        False,
    )
    assert role.location_text == "London, UK (Hybrid)"
    assert (role.employment_type, role.seniority) == ("full_time", "senior")
    assert (role.salary_min, role.salary_max) == (Decimal(90000), Decimal(120000))
    assert (role.salary_currency, role.salary_period) == ("GBP", "year")
    assert (role.salary_yearly_min, role.salary_yearly_max) == (Decimal(90000), Decimal(120000))
    assert role.posted_at == datetime(2026, 3, 1, 7, 30, tzinfo=UTC)
    assert role.expires_at is None
    assert role.industry_slug is None  # the run guesses once per company, from these scores
    assert best_industry(role.industry_scores) == "healthcare"
    assert role.skills == {
        "jax": "nice",
        "kubernetes": "required",
        "llm": "required",
        "python": "required",
        "pytorch": "required",
    }
    assert set(role.unknown_terms) == {"LangGraph", "Mamba", "Pinecone"}
    assert role.dedupe_key == "acme health|senior ml engineer|london gb"
    assert len(role.text_fingerprint) == 256


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"title": "   "}, "empty title"),
        ({"title": ""}, "empty title"),
        ({"company": None}, "no company name"),
        ({"company": "  "}, "no company name"),
    ],
)
def test_unusable_items_raise_with_a_reason(skills, changes, reason):
    with pytest.raises(NormaliseError, match=reason):
        normalise(_raw(**changes), skills=skills)


def test_default_company_and_industry_fill_gaps(skills):
    role = normalise(
        _raw(company=None, description_html="<p>We build agents.</p>"),
        skills=skills,
        default_company="Board Co",
        default_industry="software",
    )

    assert (role.company_name, role.industry_slug) == ("Board Co", "software")


def test_a_sources_default_industry_wins_over_any_evidence(skills, industries):
    html = "<p>Clinical notes for patients in hospitals, for clinicians.</p>"

    role = normalise(
        _raw(description_html=html), skills=skills, industries=industries, default_industry="x"
    )

    assert (role.industry_slug, role.industry_scores) == ("x", {})


def test_a_salary_written_only_in_the_description_is_read(skills):
    html = "<p>We build agents.</p><p>Salary range: $130K - $146K, plus equity.</p>"

    role = normalise(_raw(description_html=html, salary=None), skills=skills)

    assert (role.salary_min, role.salary_max, role.salary_currency) == (130000, 146000, "USD")
    assert (role.salary_period, role.salary_yearly_max) == ("year", 146000)


def test_a_structured_salary_wins_over_the_description(skills):
    html = "<p>Salary range: $130K - $146K.</p>"

    role = normalise(_raw(description_html=html), skills=skills)

    assert (role.salary_min, role.salary_currency) == (90000, "GBP")


def test_long_titles_are_cut_to_the_column(skills):
    role = normalise(_raw(title="ML Engineer " * 40), skills=skills)

    assert len(role.title) <= 200
    assert role.title.startswith("ML Engineer ML Engineer")


def test_unsafe_links_are_dropped_and_apply_falls_back_to_the_posting(skills):
    role = normalise(
        _raw(apply_url="javascript:alert(1)", apply_email="not an email"), skills=skills
    )

    assert (role.apply_url, role.apply_email) == ("https://boards.example/acme/42", "")


def test_apply_email_accepts_mailto(skills):
    role = normalise(_raw(apply_url=None, apply_email="mailto:jobs@acme.example"), skills=skills)

    assert (role.apply_url, role.apply_email) == ("", "jobs@acme.example")


def test_naive_dates_are_taken_as_utc(skills):
    role = normalise(
        _raw(posted_at=datetime(2026, 3, 1, 9, 30), expires_at=datetime(2026, 4, 1)),
        skills=skills,
    )

    assert role.posted_at == datetime(2026, 3, 1, 9, 30, tzinfo=UTC)
    assert role.expires_at == datetime(2026, 4, 1, tzinfo=UTC)


def test_separate_sections_are_appended_to_the_description(skills):
    role = normalise(
        _raw(
            description_html="<p>We build agents.</p>",
            requirements_html="<ul><li>PyTorch</li></ul>",
            nice_to_have_html="<ul><li>JAX</li></ul>",
        ),
        skills=skills,
    )

    assert role.description_html == (
        "<p>We build agents.</p><h3>Requirements</h3><ul><li>PyTorch</li></ul>"
        "<h3>Nice to have</h3><ul><li>JAX</li></ul>"
    )
    assert role.description_text == "We build agents. Requirements PyTorch Nice to have JAX"
    # "RAG" is only in the source's tags, which are no evidence.
    assert role.skills == {"jax": "nice", "pytorch": "required"}


def test_remote_role_values(skills):
    role = normalise(
        _raw(locations=["Remote (US only)"], workplace="remote", salary=None), skills=skills
    )

    assert (role.workplace, role.worldwide, role.country, role.applicant_countries) == (
        "remote",
        False,
        "US",
        ["US"],
    )
    assert role.salary_min is None and role.salary_currency == "" and role.salary_period == ""


def test_the_same_posting_normalises_to_the_same_values(skills, industries):
    # The ingest service skips items whose raw hash is stored, which is only sound when
    # normalising the same posting again would give the same values.
    first = normalise(_raw(), skills=skills, industries=industries)
    again = normalise(_raw(), skills=skills, industries=industries)
    edited = normalise(
        _raw(description_html=DESCRIPTION.replace("40 hospitals", "41 hospitals")),
        skills=skills,
        industries=industries,
    )

    assert first == again
    assert edited.description_text != first.description_text


def test_dedupe_key_matches_the_same_role_from_another_source(skills):
    one = normalise(
        _raw(title="Senior ML Engineer", company="Acme, Inc.", locations=["London, UK"]),
        skills=skills,
    )
    other = normalise(
        _raw(title="senior ml engineer", company="Acme Inc", locations=["London"]),
        skills=skills,
    )

    assert one.dedupe_key == other.dedupe_key == "acme|senior ml engineer|london gb"


def test_dedupe_key_expands_abbreviations_and_marks_remote():
    assert dedupe_key("Acme GmbH", "Sr. ML Eng.", "", "", "remote") == "acme|senior ml eng|remote"


@pytest.mark.parametrize(
    "dotted, plain",
    [
        ("Acme B.V.", "Acme BV"),
        ("Acme S.A.", "Acme SA"),
        ("Acme, Inc.", "Acme Inc"),
        ("Acme Pty. Ltd.", "Acme Pty Ltd"),
        ("Acme Co.", "Acme"),
    ],
)
def test_legal_suffixes_with_dots_key_like_their_dotless_forms(dotted, plain):
    key = dedupe_key(dotted, "ML Engineer", "Amsterdam", "NL", "onsite")
    assert key == dedupe_key(plain, "ML Engineer", "Amsterdam", "NL", "onsite")
    assert key.startswith("acme|")


_WORDS = str.split(
    "model agent data train deploy latency eval prompt vector search team build ship user "
    "research scale safety infra cluster python api product customer feedback robust fast"
)


def _text(seed: int, words: int = 450) -> str:
    rng = random.Random(seed)
    return " ".join(rng.choice(_WORDS) for _ in range(words))


def test_similar_is_high_for_near_identical_text():
    text = _text(1)
    words = text.split()
    words[100:104] = ["completely", "different", "words", "here"]
    edited = " ".join(words) + " Apply now!"

    assert similar(text_fingerprint(text), text_fingerprint(edited)) >= 0.8
    assert similar(text_fingerprint(text), text_fingerprint(text)) == 1.0


def test_similar_is_low_for_unrelated_text():
    assert similar(text_fingerprint(_text(1)), text_fingerprint(_text(2))) <= 0.2


def test_similar_handles_short_and_empty_text():
    assert similar(text_fingerprint("Build agents"), text_fingerprint("Build agents")) == 1.0
    assert similar(text_fingerprint(""), text_fingerprint("anything")) == 0.0


def test_fingerprint_ignores_case_and_punctuation():
    assert text_fingerprint("Build, LLM agents; ship them!") == text_fingerprint(
        "build llm agents ship them"
    )


@given(
    title=st.text(max_size=60),
    company=st.text(max_size=30),
    html=st.text(max_size=300),
    locations=st.lists(st.text(max_size=30), max_size=3),
    salary=st.text(max_size=30),
)
def test_normalise_either_succeeds_or_raises_normalise_error(
    title, company, html, locations, salary
):
    recogniser = SkillRecogniser([SkillTerms("python", "Python")])
    raw = RawRole(
        external_id="x",
        title=title,
        company=company,
        description_html=html,
        locations=locations,
        salary=RawSalary(text=salary),
        tags=[title],
    )
    try:
        role = normalise(raw, skills=recogniser)
    except NormaliseError:
        return
    assert role.title and role.company_name
    assert role.workplace in ("onsite", "hybrid", "remote")

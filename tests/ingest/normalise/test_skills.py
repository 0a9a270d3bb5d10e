"""Tests for opportunities.ingest.skills: recognising taxonomy skills and unknown terms."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from opportunities.ingest.normalise.skills import (
    SkillRecogniser,
    SkillTerms,
    TermMatcher,
    candidate_terms,
    skill_terms,
)

TERMS = [
    SkillTerms("python", "Python"),
    SkillTerms("pytorch", "PyTorch", ("torch",)),
    SkillTerms("jax", "JAX"),
    SkillTerms("cpp", "C++", ("cpp",)),
    SkillTerms("csharp", "C#"),
    SkillTerms("dotnet", ".NET"),
    SkillTerms("nextjs", "Next.js"),
    SkillTerms("scikit-learn", "scikit-learn", ("sklearn",)),
    SkillTerms("gan", "GAN", ("generative adversarial networks",)),
    SkillTerms("llm", "Large language models", ("LLM", "LLMs")),
    SkillTerms("c", "C"),
    SkillTerms("r", "R"),
    SkillTerms("go", "Go", ("Golang",), match_name=False),
    SkillTerms("react", "React"),
    SkillTerms("react-native", "React Native"),
    SkillTerms("vllm", "vLLM"),
    SkillTerms("rag", "Retrieval-augmented generation", ("RAG",)),
    SkillTerms("kubernetes", "Kubernetes", ("k8s",)),
]


@pytest.fixture(scope="module")
def recogniser() -> SkillRecogniser:
    return SkillRecogniser(TERMS)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("We use PYTHON and pytorch.", {"python": 1, "pytorch": 1}),
        ("C++, C# and .NET (ASP.NET too)", {"cpp": 1, "csharp": 1, "dotnet": 2}),
        ("Modern C++17 and c++", {"cpp": 2}),
        ("Next.js.", {"nextjs": 1}),
        ("scikit-learn, Scikit Learn or sklearn", {"scikit-learn": 3}),
        ("GANs and GAN-based models", {"gan": 2}),
        ("organic growth, Ganache, began", {}),
        ("LLMs and an llm", {"llm": 2}),
        ("R&D budget, C-level, Series C funding, Plan B", {}),
        ("C/C++ and R.", {"c": 1, "cpp": 1, "r": 1}),
        # "go to market" is a phrase; "Go" beside "golang" is the language, in context.
        ("go to market in Go, golang preferred", {"go": 2}),
        ("React Native and React", {"react-native": 1, "react": 1}),
        ("vLLM-style serving", {"vllm": 1}),
        ("使用PyTorch开发", {"pytorch": 1}),
        ("pythonic, pytorches, torchlight", {}),
    ],
)
def test_find_matches_whole_words_only(recogniser, text, expected):
    assert recogniser.find(text) == expected


def test_knows_names_aliases_and_plurals(recogniser):
    assert recogniser.knows("PyTorch")
    assert recogniser.knows("  large   LANGUAGE models ")
    assert recogniser.knows("GANs")
    assert recogniser.knows("Go")  # match_name=False: known, though counted only in context
    assert recogniser.knows("Golang")
    assert not recogniser.knows("Mamba")


def test_skill_terms_read_the_taxonomy_shape():
    taxonomy = {
        "skills": [
            {"slug": "go", "name": "Go", "category": "language", "aliases": ["Golang"]},
            {"slug": "r", "name": "R", "category": "language", "match_name": False},
            {
                "slug": "apache-spark",
                "name": "Apache Spark",
                "category": "framework",
                "aliases": ["PySpark"],
                "context_aliases": ["Spark"],
            },
        ]
    }

    assert skill_terms(taxonomy) == [
        SkillTerms("go", "Go", ("Golang",), True, category="language"),
        SkillTerms("r", "R", (), False, category="language"),
        SkillTerms("apache-spark", "Apache Spark", ("PySpark",), True, ("Spark",), "framework"),
    ]


def test_term_matcher_without_terms_finds_nothing():
    assert TermMatcher([]).counts("anything at all") == {}


DESCRIPTION = "\n".join(
    [
        "About the role",
        "We build LLM agents with Python.",
        "Requirements:",
        "- PyTorch in production",
        "- Kubernetes",
        "Nice to have:",
        "- JAX",
        "- vLLM or other serving stacks",
        "Benefits",
        "- Annual bonus and a C++ book budget",
    ]
)


def test_recognise_splits_required_and_nice(recogniser):
    kinds = recogniser.recognise("Senior ML Engineer (RAG)", DESCRIPTION)

    assert kinds == {
        "cpp": "required",  # the "Benefits" heading ends the nice-to-have list
        "jax": "nice",
        "kubernetes": "required",
        "llm": "required",
        "python": "required",
        "pytorch": "required",
        "rag": "required",
        "vllm": "nice",
    }


def test_recognise_marks_only_the_sentence_that_says_a_plus(recogniser):
    text = "Strong Python is a must. Experience with JAX is a plus. You will deploy on Kubernetes."

    assert recogniser.recognise("Engineer", text) == {
        "jax": "nice",
        "kubernetes": "required",
        "python": "required",
    }


@pytest.mark.parametrize(
    "lead_in",
    ["Bonus points:", "Preferred qualifications", "Good to have", "It would be a plus if you know"],
)
def test_recognise_understands_lead_ins(recogniser, lead_in):
    text = f"Requirements:\n- Python\n{lead_in}\n- JAX"

    assert recogniser.recognise("Engineer", text) == {"jax": "nice", "python": "required"}


def test_pay_bonus_is_not_a_nice_to_have_marker(recogniser):
    text = "We offer an annual bonus.\n- Python\n- JAX"

    assert recogniser.recognise("Engineer", text) == {"jax": "required", "python": "required"}


def test_recognise_uses_separate_sections(recogniser):
    kinds = recogniser.recognise(
        "Engineer",
        "We are a small team.",
        requirements_text="- Python\n- PyTorch",
        nice_text="- JAX\n- Python",
    )

    # Python appears in both: required wins.
    assert kinds == {"jax": "nice", "python": "required", "pytorch": "required"}


def test_candidate_terms_reports_unknown_technical_terms(recogniser):
    text = "\n".join(
        [
            "- Experience with PyTorch, JAX or Mamba",
            "- Vector databases like Pinecone or Weaviate",
            "- vLLM-style serving, TensorRT-LLM, Llama3 and GPT-4o",
            "- Knowledge of MLflow, RLHF and DPO",
            "- Degree in Computer Science, e.g. B.Sc. or Ph.D.",
            "- Health insurance, 401k and a MacBook Pro",
            "- Excellent Communication with Customers",
        ]
    )

    found = candidate_terms(text, ["LLM", "LangGraph", "Remote", "Full-Time", "$150k"], recogniser)

    assert set(found) == {
        "LangGraph",
        "Mamba",
        "Pinecone",
        "Weaviate",
        "TensorRT",
        "Llama3",
        "GPT-4o",
        "MLflow",
        "RLHF",
        "DPO",
    }
    assert set(found.values()) == {1}


def test_candidate_terms_is_deterministic(recogniser):
    text = "- Tools such as Modal, Weaviate and LanceDB\n- SGLang or vLLM"

    first = candidate_terms(text, ["Ray Serve"], recogniser)
    second = candidate_terms(text, ["Ray Serve"], recogniser)

    assert list(first.items()) == list(second.items())
    assert list(first) == ["Ray Serve", "Modal", "Weaviate", "LanceDB", "SGLang"]


def test_candidate_terms_ignores_urls_and_emails(recogniser):
    text = "- Send your GitHub to jobs@acme.example or see https://acme.example/Careers.html"

    assert set(candidate_terms(text, [], recogniser)) == {"GitHub"}


@given(st.text())
def test_recogniser_never_raises_on_arbitrary_text(text: str):
    recogniser = SkillRecogniser(TERMS)

    assert all(isinstance(count, int) for count in recogniser.find(text).values())
    kinds = recogniser.recognise(text, text, text, text)
    assert set(kinds.values()) <= {"required", "nice"}
    candidate_terms(text, [text], recogniser)


@given(st.lists(st.sampled_from(["İ", "ß", "C++", " ", "\n", "- ", "ΣΑ", "K", "ﬁ", "a plus"])))
def test_case_folding_that_changes_length_is_harmless(parts: list[str]):
    text = "".join(parts)
    recogniser = SkillRecogniser(TERMS)

    kinds = recogniser.recognise("", text)
    terms = candidate_terms(text, [], recogniser)

    # Folding "İ" or "ß" must not shift match offsets onto neighbouring words.
    assert set(kinds) <= {term.slug for term in TERMS}
    assert set(kinds.values()) <= {"required", "nice"}
    assert all(count > 0 for count in terms.values())
    if text == "C++":
        assert kinds == {"cpp": "required"}

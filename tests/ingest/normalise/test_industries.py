"""Tests for opportunities.ingest.industries: guessing a role's industry."""

from __future__ import annotations

import pytest

from opportunities.ingest.normalise.industries import IndustryRecogniser, industry_terms


@pytest.fixture(scope="module")
def industries() -> IndustryRecogniser:
    return IndustryRecogniser(
        [
            ("healthcare", ["hospital", "clinical", "patients", "clinicians", "healthtech"]),
            ("finance", ["bank", "banking", "trading", "payments", "fintech"]),
            ("legal", ["law firm", "lawyers", "contracts", "legal"]),
        ]
    )


def test_clear_leader_wins(industries):
    text = "Our models help clinicians and patients in every hospital. Clinical safety first."

    assert industries.guess("Acme AI", text) == "healthcare"


def test_company_name_counts_more_than_body(industries):
    assert industries.guess("Northwind Banking", "We build agents for payments.") == "finance"


def test_contested_guess_is_none(industries):
    text = "Clinical notes for patients, paid through banking and payments rails."

    assert industries.guess("Acme AI", text) is None


def test_weak_evidence_is_none(industries):
    assert industries.guess("Acme AI", "We help a hospital now and then.") is None
    assert industries.guess("", "") is None


def test_one_repeated_word_cannot_win_alone(industries):
    assert industries.guess("Acme AI", "legal " * 50) is None


def test_keywords_match_whole_words(industries):
    assert industries.scores("Acme", "bankers embankment legalese") == {}


def test_industry_terms_read_the_taxonomy_shape():
    taxonomy = {"industries": [{"slug": "legal", "name": "Legal", "keywords": ["law firm"]}]}

    assert industry_terms(taxonomy) == [("legal", ["law firm"])]

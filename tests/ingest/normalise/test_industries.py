"""Tests for opportunities.ingest.industries: guessing a role's industry."""

from __future__ import annotations

import pytest

from opportunities.ingest.normalise.industries import (
    IndustryRecogniser,
    best_industry,
    describing_text,
    industry_terms,
)


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


@pytest.fixture(scope="module")
def sectors() -> IndustryRecogniser:
    return IndustryRecogniser(
        [
            ("finance", ["bank", "neobank", "payments", "lending"]),
            ("support", ["customer support", "help desk", "tickets", "customer inquiries"]),
            ("media", ["streaming service", "film", "archive"]),
            ("manufacturing", ["manufacturing", "factory", "archive"]),
            ("insurance", ["insurer", "insurance", "claims"]),
        ]
    )


def test_a_sentence_that_describes_the_company_outweighs_the_roles_function(sectors):
    text = (
        "Finch is a neobank for freelancers.\n"
        "What you'll do\n"
        "Answer customer inquiries on the help desk and close support tickets quickly."
    )

    scores = sectors.posting_scores("Finch Money", "Support Agent", text)

    # One keyword in the describing sentence counts three times; the role's three count once.
    assert scores == {"finance": 3, "support": 3}
    described = text.replace("neobank", "neobank for payments and lending")
    scores = sectors.posting_scores("Finch Money", "Support Agent", described)
    assert best_industry(scores) == "finance"
    # Read as plain text, the role's function contests it to a draw.
    assert sectors.guess("Finch Money", described) is None


def test_a_company_described_under_about_us_late_in_the_posting_is_read(sectors):
    role = "Keep the archive catalogued and the film scans in order. " * 20
    text = f"Vintage Film Archivist\n{role}\nAbout us\nReelhouse is a streaming service."

    assert "Reelhouse is a streaming service." in describing_text("Reelhouse", text)
    assert best_industry(sectors.posting_scores("Reelhouse", "Archivist", text)) == "media"


def test_about_the_role_is_the_roles_text_not_the_companys(sectors):
    role = "Build things for the team. " * 40
    text = f"{role}\nAbout the role\nYou will process claims for our insurer partners."

    assert describing_text("Acme", text).count("claims") == 0


def test_a_client_list_does_not_describe_the_company(sectors):
    text = "We are an agency building web products for clients such as two banks and a film studio."

    described = describing_text("Tidewater", text)

    assert "agency building web products" in described
    assert "bank" not in described and "film" not in described


def test_a_perk_is_not_evidence_of_the_industry(sectors):
    perks = "Benefits: health insurance, dental insurance and life insurance for the family."

    assert sectors.scores("Acme", perks) == {}
    assert sectors.scores("Acme", "Our insurance claims platform serves every insurer.") != {}


def test_the_role_text_beyond_the_head_is_not_read_as_describing(sectors):
    head = "Acme builds dashboards.\nWhat you'll do\n" + "Ship features every week. " * 40
    text = head + "\nWe are a neobank."

    assert "neobank" not in describing_text("Acme", text)

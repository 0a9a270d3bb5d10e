"""Tests for opportunities.posting.trust: the flags a curator sees, flagged and not flagged."""

from __future__ import annotations

import pytest

from opportunities.catalog.services import role_create, role_update
from opportunities.ingest.normalise.role import text_fingerprint
from opportunities.ingest.normalise.sanitise import html_to_lines, lines_to_text
from opportunities.models import Role
from opportunities.posting.trust import (
    MIN_COMPARABLES,
    fee_flags,
    registrable_domain,
    salary_flags,
    shouting_flags,
    title_normalised,
    trust_flags,
)
from tests import factories

pytestmark = pytest.mark.django_db

LONG_TEXT = (
    "<p>Our research group trains multilingual speech models for hospitals across Europe. "
    "You will own the evaluation harness, design ablations for streaming recognition, and "
    "work with clinicians to turn error analyses into product decisions. The team is six "
    "people in three countries, and we write everything down so nobody needs to be awake "
    "at odd hours.</p><ul><li>Python and PyTorch in production</li><li>Comfort reading "
    "papers and reproducing them</li><li>Care for the people who use what you build</li></ul>"
)


@pytest.fixture
def company(db):
    return factories.CompanyFactory(name="Acme", slug="acme", website="https://www.acme.com/")


def role_with(company, **fields) -> Role:
    defaults = {
        "title": "Speech Recognition Engineer",
        "description": LONG_TEXT,
        "apply_url": "https://careers.acme.com/jobs/7",
    }
    return factories.RoleFactory(company=company, **{**defaults, **fields})


def codes(notes) -> list[str]:
    return [note.code for note in notes]


def test_an_honest_role_raises_no_flag(company):
    assert trust_flags(role_with(company)) == []


# --- fees ---


@pytest.mark.parametrize(
    "text",
    [
        "Successful applicants pay a refundable training fee of $99 before starting.",
        "An application fee of 20 EUR covers processing.",
        "Please send a small deposit to secure your interview slot.",
        "You will need to pay for your own equipment starter kit.",
        "Buy Apple gift cards for the onboarding.",
    ],
)
def test_a_fee_asked_of_applicants_is_flagged(text):
    notes = fee_flags(text)

    assert codes(notes) == ["fee_asked"]
    assert notes[0].severity == "warning"


@pytest.mark.parametrize(
    "text",
    [
        "There is no application fee, ever.",
        "We will never ask you to pay a fee or a deposit.",
        "We cover visa fees and relocation.",
        "Your visa fees are reimbursed in full.",
        "You will build our payments platform: card fees, wire transfers and deposits.",
        "Annual bonus and a training budget.",
    ],
)
def test_fees_the_employer_pays_or_denies_are_not_flagged(text):
    assert fee_flags(text) == []


# --- where applications go ---


def test_an_apply_address_at_free_mail_is_flagged_when_the_company_has_a_domain(company):
    role = role_with(company, apply_url="", apply_email="acme.hiring@gmail.com")

    note = next(n for n in trust_flags(role) if n.code == "apply_email_free_mail")

    assert "gmail.com" in note.message and "acme.com" in note.message


def test_an_apply_address_at_the_companys_domain_is_fine(company):
    assert trust_flags(role_with(company, apply_url="", apply_email="jobs@acme.com")) == []


def test_free_mail_is_not_flagged_for_a_company_without_a_website(db):
    company = factories.CompanyFactory(name="Solo", slug="solo", website="")

    role = role_with(company, apply_url="", apply_email="solo.founder@gmail.com")

    assert "apply_email_free_mail" not in codes(trust_flags(role))


def test_a_shortened_apply_link_is_flagged(company):
    notes = trust_flags(role_with(company, apply_url="https://bit.ly/3xYzAbc"))

    assert codes(notes) == ["apply_url_shortener"]


def test_an_apply_link_on_another_domain_is_flagged(company):
    notes = trust_flags(role_with(company, apply_url="https://acme-careers-portal.net/apply"))

    assert codes(notes) == ["apply_url_other_domain"]
    assert "acme-careers-portal.net" in notes[0].message


@pytest.mark.parametrize(
    "url",
    [
        "https://jobs.acme.com/7",
        "https://acme.com/careers#apply",
        "https://boards.greenhouse.io/acme/jobs/123",
        "https://jobs.lever.co/acme/abc",
        "https://jobs.ashbyhq.com/acme/xyz",
    ],
)
def test_apply_links_on_the_companys_site_or_its_hiring_system_are_fine(company, url):
    assert trust_flags(role_with(company, apply_url=url)) == []


def test_an_ingested_role_may_link_to_the_board_it_came_from(company):
    source = factories.SourceFactory(location="https://remote-board.example.org/feed")
    role = role_with(
        company,
        origin=Role.Origin.INGEST,
        source=source,
        external_id="r1",
        canonical_url="https://remote-board.example.org/jobs/r1",
        apply_url="https://remote-board.example.org/jobs/r1",
    )

    assert trust_flags(role) == []


def test_registrable_domain_keeps_the_companys_name():
    assert registrable_domain("jobs.acme.co.uk") == "acme.co.uk"
    assert registrable_domain("www.acme.com") == "acme.com"
    assert registrable_domain("boards.greenhouse.io") == "greenhouse.io"


# --- salary ---


def test_titles_are_compared_without_seniority_or_decoration():
    assert title_normalised("Sr. ML Engineer (LLMs) - Remote") == "machine learning engineer"
    assert title_normalised("Senior Machine Learning Engineer, Search") == (
        "machine learning engineer"
    )
    assert title_normalised("Staff Research Scientist") == "research scientist"


def _market(count: int, *, low: int = 180_000, high: int = 220_000) -> None:
    for n in range(count):
        factories.RoleFactory(
            title="Senior Machine Learning Engineer" if n % 2 else "Sr. ML Engineer",
            seniority="senior",
            salary_min=low,
            salary_max=high,
            salary_currency="USD",
            salary_yearly_min=low,
            salary_yearly_max=high,
        )


def _paid(company, yearly_low: int, yearly_high: int, **fields) -> Role:
    return role_with(
        company,
        title="Senior ML Engineer",
        seniority="senior",
        salary_min=yearly_low,
        salary_max=yearly_high,
        salary_currency="USD",
        salary_yearly_min=yearly_low,
        salary_yearly_max=yearly_high,
        **fields,
    )


def test_a_salary_far_above_the_boards_is_flagged_in_one_query(company, django_assert_num_queries):
    _market(MIN_COMPARABLES + 1)
    role = _paid(company, 800_000, 1_000_000)

    with django_assert_num_queries(1):
        notes = salary_flags(role)

    assert codes(notes) == ["salary_outlier"]
    assert "over twice" in notes[0].message
    assert f"{MIN_COMPARABLES + 1} roles" in notes[0].message
    assert "USD 200,000" in notes[0].message


def test_a_salary_far_below_the_boards_is_flagged_as_a_likely_mistake(company):
    _market(MIN_COMPARABLES)

    notes = salary_flags(_paid(company, 15_000, 20_000))

    assert "under half" in notes[0].message
    assert "period" in notes[0].reason


def test_a_salary_near_the_boards_is_not_flagged(company):
    _market(MIN_COMPARABLES + 3)

    assert salary_flags(_paid(company, 170_000, 260_000)) == []


def test_too_few_comparable_roles_say_nothing(company):
    _market(MIN_COMPARABLES - 1)

    assert salary_flags(_paid(company, 800_000, 1_000_000)) == []


def test_other_seniorities_and_currencies_are_not_comparable(company):
    _market(MIN_COMPARABLES + 1)

    junior = _paid(company, 800_000, 1_000_000)
    junior.seniority = "junior"
    in_yen = _paid(company, 800_000, 1_000_000)
    in_yen.salary_currency = "JPY"

    assert salary_flags(junior) == []
    assert salary_flags(in_yen) == []


# --- copied text ---


def _fingerprint(html: str) -> str:
    return text_fingerprint(lines_to_text(html_to_lines(html)))


def test_the_same_text_posted_by_another_company_is_flagged(company):
    original = factories.RoleFactory(
        company=factories.CompanyFactory(name="Real Speech Co", slug="real-speech"),
        description=LONG_TEXT,
        text_fingerprint=_fingerprint(LONG_TEXT),
    )
    # A copy with the company's name swapped in still shares nearly every shingle.
    copy = role_with(company, description=LONG_TEXT.replace("Our research group", "Acme"))

    notes = [note for note in trust_flags(copy) if note.code == "text_copied"]

    assert len(notes) == 1
    assert "Real Speech Co" in notes[0].message and str(original.pk) in notes[0].message


def test_the_same_text_at_the_same_company_is_not_a_copy(company):
    role_with(company, text_fingerprint=_fingerprint(LONG_TEXT))

    assert trust_flags(role_with(company)) == []


def test_a_different_text_at_another_company_is_not_a_copy(company):
    other_text = (
        "<p>We build crop-yield forecasts from satellite imagery for farming cooperatives in "
        "Kenya and Brazil. As our second machine learning hire you will set up the training "
        "pipeline, choose between segmentation architectures, and visit the farms twice a "
        "year to see where the models fail. Everything runs on a modest GPU budget, so "
        "efficiency matters more than scale.</p><ul><li>Geospatial data experience</li>"
        "<li>Patience with noisy labels</li></ul>"
    )
    factories.RoleFactory(description=other_text, text_fingerprint=_fingerprint(other_text))

    assert "text_copied" not in codes(trust_flags(role_with(company)))


def test_posted_roles_keep_a_fingerprint_so_a_later_copy_is_found(company):
    other = factories.CompanyFactory(name="Real Speech Co", slug="real-speech")
    posted = role_create(
        company=other,
        title="Speech Engineer",
        workplace="remote",
        description=LONG_TEXT,
        status=Role.Status.PUBLISHED,
    )
    copy = role_create(company=company, title="Speech Engineer", workplace="remote")
    role_update(role=copy, data={"description": LONG_TEXT})

    assert posted.text_fingerprint and copy.text_fingerprint == posted.text_fingerprint
    assert "text_copied" in codes(trust_flags(copy))

    role_update(role=copy, data={"description": "<p>Something else entirely.</p>"})

    assert copy.text_fingerprint != posted.text_fingerprint
    assert "text_copied" not in codes(trust_flags(copy))


# --- shouting ---


@pytest.mark.parametrize(
    ("title", "text"),
    [
        ("SENIOR AI ENGINEER WANTED", "A calm description."),
        ("ML Engineer!", "A calm description."),
        ("ML Engineer", "Apply now!! Do not wait."),
        ("ML Engineer", "Great pay! Remote! Start today!"),
        (
            "ML Engineer",
            "THIS ROLE PAYS VERY WELL AND STARTS TODAY WITH GREAT BENEFITS FOR EVERY PERSON "
            "WHO APPLIES",
        ),
    ],
)
def test_shouting_is_flagged(title, text):
    assert codes(shouting_flags(title, text)) == ["shouting"]


@pytest.mark.parametrize(
    ("title", "text"),
    [
        ("ML Engineer (LLM, RAG, NLP)", "You will tune CUDA kernels and ship GPU inference."),
        ("GenAI Engineer, AWS", "We use LLMs, RAG, RLHF and DPO. Hello! Welcome."),
        ("CUDA Kernel Engineer", "NVIDIA GPUs, HBM3, NCCL and MPI, written plainly."),
    ],
)
def test_acronyms_and_one_exclamation_are_not_shouting(title, text):
    assert shouting_flags(title, text) == []


def test_all_flags_of_a_role_cost_two_queries(company, django_assert_num_queries):
    _market(MIN_COMPARABLES)
    role = _paid(company, 190_000, 210_000)
    role = Role.objects.select_related("company").get(pk=role.pk)

    with django_assert_num_queries(2):
        trust_flags(role)

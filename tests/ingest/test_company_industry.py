"""Industry is the company's: a curator's > the source's default > one guess per company."""

from __future__ import annotations

import pytest

from opportunities.catalog.services import company_industry_set
from opportunities.enqueue import MATCH_ROLES
from opportunities.models import Company, Role
from tests import factories
from tests.ingest.boards import greenhouse_source, ingest, job, write_feed

pytestmark = pytest.mark.django_db

ENGINEERING = (
    "&lt;p&gt;Build models for our retail banking platform: lending, payments and "
    "fraud for bank customers.&lt;/p&gt;"
)
SUPPORT = (
    "&lt;p&gt;Answer customer support tickets on the helpdesk and keep customer "
    "satisfaction high.&lt;/p&gt;"
)


@pytest.fixture
def industries(db):
    return {
        "finance": factories.IndustryFactory(
            name="Finance",
            slug="finance",
            keywords=["bank", "banking", "payments", "lending", "fraud"],
        ),
        "support": factories.IndustryFactory(
            name="Customer Support",
            slug="customer-support",
            keywords=["customer support", "helpdesk", "tickets", "customer satisfaction"],
        ),
        "health": factories.IndustryFactory(
            name="Healthcare",
            slug="healthcare",
            keywords=["hospital", "clinical", "patients", "clinicians"],
        ),
    }


def _bank_feed(tmp_path, *, support_only: bool = False):
    jobs = [job(3, title="Support Desk Agent", content=SUPPORT, company_name="Northbank")]
    if not support_only:
        jobs += [
            job(1, title="ML Engineer", content=ENGINEERING, company_name="Northbank"),
            job(2, title="Data Scientist", content=ENGINEERING, company_name="Northbank"),
        ]
    return write_feed(tmp_path / "board.json", jobs)


def _industries() -> dict[str, str | None]:
    return dict(Role.objects.values_list("title", "industry__slug"))


def test_one_guess_per_company_from_all_its_roles(skills, industries, tmp_path):
    source = greenhouse_source(_bank_feed(tmp_path))

    ingest(source)

    # The bank's support-desk role is the bank's, not "customer support".
    assert _industries() == {
        "ML Engineer": "finance",
        "Data Scientist": "finance",
        "Support Desk Agent": "finance",
    }


def test_the_companys_description_counts_as_evidence(skills, industries, tmp_path):
    Company.objects.create(
        name="Northbank",
        slug="northbank",
        description="A retail bank: payments, lending and banking for small firms.",
    )
    source = greenhouse_source(_bank_feed(tmp_path, support_only=True))

    ingest(source)

    assert _industries() == {"Support Desk Agent": "finance"}


def test_a_sources_default_industry_wins_over_the_guess(skills, industries, tmp_path):
    source = greenhouse_source(_bank_feed(tmp_path), default_industry=industries["health"])

    ingest(source)

    assert set(_industries().values()) == {"healthcare"}


def test_a_curators_company_industry_wins_over_default_and_guess(skills, industries, tmp_path):
    Company.objects.create(name="Northbank", slug="northbank", industry=industries["support"])
    source = greenhouse_source(_bank_feed(tmp_path), default_industry=industries["health"])

    ingest(source)

    assert set(_industries().values()) == {"customer-support"}


def test_a_curators_fix_moves_every_role_and_rematches_them(
    skills, industries, tmp_path, enqueued, django_capture_on_commit_callbacks
):
    source = greenhouse_source(_bank_feed(tmp_path))
    ingest(source)
    company = Company.objects.get(slug="northbank")
    recruiter_role = factories.RoleFactory(company=company, industry=industries["finance"])

    with django_capture_on_commit_callbacks(execute=True):
        changed = company_industry_set(company=company, industry=industries["health"])

    assert set(_industries().values()) == {"healthcare"}
    assert set(changed) == set(Role.objects.values_list("pk", flat=True))
    assert recruiter_role.pk in changed
    assert enqueued == [(MATCH_ROLES, (changed,))]
    # Later runs keep the curators' word, for changed postings too.
    write_feed(
        tmp_path / "board.json",
        [job(1, title="ML Engineer II", content=ENGINEERING, company_name="Northbank")],
    )
    ingest(source)
    assert Role.objects.get(title="ML Engineer II").industry == industries["health"]


def test_the_postings_words_about_the_company_outweigh_the_roles_function(
    skills, industries, tmp_path
):
    # The posting's opening says what the company is; the rest is the support desk's work,
    # which as plain text would outscore the bank's few words.
    about = "&lt;p&gt;Northbank is a retail bank for lending and payments.&lt;/p&gt;"
    content = about + SUPPORT + "&lt;p&gt;Escalate the hardest tickets.&lt;/p&gt;"
    jobs = [job(3, title="Support Desk Agent", content=content, company_name="Northbank")]
    source = greenhouse_source(write_feed(tmp_path / "board.json", jobs))

    ingest(source)

    assert _industries() == {"Support Desk Agent": "finance"}


def test_a_client_list_in_the_posting_does_not_make_the_company_a_bank(
    skills, industries, tmp_path
):
    content = (
        "&lt;p&gt;Tidemark is an agency building apps for clients such as three banks, "
        "a lending start-up and a payments firm.&lt;/p&gt;" + SUPPORT
    )
    jobs = [job(4, title="Support Engineer", content=content, company_name="Tidemark")]
    source = greenhouse_source(write_feed(tmp_path / "board.json", jobs))

    ingest(source)

    # The clients' industry is not Tidemark's; what is left is the role's own function.
    assert _industries() == {"Support Engineer": "customer-support"}


def test_an_about_us_section_after_the_role_describes_the_company(skills, industries, tmp_path):
    # Long enough that the section lies beyond the posting's head.
    routine = "&lt;p&gt;Work with the team on what matters to the people we serve.&lt;/p&gt;"
    role = SUPPORT + routine * 15
    about = (
        "&lt;h3&gt;About us&lt;/h3&gt;&lt;p&gt;We are a bank for lending and payments.&lt;/p&gt;"
    )
    jobs = [job(5, title="Support Agent", content=role + about, company_name="Northbank")]
    source = greenhouse_source(write_feed(tmp_path / "board.json", jobs))

    ingest(source)

    assert _industries() == {"Support Agent": "finance"}

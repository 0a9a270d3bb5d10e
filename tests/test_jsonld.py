"""Tests for opportunities.jsonld: the JobPosting Google reads from a role page."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime

import pytest
from django.urls import reverse

from opportunities.jsonld import job_posting, jsonld_script
from opportunities.models import Role, RoleSkill
from tests import factories

pytestmark = pytest.mark.django_db

SCRIPT = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.DOTALL)


def page_posting(client, role: Role) -> dict:
    """The JobPosting as a crawler reads it from the role page."""
    html = client.get(reverse("role_detail", kwargs={"pk": role.pk, "slug": role.slug})).content
    scripts = SCRIPT.findall(html.decode())
    assert len(scripts) == 1
    return json.loads(scripts[0])


def test_onsite_role(client, company):
    role = factories.RoleFactory(
        company=company,
        title="Applied Scientist, Medical Imaging",
        industry=factories.IndustryFactory(name="Healthcare"),
        workplace="onsite",
        city="Boston",
        region="MA",
        country="US",
        employment_type="full_time",
        salary_min=150000,
        salary_max=190000,
        salary_currency="usd",
        salary_period="year",
        posted_at=datetime(2026, 11, 2, 9, 30, tzinfo=UTC),
        expires_at=datetime(2099, 1, 31, tzinfo=UTC),
        skills=[factories.SkillFactory(name="PyTorch")],
    )
    RoleSkill.objects.create(role=role, skill=factories.SkillFactory(name="DICOM"), kind="nice")

    posting = page_posting(client, role)

    assert posting["@context"] == "https://schema.org/"
    assert posting["@type"] == "JobPosting"
    assert posting["title"] == "Applied Scientist, Medical Imaging"
    assert posting["description"] == "<p>Build retrieval-augmented generation systems.</p>"
    assert posting["datePosted"] == "2026-11-02"
    assert posting["validThrough"] == "2099-01-31T00:00:00+00:00"
    assert posting["hiringOrganization"] == {
        "@type": "Organization",
        "name": "Acme Health AI",
        "sameAs": "https://acme-health-ai.example.com",
    }
    assert posting["jobLocation"] == {
        "@type": "Place",
        "address": {
            "@type": "PostalAddress",
            "addressLocality": "Boston",
            "addressRegion": "MA",
            "addressCountry": "US",
        },
    }
    assert "jobLocationType" not in posting
    assert "applicantLocationRequirements" not in posting
    assert posting["baseSalary"] == {
        "@type": "MonetaryAmount",
        "currency": "USD",
        "value": {
            "@type": "QuantitativeValue",
            "minValue": 150000,
            "maxValue": 190000,
            "unitText": "YEAR",
        },
    }
    assert posting["employmentType"] == "FULL_TIME"
    assert posting["identifier"] == {
        "@type": "PropertyValue",
        "name": "Acme Health AI",
        "value": str(role.pk),
    }
    assert posting["directApply"] is False
    assert posting["url"] == f"http://testserver/jobs/{role.pk}-{role.slug}/"
    assert posting["industry"] == "Healthcare"
    assert posting["skills"] == "PyTorch"


def test_remote_role_limited_to_countries(client, company):
    role = factories.RoleFactory(
        company=company,
        workplace="remote",
        country="DE",
        applicant_countries=["DE", "NL"],
        employment_type="contract",
        salary_min=600,
        salary_max=800,
        salary_currency="EUR",
        salary_period="day",
    )

    posting = page_posting(client, role)

    assert posting["jobLocationType"] == "TELECOMMUTE"
    assert posting["applicantLocationRequirements"] == [
        {"@type": "Country", "name": "Germany"},
        {"@type": "Country", "name": "Netherlands"},
    ]
    assert "jobLocation" not in posting
    assert posting["employmentType"] == "CONTRACTOR"
    assert posting["baseSalary"]["value"]["unitText"] == "DAY"


def test_remote_role_in_one_country_without_applicant_list(company):
    role = factories.RoleFactory(company=company, workplace="remote", country="CA")
    assert job_posting(role)["applicantLocationRequirements"] == [
        {"@type": "Country", "name": "Canada"}
    ]


def test_worldwide_role_names_no_countries(client, company):
    role = factories.RoleFactory(company=company, workplace="remote", worldwide=True)

    posting = page_posting(client, role)

    assert posting["jobLocationType"] == "TELECOMMUTE"
    assert "applicantLocationRequirements" not in posting
    assert "jobLocation" not in posting
    assert "baseSalary" not in posting
    assert "validThrough" not in posting


@pytest.mark.parametrize(
    ("employment", "expected"),
    [
        ("full_time", "FULL_TIME"),
        ("part_time", "PART_TIME"),
        ("contract", "CONTRACTOR"),
        ("temporary", "TEMPORARY"),
        ("internship", "INTERN"),
    ],
)
def test_employment_types(company, employment, expected):
    role = factories.RoleFactory(company=company, employment_type=employment)
    assert job_posting(role)["employmentType"] == expected


@pytest.mark.parametrize("period", ["year", "month", "week", "day", "hour"])
def test_salary_periods(company, period):
    role = factories.RoleFactory(
        company=company, salary_min=50, salary_currency="GBP", salary_period=period
    )
    value = job_posting(role)["baseSalary"]["value"]
    assert value == {"@type": "QuantitativeValue", "minValue": 50, "unitText": period.upper()}


def test_a_single_salary_figure_is_a_value(company):
    role = factories.RoleFactory(
        company=company, salary_min=100000, salary_max=100000, salary_currency="USD"
    )
    assert job_posting(role)["baseSalary"]["value"]["value"] == 100000


def test_hostile_title_cannot_close_the_script(client):
    hostile = '</script><script>alert("pwned")</script><!--'
    company = factories.CompanyFactory(name="Evil & Sons </script>", slug="evil")
    role = factories.RoleFactory(company=company, title=hostile, slug="hostile")

    response = client.get(reverse("role_detail", kwargs={"pk": role.pk, "slug": "hostile"}))
    html = response.content.decode()

    assert '<script>alert("pwned")</script>' not in html
    assert html.count("</script>") == html.count("<script")
    posting = page_posting(client, role)
    assert posting["title"] == hostile
    assert posting["hiringOrganization"]["name"] == "Evil & Sons </script>"


def test_jsonld_script_escapes_markup_characters():
    script = jsonld_script({"title": "a</script><b>&"})
    body = script.removeprefix('<script type="application/ld+json">').removesuffix("</script>")
    assert "<" not in body and ">" not in body and "&" not in body
    assert json.loads(body) == {"title": "a</script><b>&"}

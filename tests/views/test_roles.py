"""Tests for opportunities.views.roles: the role page and the company page."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from opportunities.ingest.sources import source_one_off_get_or_create
from opportunities.models import Role, RoleSkill
from tests import factories

pytestmark = pytest.mark.django_db

Status = Role.Status


def role_url(role: Role) -> str:
    return reverse("role_detail", kwargs={"pk": role.pk, "slug": role.slug})


@pytest.fixture
def recruiter(company):
    user = factories.UserFactory(username="own-recruiter")
    factories.MembershipFactory(user=user, company=company)
    return user


@pytest.fixture
def other_recruiter(db):
    user = factories.UserFactory(username="other-recruiter")
    factories.MembershipFactory(user=user, company=factories.CompanyFactory(name="Elsewhere"))
    return user


@pytest.fixture
def staff(db):
    user = factories.UserFactory(username="curator")
    user.is_staff = True
    user.save()
    return user


def test_open_role_shows_everything(client, company):
    company.description = "We build clinical copilots."
    company.verified = True
    company.save()
    pytorch = factories.SkillFactory(name="PyTorch")
    rag = factories.SkillFactory(name="RAG")
    role = factories.RoleFactory(
        company=company,
        title="LLM Engineer",
        industry=factories.IndustryFactory(name="Healthcare"),
        workplace="hybrid",
        city="Berlin",
        region="Berlin",
        country="DE",
        applicant_timezones="CET ± 2h",
        visa_sponsorship=True,
        employment_type="contract",
        seniority="senior",
        salary_min=90000,
        salary_max=120000,
        salary_currency="EUR",
        salary_period="year",
        apply_url="https://jobs.example.com/apply/1",
        expires_at=timezone.now() + timedelta(days=20),
        skills=[pytorch],
    )
    RoleSkill.objects.create(role=role, skill=rag, kind=RoleSkill.Kind.NICE)
    factories.RoleFactory(company=company, title="Second role")

    response = client.get(role_url(role))

    assert response.status_code == 200
    html = response.content.decode()
    for text in (
        "LLM Engineer",
        "Acme Health AI",
        "We build clinical copilots.",
        "Verified company",
        "https://acme-health-ai.example.com",
        "1 other open role",
        "Healthcare",
        "Hybrid",
        "Berlin, Berlin, Germany",
        "CET ± 2h",
        "Offered",
        "Contract",
        "Senior",
        "EUR 90,000\u2013120,000 per year",
        "Open until",
        "<p>Build retrieval-augmented generation systems.</p>",
        f'href="{reverse("role_apply", kwargs={"pk": role.pk})}"',
        "application/ld+json",
    ):
        assert text in html, text
    assert [s.name for s in response.context["required_skills"]] == ["PyTorch"]
    assert [s.name for s in response.context["nice_skills"]] == ["RAG"]
    assert "Nice to have" in html


def test_remote_role_lists_where_applicants_may_live(client, company):
    role = factories.RoleFactory(
        company=company,
        workplace="remote",
        applicant_countries=["DE", "FR"],
        applicant_regions=["EMEA"],
    )
    html = client.get(role_url(role)).content.decode()
    assert "Germany, France" in html
    assert "EMEA" in html


def test_apply_by_email_when_there_is_no_url(client, role):
    role.apply_email = "jobs@acme.example.com"
    role.save()
    html = client.get(role_url(role)).content.decode()
    apply = reverse("role_apply", kwargs={"pk": role.pk})
    assert f'href="{apply}" rel="nofollow">Apply by email' in html
    response = client.get(apply)
    assert response.status_code == 302
    assert response["Location"].startswith("mailto:jobs@acme.example.com?subject=")


def test_id_only_address_redirects_permanently_to_the_canonical_one(client, role):
    response = client.get(reverse("role_redirect", kwargs={"pk": role.pk}))
    assert response.status_code == 301
    assert response["Location"] == role_url(role)


def test_wrong_slug_redirects_to_the_canonical_one(client, role):
    response = client.get(reverse("role_detail", kwargs={"pk": role.pk, "slug": "old-title"}))
    assert response.status_code == 301
    assert response["Location"] == role_url(role)


def test_unknown_role_is_404(client, db):
    assert client.get("/jobs/999999/").status_code == 404
    assert client.get("/jobs/999999-nothing/").status_code == 404


def test_a_duplicate_redirects_to_the_posting_it_copies(client, role):
    copy = factories.RoleFactory(
        company=role.company, duplicate_of=role, source=factories.SourceFactory()
    )
    response = client.get(role_url(copy))
    assert response.status_code == 301
    assert response["Location"] == role_url(role)


@pytest.mark.parametrize(
    ("fields", "says"),
    [
        ({"status": Status.EXPIRED}, "This role has expired."),
        (
            {"status": Status.PUBLISHED, "expires_at": timezone.now() - timedelta(days=1)},
            "This role has expired.",
        ),
        ({"status": Status.CLOSED}, "This role is closed."),
    ],
    ids=["expired", "published-past-expiry", "closed"],
)
def test_expired_and_closed_roles_are_gone(client, company, fields, says):
    skill = factories.SkillFactory(name="LangChain")
    role = factories.RoleFactory(
        company=company, apply_url="https://jobs.example.com/apply/9", skills=[skill], **fields
    )
    similar = factories.RoleFactory(title="Agent Engineer", industry=role.industry, skills=[skill])

    response = client.get(role_url(role))

    assert response.status_code == 410
    html = response.content.decode()
    assert says in html
    assert role.title in html
    assert "application/ld+json" not in html
    assert "https://jobs.example.com/apply/9" not in html
    assert "Apply" not in html
    assert '<meta name="robots" content="noindex">' in html
    assert similar.title in html


@pytest.mark.parametrize("status", [Status.DRAFT, Status.PENDING, Status.REJECTED])
def test_unpublished_role_is_404_to_the_public_and_other_companies(
    client, role, other_recruiter, status
):
    role.status = status
    role.save()

    assert client.get(role_url(role)).status_code == 404
    assert client.get(reverse("role_redirect", kwargs={"pk": role.pk})).status_code == 404
    client.force_login(other_recruiter)
    assert client.get(role_url(role)).status_code == 404


@pytest.mark.parametrize("status", [Status.DRAFT, Status.PENDING, Status.REJECTED])
@pytest.mark.parametrize("viewer", ["recruiter", "staff"])
def test_unpublished_role_is_shown_to_its_company_and_staff(client, role, status, viewer, request):
    role.status = status
    role.save()
    client.force_login(request.getfixturevalue(viewer))

    response = client.get(role_url(role))

    assert response.status_code == 200
    html = response.content.decode()
    assert f"Preview: {role.get_status_display().lower()}." in html
    assert "application/ld+json" not in html
    assert '<meta name="robots" content="noindex">' in html


def test_hostile_text_is_escaped_on_the_page(client, company):
    role = factories.RoleFactory(
        company=company, title='<img src=x onerror="alert(1)">', slug="hostile"
    )
    html = client.get(role_url(role)).content.decode()
    assert '<img src=x onerror="alert(1)">' not in html
    assert "&lt;img src=x" in html


def test_also_posted_on_lists_the_other_sources(client, role):
    board = factories.SourceFactory(name="Lever board of Acme")
    factories.RoleFactory(
        company=role.company,
        duplicate_of=role,
        source=board,
        canonical_url="https://jobs.lever.example.com/acme/1",
    )
    html = client.get(role_url(role)).content.decode()
    assert "Also posted on" in html
    assert 'href="https://jobs.lever.example.com/acme/1"' in html
    assert "Lever board of Acme" in html


def test_similar_roles_share_the_industry_and_a_skill(client, company):
    industry = factories.IndustryFactory(name="Media")
    skill = factories.SkillFactory(name="Diffusion models")
    other_skill = factories.SkillFactory(name="Speech")
    role = factories.RoleFactory(company=company, industry=industry, skills=[skill])
    similar = [
        factories.RoleFactory(title=f"Similar {n}", industry=industry, skills=[skill])
        for n in range(6)
    ]
    factories.RoleFactory(title="Other industry", skills=[skill])
    factories.RoleFactory(title="No shared skill", industry=industry, skills=[other_skill])
    factories.RoleFactory(
        title="Closed one", industry=industry, skills=[skill], status=Status.CLOSED
    )

    shown = client.get(role_url(role)).context["similar_roles"]

    assert [r.title for r in shown] == [r.title for r in reversed(similar)][:5]


def test_similar_roles_stay_a_few_queries(client, company, django_assert_max_num_queries):
    skill = factories.SkillFactory(name="Evaluation")
    role = factories.RoleFactory(company=company, skills=[skill])
    for _ in range(8):
        factories.RoleFactory(industry=role.industry, skills=[skill])
    with django_assert_max_num_queries(12):
        assert client.get(role_url(role)).status_code == 200


def card_titles(html: str) -> list[str]:
    """The titles of the role cards on a page, in the order shown."""
    return re.findall(r'<h3 class="role-title"><a href="[^"]*">([^<]*)</a></h3>', html)


def test_company_page_lists_open_roles_a_page_at_a_time(client, company):
    for n in range(23):
        factories.RoleFactory(company=company, title=f"Role {n:02d}")
    factories.RoleFactory(company=company, title="Draft role", status=Status.DRAFT)
    factories.RoleFactory(title="Someone else's role")
    url = reverse("company_detail", kwargs={"slug": company.slug})

    first = client.get(url).content.decode()
    second = client.get(url, {"page": 2}).content.decode()

    assert card_titles(first) == [f"Role {n:02d}" for n in range(22, 2, -1)]
    assert 'Open roles <span class="muted">(23)</span>' in first
    assert "Page 1 of 2" in first
    assert 'rel="next" href="?page=2"' in first
    assert card_titles(second) == ["Role 02", "Role 01", "Role 00"]
    assert "Page 2 of 2" in second
    assert 'rel="prev" href="?page=1"' in second
    assert 'rel="next"' not in second


@pytest.mark.parametrize(("asked", "shown"), [("abc", 1), ("99", 2), ("0", 2), ("", 1)])
def test_company_page_falls_back_from_a_page_that_does_not_exist(client, company, asked, shown):
    for n in range(21):
        factories.RoleFactory(company=company, title=f"Role {n:02d}")

    response = client.get(reverse("company_detail", kwargs={"slug": company.slug}), {"page": asked})

    assert response.status_code == 200
    assert f"Page {shown} of 2" in response.content.decode()


def test_company_page_cards_show_what_a_card_shows(client, company):
    role = factories.RoleFactory(
        company=company,
        title="Evals & <Safety> Engineer",
        industry=factories.IndustryFactory(name="Healthcare"),
        workplace="hybrid",
        city="Berlin",
        salary_min=90_000,
        salary_currency="EUR",
        skills=[factories.SkillFactory(name="PyTorch")],
    )

    html = client.get(reverse("company_detail", kwargs={"slug": company.slug})).content.decode()

    assert f'<a href="{role.get_absolute_url()}">Evals &amp; &lt;Safety&gt; Engineer</a>' in html
    assert f'<a href="{company.get_absolute_url()}">Acme Health AI</a>' in html
    for text in ("Healthcare", "Hybrid", "Berlin", "EUR 90,000+ per year", "PyTorch", "Posted"):
        assert text in html, text


@pytest.mark.parametrize("role_count", [1, 45])
def test_company_page_queries_do_not_grow_with_roles(
    client, company, role_count, django_assert_max_num_queries
):
    skills = [factories.SkillFactory(name=f"Skill {n}") for n in range(10)]
    for _ in range(role_count):
        factories.RoleFactory(company=company, skills=skills)
    url = reverse("company_detail", kwargs={"slug": company.slug})

    # The company, the count, the page's ids, and the cards' two queries.
    with django_assert_max_num_queries(5):
        assert client.get(url, {"page": 2 if role_count > 20 else 1}).status_code == 200


def test_company_page_without_open_roles_says_so(client, company):
    factories.RoleFactory(company=company, status=Status.CLOSED)
    response = client.get(reverse("company_detail", kwargs={"slug": company.slug}))
    assert response.status_code == 200
    assert "Acme Health AI has no open roles right now." in response.content.decode()


def test_unknown_company_is_404(client, db):
    assert client.get("/companies/nobody/").status_code == 404


def test_a_role_from_a_one_off_file_import_never_shows_the_file_path(client, tmp_path):
    path = str(tmp_path / "operator-home" / "board.json")
    source = source_one_off_get_or_create(kind="greenhouse", location=path)
    role = factories.RoleFactory(source=source, origin=Role.Origin.INGEST, canonical_url="")

    page = client.get(role_url(role)).content.decode()

    assert "Found on Greenhouse job board (imported file)." in page
    assert "operator-home" not in page and str(tmp_path) not in page

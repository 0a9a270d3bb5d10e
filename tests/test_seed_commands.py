"""The seed_taxonomy and seed_demo management commands."""

from __future__ import annotations

import json
import re
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db.models import Count

from opportunities.catalog.taxonomy import skill_merge
from opportunities.models import (
    YEARLY_FACTOR,
    Company,
    CompanyMembership,
    DeveloperProfile,
    Industry,
    Role,
    RoleSkill,
    RoleStat,
    Skill,
    SkillAlias,
)

pytestmark = pytest.mark.django_db

TINY = {
    "industries": [{"slug": "legal", "name": "Legal", "description": "", "keywords": []}],
    "skills": [
        {"slug": "pytorch", "name": "PyTorch", "category": "framework", "aliases": ["torch"]},
        {"slug": "jax", "name": "JAX", "category": "framework", "aliases": []},
    ],
}


def _seed(*args: str) -> str:
    out = StringIO()
    call_command("seed_taxonomy", *args, stdout=out)
    return out.getvalue()


def _snapshot() -> dict:
    User = get_user_model()
    return {
        "industries": Industry.objects.count(),
        "skills": Skill.objects.count(),
        "aliases": SkillAlias.objects.count(),
        "users": User.objects.count(),
        "companies": Company.objects.count(),
        "memberships": CompanyMembership.objects.count(),
        "profiles": DeveloperProfile.objects.count(),
        "roles": dict(Role.objects.values_list("status").annotate(n=Count("id")).order_by()),
        "role_skills": RoleSkill.objects.count(),
    }


@pytest.fixture
def tiny_file(tmp_path):
    path = tmp_path / "taxonomy.json"
    path.write_text(json.dumps(TINY))
    return str(path)


def test_seed_taxonomy_prints_its_counts_and_a_second_run_creates_nothing(tiny_file):
    first = _seed("--file", tiny_file)
    second = _seed("--file", tiny_file)

    assert "industries: 1 created" in first
    assert "skills: 2 created" in first
    assert "aliases: 1 created" in first
    assert "industries: 0 created, 1 existing" in second
    assert "skills: 0 created, 2 existing" in second
    assert "aliases: 0 created, 1 existing" in second
    assert (Industry.objects.count(), Skill.objects.count(), SkillAlias.objects.count()) == (
        1,
        2,
        1,
    )


def test_seed_taxonomy_keeps_a_curators_rename_and_does_not_resurrect_a_merged_skill(tiny_file):
    _seed("--file", tiny_file)
    Skill.objects.filter(slug="jax").update(name="JAX (Google)")
    skill_merge(source=Skill.objects.get(slug="pytorch"), target=Skill.objects.get(slug="jax"))

    out = _seed("--file", tiny_file)

    assert Skill.objects.get(slug="jax").name == "JAX (Google)"
    assert not Skill.objects.active().filter(slug="pytorch").exists()
    assert Skill.objects.get(slug="pytorch").merged_into.slug == "jax"
    assert "1 merged away" in out


def test_seed_taxonomy_explains_a_missing_file(tmp_path):
    with pytest.raises(CommandError, match="No taxonomy file"):
        _seed("--file", str(tmp_path / "nope.json"))


def test_seed_taxonomy_loads_the_repository_file_with_enough_industries_and_skills():
    _seed()

    assert Skill.objects.count() >= 150
    slugs = set(Industry.objects.values_list("slug", flat=True))
    names = set(Industry.objects.values_list("name", flat=True))
    assert {"Healthcare & Medicine", "Entertainment & Media", "Finance & Business"} <= names
    assert len(slugs) >= 10
    for alias, skill in [("torch", "PyTorch"), ("LLM", "Large Language Models"), ("RAG", None)]:
        found = SkillAlias.objects.filter(name__iexact=alias).select_related("skill").first()
        assert found is not None, alias
        if skill:
            assert found.skill.name == skill


def test_seed_demo_builds_a_living_board_and_a_second_run_adds_nothing():
    _seed()
    call_command("seed_demo", stdout=StringIO())
    first = _snapshot()

    out = StringIO()
    call_command("seed_demo", stdout=out)

    assert _snapshot() == first
    assert "0 users, 0 companies, 0 published, 0 pending and 0 draft roles created" in (
        out.getvalue()
    )

    assert "Role statistics: 0 demo counters." in out.getvalue()
    demo_stats = RoleStat.objects.filter(role__company__slug="northwind-health-ai")
    assert demo_stats.filter(kind=RoleStat.Kind.VIEW).exists()
    assert demo_stats.filter(kind=RoleStat.Kind.APPLY_CLICK).exists()
    assert not RoleStat.objects.exclude(role__company__slug="northwind-health-ai").exists()

    published = Role.objects.filter(status=Role.Status.PUBLISHED)
    assert published.count() >= 55
    assert first["roles"].get("pending", 0) >= 3
    assert first["roles"].get("draft", 0) == 2  # the demo file's and the demo recruiter's
    assert published.values("industry").distinct().count() >= 10
    assert published.values("company").distinct().count() >= 10
    assert set(published.values_list("workplace", flat=True)) == {"remote", "hybrid", "onsite"}
    assert published.filter(worldwide=True).exists()
    assert published.exclude(salary_currency="USD").exists()
    assert published.exclude(salary_period="year").exists()
    for role in published.annotate(n=Count("role_skills")):
        assert 4 <= role.n <= 8, role.title
        assert role.salary_yearly_min == role.salary_min * YEARLY_FACTOR[role.salary_period]
        assert role.salary_yearly_max == role.salary_max * YEARLY_FACTOR[role.salary_period]
        assert role.description.startswith("<p>")
        assert role.posted_at is not None
    assert RoleSkill.objects.filter(kind="nice").exists()
    assert Role.objects.open().count() == published.count()


def test_seed_demo_creates_the_demo_logins():
    _seed()
    call_command("seed_demo", stdout=StringIO())
    User = get_user_model()

    users = {u.username: u for u in User.objects.all()}
    assert set(users) >= {
        "dev@example.com",
        "recruiter@example.com",
        "curator@example.com",
        "admin@example.com",
    }
    for user in users.values():
        assert user.check_password("genai-demo-2026")
        assert user.email == user.username
    dev, recruiter = users["dev@example.com"], users["recruiter@example.com"]
    curator, admin = users["curator@example.com"], users["admin@example.com"]
    assert dev.developer_profile.profile_skills.count() >= 5
    assert dev.developer_profile.industries.exists()
    assert not dev.is_staff
    assert recruiter.memberships.get().company.roles.exists()
    assert (curator.is_staff, curator.is_superuser) == (True, False)
    assert curator.groups.filter(name="Curators").exists()
    assert (admin.is_staff, admin.is_superuser) == (True, True)


def test_seed_demo_refuses_production_without_the_explicit_flag(settings):
    settings.PRODUCTION = True
    _seed()
    with pytest.raises(CommandError, match="--allow-production"):
        call_command("seed_demo", stdout=StringIO())
    assert not get_user_model().objects.exists()


def test_seed_demo_in_production_refuses_the_published_password(settings, monkeypatch):
    settings.PRODUCTION = True
    monkeypatch.setenv("SEED_DEMO_PASSWORD", "genai-demo-2026")
    _seed()
    with pytest.raises(CommandError, match="published demo password"):
        call_command("seed_demo", "--allow-production", stdout=StringIO())
    assert not get_user_model().objects.exists()


def test_seed_demo_in_production_generates_a_password_and_prints_it(settings, monkeypatch):
    settings.PRODUCTION = True
    monkeypatch.delenv("SEED_DEMO_PASSWORD", raising=False)
    _seed()
    out = StringIO()
    call_command("seed_demo", "--allow-production", stdout=out)

    password = re.search(r"Logins \(password (\S+)\)", out.getvalue())[1]
    assert len(password) >= 20
    admin = get_user_model().objects.get(username="admin@example.com")
    assert admin.check_password(password)
    assert not admin.check_password("genai-demo-2026")


def test_seed_demo_in_production_takes_the_password_from_the_environment(settings, monkeypatch):
    _seed()
    call_command("seed_demo", stdout=StringIO())  # seeded once on a laptop, published password
    settings.PRODUCTION = True
    monkeypatch.setenv("SEED_DEMO_PASSWORD", "a-staging-only-secret")
    out = StringIO()
    call_command("seed_demo", "--allow-production", stdout=out)

    assert "a-staging-only-secret" not in out.getvalue()
    for user in get_user_model().objects.all():
        assert user.check_password("a-staging-only-secret"), user.username

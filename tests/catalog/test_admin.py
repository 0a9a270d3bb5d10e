"""What a curator can and cannot do in the admin, driven through the Django test client."""

from __future__ import annotations

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth.models import Group, Permission

from opportunities.catalog.curators import CURATOR_PERMISSIONS, curators_group_sync
from opportunities.models import (
    Company,
    CompanyMembership,
    Industry,
    Role,
    RoleSkill,
    Skill,
    SkillAlias,
)
from tests import factories
from tests.catalog.admin_forms import change_form_data

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"


@pytest.fixture
def curator(db):
    user = factories.UserFactory(username="curator@example.com", is_staff=True)
    user.groups.add(curators_group_sync())
    return user


@pytest.fixture
def curator_client(client, curator):
    client.force_login(curator)
    return client


def test_the_migration_creates_the_curators_group_with_exactly_its_permissions():
    group = Group.objects.get(name="Curators")
    codenames = set(group.permissions.values_list("codename", flat=True))

    assert codenames == {
        f"{action}_{model}" for model, actions in CURATOR_PERMISSIONS.items() for action in actions
    }
    assert not any("developerprofile" in c or "profileskill" in c for c in codenames)
    assert not group.permissions.exclude(content_type__app_label="opportunities").exists()


def test_curators_group_sync_is_idempotent_and_removes_stray_permissions():
    group = curators_group_sync()
    before = set(group.permissions.values_list("pk", flat=True))
    group.permissions.add(Permission.objects.get(codename="delete_company"))

    again = curators_group_sync()

    assert again.pk == group.pk
    assert set(again.permissions.values_list("pk", flat=True)) == before


def test_curator_logs_in_to_the_admin(client, curator):
    response = client.post(
        "/admin/login/?next=/admin/",
        {"username": curator.username, "password": PASSWORD, "next": "/admin/"},
    )

    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    index = client.get("/admin/")
    assert index.status_code == 200
    assert b"Skills" in index.content
    assert b"Developer profiles" not in index.content


def test_curator_adds_an_industry(curator_client):
    response = curator_client.post(
        "/admin/opportunities/industry/add/",
        {
            "name": "Climate & Energy",
            "slug": "climate-energy",
            "description": "Grid forecasting and materials discovery.",
            "keywords": '["grid", "solar"]',
            "active": "on",
        },
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    industry = Industry.objects.get(slug="climate-energy")
    assert industry.keywords == ["grid", "solar"]


def _skill_form(skill: Skill, aliases: list[SkillAlias], new_alias: str) -> dict:
    data = {
        "name": skill.name,
        "slug": skill.slug,
        "category": skill.category,
        "match_name": "on",
        "active": "on",
        "aliases-TOTAL_FORMS": str(len(aliases) + 1),
        "aliases-INITIAL_FORMS": str(len(aliases)),
        "aliases-MIN_NUM_FORMS": "0",
        "aliases-MAX_NUM_FORMS": "1000",
    }
    for i, alias in enumerate(aliases):
        data |= {
            f"aliases-{i}-id": str(alias.pk),
            f"aliases-{i}-skill": str(skill.pk),
            f"aliases-{i}-name": alias.name,
        }
    n = len(aliases)
    data |= {f"aliases-{n}-skill": str(skill.pk), f"aliases-{n}-name": new_alias}
    return data


def test_curator_adds_an_alias_to_a_skill(curator_client):
    skill = factories.SkillFactory(name="PyTorch", slug="pytorch")
    existing = SkillAlias.objects.create(skill=skill, name="torch")

    response = curator_client.post(
        f"/admin/opportunities/skill/{skill.pk}/change/", _skill_form(skill, [existing], "pt2")
    )

    assert response.status_code == 302
    assert set(skill.aliases.values_list("name", flat=True)) == {"torch", "pt2"}


def test_an_alias_taken_by_another_skill_is_refused_with_a_message(curator_client):
    llm = factories.SkillFactory(name="Large Language Models")
    SkillAlias.objects.create(skill=llm, name="LLM")
    other = factories.SkillFactory(name="Legal Tech")

    response = curator_client.post(
        f"/admin/opportunities/skill/{other.pk}/change/", _skill_form(other, [], "llm")
    )

    assert response.status_code == 200
    assert "is already an alias of Large Language Models" in response.content.decode()
    assert not other.aliases.exists()


def test_curator_merges_skills_through_the_confirmation_page(curator_client):
    source = factories.SkillFactory(name="LLMs (dup)")
    target = factories.SkillFactory(name="Large Language Models")
    role = factories.RoleFactory()
    RoleSkill.objects.create(role=role, skill=source, kind="required")
    selected = {"action": "merge_selected", ACTION_CHECKBOX_NAME: [source.pk, target.pk]}

    confirm = curator_client.post("/admin/opportunities/skill/", selected)

    assert confirm.status_code == 200
    assert b"Merge into" in confirm.content
    assert b"LLMs (dup)" in confirm.content

    done = curator_client.post(
        "/admin/opportunities/skill/", selected | {"apply": "yes", "target": target.pk}
    )

    assert done.status_code == 302
    source.refresh_from_db()
    assert (source.merged_into, source.active) == (target, False)
    assert RoleSkill.objects.get(role=role).skill == target
    assert target.aliases.filter(name="LLMs (dup)").exists()


def test_curator_approves_a_pending_role(curator_client):
    pending = factories.RoleFactory(status=Role.Status.PENDING, posted_at=None)
    draft = factories.RoleFactory(status=Role.Status.DRAFT)

    response = curator_client.post(
        "/admin/opportunities/role/",
        {"action": "approve_selected", ACTION_CHECKBOX_NAME: [pending.pk, draft.pk]},
        follow=True,
    )

    assert response.status_code == 200
    pending.refresh_from_db()
    draft.refresh_from_db()
    assert pending.status == Role.Status.PUBLISHED
    assert pending.posted_at is not None
    assert draft.status == Role.Status.DRAFT
    assert b"Published 1 role" in response.content
    assert b"Left 1 role" in response.content


def test_curator_rejects_a_pending_role_with_a_reason(curator_client):
    pending = factories.RoleFactory(status=Role.Status.PENDING)
    selected = {"action": "reject_selected", ACTION_CHECKBOX_NAME: [pending.pk]}

    ask = curator_client.post("/admin/opportunities/role/", selected)
    assert ask.status_code == 200
    assert b"Reason" in ask.content

    curator_client.post(
        "/admin/opportunities/role/", selected | {"apply": "yes", "reason": "No salary range."}
    )

    pending.refresh_from_db()
    assert (pending.status, pending.review_note) == (Role.Status.REJECTED, "No salary range.")


def test_role_changelist_filters_by_status(curator_client):
    factories.RoleFactory(title="Pending one", status=Role.Status.PENDING)
    factories.RoleFactory(title="Published one", status=Role.Status.PUBLISHED)

    response = curator_client.get("/admin/opportunities/role/?status__exact=pending")

    assert response.status_code == 200
    assert b"Pending one" in response.content
    assert b"Published one" not in response.content


def test_curator_verifies_a_company(curator_client):
    company = factories.CompanyFactory(name="Clausewise", verified=False)

    curator_client.post(
        "/admin/opportunities/company/",
        {"action": "verify_selected", ACTION_CHECKBOX_NAME: [company.pk]},
    )

    company.refresh_from_db()
    assert company.verified is True


def test_a_website_typed_without_a_scheme_is_stored_as_https(curator_client):
    company = factories.CompanyFactory(name="Clausewise", slug="clausewise")
    form = (
        curator_client.get(f"/admin/opportunities/company/{company.pk}/change/")
        .context["adminform"]
        .form
    )
    data = {name: form.initial.get(name) or "" for name in form.fields}
    data.update({"website": "clausewise.example", "verified": ""})
    for prefix in ("memberships", "companymembership_set"):
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})

    response = curator_client.post(f"/admin/opportunities/company/{company.pk}/change/", data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    company.refresh_from_db()
    assert company.website == "https://clausewise.example"


def test_curator_cannot_open_the_user_admin(curator_client):
    assert curator_client.get("/admin/auth/user/").status_code == 403
    assert curator_client.get("/admin/auth/group/").status_code == 403


def test_curator_cannot_delete_a_company(curator_client, company):
    url = f"/admin/opportunities/company/{company.pk}/delete/"

    assert curator_client.get(url).status_code == 403
    assert curator_client.post(url, {"post": "yes"}).status_code == 403
    assert Company.objects.filter(pk=company.pk).exists()


def test_curator_cannot_see_developer_profiles(curator_client):
    profile = factories.DeveloperProfileFactory()

    assert curator_client.get("/admin/opportunities/developerprofile/").status_code == 403
    url = f"/admin/opportunities/developerprofile/{profile.pk}/change/"
    assert curator_client.get(url).status_code == 403


def test_superuser_sees_developer_profiles(client):
    admin = factories.UserFactory(username="root", is_staff=True, is_superuser=True)
    factories.DeveloperProfileFactory(headline="Diffusion specialist")
    client.force_login(admin)

    response = client.get("/admin/opportunities/developerprofile/")

    assert response.status_code == 200
    assert b"Diffusion specialist" in response.content


def test_non_staff_user_is_sent_away_from_the_admin(client, user):
    client.force_login(user)

    response = client.get("/admin/")

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    assert client.get("/admin/opportunities/skill/").status_code == 302


def test_anonymous_visitor_is_sent_to_the_admin_login(client):
    response = client.get("/admin/opportunities/role/")

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_curator_sees_a_companys_recruiters_by_name_never_by_e_mail(curator_client, company):
    named = factories.UserFactory(username="grace@example.com", first_name="Grace", last_name="H")
    factories.MembershipFactory(company=company, user=named)
    unnamed = factories.MembershipFactory(
        company=company, user=factories.UserFactory(username="anon@example.com")
    ).user

    body = curator_client.get(f"/admin/opportunities/company/{company.pk}/change/").content
    html = body.decode()

    assert "Grace H (recruiter)" in html
    assert f"Member #{unnamed.pk} (recruiter)" in html
    assert "grace@example.com" not in html and "anon@example.com" not in html
    assert "memberships-TOTAL_FORMS" not in html


def test_curator_cannot_make_a_user_a_member_by_raw_id(curator_client, company):
    outsider = factories.UserFactory(username="outsider@example.com")
    url = f"/admin/opportunities/company/{company.pk}/change/"
    data = change_form_data(curator_client.get(url).content.decode())
    data |= {
        "memberships-TOTAL_FORMS": "1",
        "memberships-INITIAL_FORMS": "0",
        "memberships-0-company": str(company.pk),
        "memberships-0-user": str(outsider.pk),
        "memberships-0-role": "owner",
    }

    curator_client.post(url, data)

    assert not CompanyMembership.objects.filter(user=outsider).exists()


def test_superuser_still_manages_memberships_inline(client, company):
    client.force_login(factories.UserFactory(username="root", is_staff=True, is_superuser=True))

    html = client.get(f"/admin/opportunities/company/{company.pk}/change/").content.decode()

    assert "memberships-TOTAL_FORMS" in html


def test_a_description_typed_in_the_admin_is_stored_sanitised(curator_client):
    role = factories.RoleFactory()
    url = f"/admin/opportunities/role/{role.pk}/change/"
    data = change_form_data(curator_client.get(url).content.decode())
    data |= {
        "title": "ML\x0c Engineer\x01",
        "description": '<p onclick="alert(1)">Hi<script>alert(2)</script>'
        '<img src=x onerror=alert(3)><a href="javascript:alert(4)">x</a></p>',
    }

    response = curator_client.post(url, data)

    assert response.status_code == 302
    role.refresh_from_db()
    assert role.title == "ML Engineer"
    assert role.description == '<p>Hi<a rel="nofollow noopener">x</a></p>'


def test_a_salary_edited_in_the_admin_updates_the_yearly_figures(curator_client):
    role = factories.RoleFactory(salary_min=50, salary_max=60, salary_period="hour")
    url = f"/admin/opportunities/role/{role.pk}/change/"
    data = change_form_data(curator_client.get(url).content.decode())
    data |= {"salary_min": "100000", "salary_max": "120000", "salary_period": "year"}

    assert curator_client.post(url, data).status_code == 302
    role.refresh_from_db()
    assert (role.salary_yearly_min, role.salary_yearly_max) == (100_000, 120_000)


def test_company_text_saved_in_the_admin_loses_control_characters(curator_client, company):
    url = f"/admin/opportunities/company/{company.pk}/change/"
    data = change_form_data(curator_client.get(url).content.decode())
    data |= {"name": "Acme\x0b AI", "description": "R&D <b>first</b>\x01"}

    assert curator_client.post(url, data).status_code == 302
    company.refresh_from_db()
    # The description is plain text, escaped on every page: kept as typed, minus the control.
    assert (company.name, company.description) == ("Acme AI", "R&D <b>first</b>")

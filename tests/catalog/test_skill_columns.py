"""Every path that changes a role's skills keeps its search columns and its matches current.

Role.skill_ids / skill_text mirror RoleSkill (opportunities/catalog/skill_columns.py). On
PostgreSQL the skill filter reads skill_ids alone, so a stale column hides the role there while
SQLite, which joins RoleSkill, still finds it: each test checks the column as well as the search.
"""

from __future__ import annotations

import json

import pytest

from opportunities.catalog.services import role_create, role_skills_changed, role_skills_set
from opportunities.catalog.taxonomy import skill_merge
from opportunities.enqueue import MATCH_ROLES
from opportunities.ingest.run import source_ingest
from opportunities.models import Role, RoleSkill, Source
from opportunities.search import search_roles
from tests import factories
from tests.catalog.admin_forms import change_form_data

pytestmark = pytest.mark.django_db


def found_by_skill(slug: str) -> set[int]:
    """Ids of the roles the search page lists for ?skill=<slug>."""
    return {role.pk for role in search_roles({"skill": slug}, facets=False).roles}


def rematched(enqueued: list[tuple[str, tuple]]) -> set[int]:
    return {pk for name, args in enqueued if name == MATCH_ROLES for pk in args[0]}


@pytest.fixture
def superuser_client(client):
    client.force_login(factories.UserFactory(username="root", is_staff=True, is_superuser=True))
    return client


def _inline_rows(data: dict[str, str]) -> int:
    return int(data["role_skills-TOTAL_FORMS"])


def test_adding_a_skill_in_the_admin_inline_makes_the_role_findable_and_rematches_it(
    superuser_client, enqueued, django_capture_on_commit_callbacks
):
    python = factories.SkillFactory(name="Python", slug="python")
    rag = factories.SkillFactory(name="RAG", slug="rag")
    role = factories.RoleFactory(skills=[python])
    url = f"/admin/opportunities/role/{role.pk}/change/"
    data = change_form_data(superuser_client.get(url).content.decode())
    n = _inline_rows(data)
    data |= {
        "role_skills-TOTAL_FORMS": str(n + 1),
        f"role_skills-{n}-role": str(role.pk),
        f"role_skills-{n}-skill": str(rag.pk),
        f"role_skills-{n}-kind": RoleSkill.Kind.REQUIRED,
    }

    with django_capture_on_commit_callbacks(execute=True):
        response = superuser_client.post(url, data)

    assert response.status_code == 302, response.content.decode()[:2000]
    role.refresh_from_db()
    assert role.skill_ids == sorted([python.pk, rag.pk])
    assert role.skill_text == "Python RAG"
    assert found_by_skill("rag") == {role.pk}
    assert role.pk in rematched(enqueued)


def test_removing_a_skill_in_the_admin_inline_drops_the_role_from_that_skills_search(
    superuser_client, enqueued, django_capture_on_commit_callbacks
):
    python = factories.SkillFactory(name="Python", slug="python")
    rag = factories.SkillFactory(name="RAG", slug="rag")
    role = factories.RoleFactory(skills=[python, rag])
    url = f"/admin/opportunities/role/{role.pk}/change/"
    data = change_form_data(superuser_client.get(url).content.decode())
    rag_row = next(
        key.removesuffix("-skill")
        for key, value in data.items()
        if key.endswith("-skill") and value == str(rag.pk)
    )
    data[f"{rag_row}-DELETE"] = "on"

    with django_capture_on_commit_callbacks(execute=True):
        response = superuser_client.post(url, data)

    assert response.status_code == 302
    role.refresh_from_db()
    assert role.skill_ids == [python.pk]
    assert found_by_skill("rag") == set()
    assert found_by_skill("python") == {role.pk}
    assert role.pk in rematched(enqueued)


def test_saving_a_role_in_the_admin_without_touching_its_skills_queues_no_rematch(
    superuser_client, enqueued, django_capture_on_commit_callbacks
):
    role = factories.RoleFactory(skills=[factories.SkillFactory(name="Python", slug="python")])
    url = f"/admin/opportunities/role/{role.pk}/change/"
    data = change_form_data(superuser_client.get(url).content.decode())
    data["title"] = "Staff ML Engineer"

    with django_capture_on_commit_callbacks(execute=True):
        response = superuser_client.post(url, data)

    assert response.status_code == 302
    role.refresh_from_db()
    assert role.title == "Staff ML Engineer"
    assert rematched(enqueued) == set()


def test_role_create_fills_the_columns_and_rematches_a_published_role(
    company, enqueued, django_capture_on_commit_callbacks
):
    rag = factories.SkillFactory(name="RAG", slug="rag")

    with django_capture_on_commit_callbacks(execute=True):
        role = role_create(
            company=company,
            title="LLM Engineer",
            workplace="remote",
            skills={rag: RoleSkill.Kind.REQUIRED},
            status=Role.Status.PUBLISHED,
        )

    role.refresh_from_db()
    assert role.skill_ids == [rag.pk]
    assert found_by_skill("rag") == {role.pk}
    assert rematched(enqueued) == {role.pk}


def test_role_skills_set_replaces_the_links_the_columns_and_rematches(
    enqueued, django_capture_on_commit_callbacks
):
    python = factories.SkillFactory(name="Python", slug="python")
    rag = factories.SkillFactory(name="RAG", slug="rag")
    role = factories.RoleFactory(skills=[python])

    with django_capture_on_commit_callbacks(execute=True):
        role_skills_set(role=role, skills={rag: RoleSkill.Kind.NICE})

    role.refresh_from_db()
    assert list(role.role_skills.values_list("skill__slug", "kind")) == [("rag", "nice")]
    assert (role.skill_ids, role.skill_text) == ([rag.pk], "RAG")
    assert found_by_skill("rag") == {role.pk}
    assert found_by_skill("python") == set()
    assert rematched(enqueued) == {role.pk}


def test_role_skills_changed_refreshes_links_written_elsewhere(
    enqueued, django_capture_on_commit_callbacks
):
    role = factories.RoleFactory()
    rag = factories.SkillFactory(name="RAG", slug="rag")
    RoleSkill.objects.create(role=role, skill=rag)

    with django_capture_on_commit_callbacks(execute=True):
        role_skills_changed(role_ids=[role.pk])

    role.refresh_from_db()
    assert role.skill_ids == [rag.pk]
    assert found_by_skill("rag") == {role.pk}
    assert rematched(enqueued) == {role.pk}


def test_reingesting_a_role_with_new_skills_makes_it_findable_by_them_and_rematches_it(
    tmp_path, enqueued, django_capture_on_commit_callbacks
):
    factories.SkillFactory(name="Python", slug="python")
    factories.SkillFactory(name="LangChain", slug="langchain")
    feed = tmp_path / "feed.json"
    job = {
        "id": 9001,
        "title": "LLM Engineer",
        "company_name": "Acme AI",
        "absolute_url": "https://boards.greenhouse.io/acme/jobs/9001",
        "location": {"name": "Berlin, Germany"},
        "first_published": "2026-11-01T09:00:00Z",
        "content": "&lt;p&gt;Python every day.&lt;/p&gt;",
    }
    feed.write_text(json.dumps({"jobs": [job]}))
    source = Source.objects.create(name="Acme", kind="greenhouse", location=str(feed))
    source_ingest(source=source, allow_local_files=True)
    role = Role.objects.get(source=source)
    assert found_by_skill("langchain") == set()
    enqueued.clear()

    job["content"] = "&lt;p&gt;Python and LangChain every day.&lt;/p&gt;"
    feed.write_text(json.dumps({"jobs": [job]}))
    Source.objects.filter(pk=source.pk).update(etag="", last_modified="")
    source.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        source_ingest(source=source, allow_local_files=True)

    role.refresh_from_db()
    assert "LangChain" in role.skill_text
    assert found_by_skill("langchain") == {role.pk}
    assert role.pk in rematched(enqueued)


def test_merging_a_skill_moves_its_roles_to_the_survivors_search_and_rematches_them(
    enqueued, django_capture_on_commit_callbacks
):
    source = factories.SkillFactory(name="LLMs (dup)", slug="llms-dup")
    target = factories.SkillFactory(name="Large Language Models", slug="llms")
    role = factories.RoleFactory(skills=[source])
    untouched = factories.RoleFactory(skills=[factories.SkillFactory(name="Go", slug="go")])

    with django_capture_on_commit_callbacks(execute=True):
        skill_merge(source=source, target=target)

    role.refresh_from_db()
    assert (role.skill_ids, role.skill_text) == ([target.pk], "Large Language Models")
    assert found_by_skill("llms") == {role.pk}
    assert rematched(enqueued) == {role.pk}
    assert untouched.pk not in rematched(enqueued)


def test_renaming_a_skill_in_the_admin_reaches_its_roles_text_search(superuser_client):
    skill = factories.SkillFactory(name="Torch", slug="torch")
    role = factories.RoleFactory(title="ML Engineer", skills=[skill])
    url = f"/admin/opportunities/skill/{skill.pk}/change/"
    data = change_form_data(superuser_client.get(url).content.decode())
    data["name"] = "Zanzibarnet"

    assert superuser_client.post(url, data).status_code == 302

    role.refresh_from_db()
    assert role.skill_text == "Zanzibarnet"
    found = search_roles({"q": "zanzibarnet"}, facets=False).roles
    assert [r.pk for r in found] == [role.pk]

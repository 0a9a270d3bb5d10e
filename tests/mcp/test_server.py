"""The MCP server's tools, called as an assistant calls them (in Django's thread, so the
tests commit their rows: transaction=True)."""

from __future__ import annotations

import asyncio
import datetime

import pytest
from django.utils import timezone
from mcp.server.mcpserver.exceptions import ToolError

from opportunities.api.services import api_token_create, api_token_revoke
from opportunities.insights.services import insights_rebuild
from opportunities.matching.rematch import match_roles
from opportunities.mcp import tools
from opportunities.mcp.server import BearerToken, build_server
from opportunities.models import ProfileSkill, Role, TrackedOpportunity
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def server():
    return build_server()


@pytest.fixture
def as_caller():
    """Set the caller's token as the stdio command does; unset after the test."""
    resets = []

    def use(secret: str) -> None:
        resets.append(tools.CALLER_TOKEN.set(secret))

    yield use
    for reset in reversed(resets):
        tools.CALLER_TOKEN.reset(reset)


def call(server, name: str, **arguments):
    result = asyncio.run(server.call_tool(name, arguments))
    assert not result.is_error, result.content
    return result.structured_content


def refused(server, name: str, **arguments) -> str:
    with pytest.raises(ToolError) as error:
        asyncio.run(server.call_tool(name, arguments))
    return str(error.value)


@pytest.fixture
def python():
    return factories.SkillFactory(name="Python", slug="python")


def test_the_server_lists_its_tools(server):
    names = {tool.name for tool in asyncio.run(server.list_tools())}
    assert names == {
        "search_roles",
        "get_role",
        "explain_match",
        "skill_trends",
        "tracker_read",
        "tracker_update",
    }


def test_search_roles_finds_what_the_board_finds(server, python):
    wanted = factories.RoleFactory(title="Computer vision engineer", skills=[python])
    factories.RoleFactory(title="Sales lead")

    found = call(server, "search_roles", q="vision", skill=["python", "cobol"])

    assert [role["id"] for role in found["roles"]] == [wanted.pk]
    assert found["roles"][0]["skills"] == ["python"]
    assert found["errors"]["skill"] == ["We don't know the skill “cobol”, so it was left out."]


def test_get_role_reads_a_public_role_and_no_draft(server, python):
    published = factories.RoleFactory(skills=[python], salary_min=1, salary_max=2)
    draft = factories.RoleFactory(status=Role.Status.DRAFT, posted_at=None)

    role = call(server, "get_role", role_id=published.pk)

    assert role["title"] == published.title
    assert role["skills"] == [{"slug": "python", "name": "Python", "required": True}]
    assert "no role" in refused(server, "get_role", role_id=draft.pk)


def test_skill_trends_gives_each_skill_s_weeks_and_without_skills_the_movers(server, python):
    now = timezone.now()
    for n in range(10):
        factories.RoleFactory(posted_at=now - datetime.timedelta(days=100 + n), skills=[python])
    for n in range(25):
        factories.RoleFactory(posted_at=now - datetime.timedelta(days=n), skills=[python])
    insights_rebuild()

    trends = call(server, "skill_trends", skills=["python"], weeks=12)["trends"]["python"]
    movers = call(server, "skill_trends")

    assert sum(week["new_roles"] for week in trends["weeks"]) == 25
    assert trends["page"].endswith("/skills/python/")
    assert [skill["slug"] for skill in movers["rising"]["skills"]] == ["python"]
    assert movers["falling"]["skills"] == []
    assert "no skill" in refused(server, "skill_trends", skills=["fortran-77"])


def test_explain_match_needs_a_token_and_explains_the_caller_s_fit(server, python, as_caller):
    role = factories.RoleFactory(skills=[python], worldwide=True)
    user = factories.UserFactory()
    profile = factories.DeveloperProfileFactory(user=user)
    ProfileSkill.objects.create(profile=profile, skill=python, level="expert")
    match_roles(role_ids=[role.pk])
    assert "token" in refused(server, "explain_match", role_id=role.pk)

    as_caller(api_token_create(user=user, name="assistant", scope="read").secret)
    explained = call(server, "explain_match", role_id=role.pk)

    assert explained["explanation"]["matched_required"] == ["python"]
    assert explained["score"] == profile.matches.get(role=role).score


def test_tracker_tools_read_and_update_with_a_read_write_token(server, as_caller):
    role = factories.RoleFactory()
    user = factories.UserFactory()
    as_caller(api_token_create(user=user, name="assistant", scope="read_write").secret)

    tracked = call(server, "tracker_update", role_id=role.pk, stage="applied", note="Sent CV")
    noted = call(server, "tracker_update", entry_id=tracked["id"], notes="Ask about evals")
    listed = call(server, "tracker_read", stage="applied")

    assert tracked["stage"] == "applied" and noted["notes"] == "Ask about evals"
    assert [entry["id"] for entry in listed["entries"]] == [tracked["id"]]
    entry = TrackedOpportunity.objects.get()
    assert entry.user == user and entry.role == role
    assert list(entry.stage_changes.values_list("stage", "note").order_by("at")) == [
        ("saved", ""),
        ("applied", "Sent CV"),
    ]


def test_a_read_token_may_not_update_the_tracker(server, as_caller):
    role = factories.RoleFactory()
    as_caller(api_token_create(user=factories.UserFactory(), name="r", scope="read").secret)
    assert "only read" in refused(server, "tracker_update", role_id=role.pk)
    assert not TrackedOpportunity.objects.exists()


def test_a_revoked_token_is_refused(server, as_caller):
    user = factories.UserFactory()
    made = api_token_create(user=user, name="assistant", scope="read_write")
    as_caller(made.secret)
    assert call(server, "tracker_read")["entries"] == []
    api_token_revoke(token=made.token, user=user)
    assert "revoked" in refused(server, "tracker_read")


def test_someone_else_s_entry_is_not_reachable(server, as_caller):
    theirs = TrackedOpportunity.objects.create(
        user=factories.UserFactory(), title="Theirs", company_name="Co"
    )
    as_caller(api_token_create(user=factories.UserFactory(), name="a", scope="read_write").secret)
    assert "no entry" in refused(server, "tracker_update", entry_id=theirs.pk, stage="applied")
    theirs.refresh_from_db()
    assert theirs.stage == "saved"


def test_over_http_each_request_s_bearer_token_is_the_caller_s():
    seen = []

    async def inner(scope, receive, send):
        seen.append(tools.CALLER_TOKEN.get())

    app = BearerToken(inner)
    for headers in ([(b"authorization", b"Bearer gj_abc")], [(b"authorization", b"Basic x")], []):
        asyncio.run(app({"type": "http", "headers": headers}, None, None))

    assert seen == ["gj_abc", "", ""]
    assert tools.CALLER_TOKEN.get() == ""

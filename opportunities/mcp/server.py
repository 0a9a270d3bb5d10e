"""The MCP server: each tool runs its plain function in Django's thread, errors as tool errors."""

from __future__ import annotations

from typing import Any

from asgiref.sync import sync_to_async
from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from starlette.types import ASGIApp, Receive, Scope, Send

from opportunities.mcp import tools

INSTRUCTIONS = (
    "GenAI Jobs: a job board for generative-AI developers. search_roles takes the board's "
    "search parameters (q, industry, skill, workplace, worldwide, country, seniority, "
    "salary_min, sort, page); get_role reads one role; skill_trends tells which skills are "
    "in demand and rising. With the user's token, explain_match "
    "says how their profile fits a role, and tracker_read / tracker_update keep their tracker."
)


async def _run(function, *args, **kwargs) -> dict[str, Any]:
    try:
        # The ORM may not run on the event loop; thread_sensitive keeps one thread for it.
        return await sync_to_async(function, thread_sensitive=True)(*args, **kwargs)
    except tools.ToolRefused as error:
        raise ToolError(str(error)) from error


def build_server() -> MCPServer:
    server = MCPServer(name="genai-jobs", instructions=INSTRUCTIONS)

    @server.tool()
    async def search_roles(
        q: str = "",
        industry: list[str] | None = None,
        skill: list[str] | None = None,
        skills: str = "",
        workplace: list[str] | None = None,
        worldwide: bool = False,
        country: str = "",
        seniority: list[str] | None = None,
        employment: list[str] | None = None,
        salary_min: str = "",
        visa: bool = False,
        posted_within: int | None = None,
        company: str = "",
        sort: str = "",
        page: int = 1,
    ) -> dict[str, Any]:
        """Search open roles as /jobs/ does: free text with web-search syntax, industry and
        skill slugs, workplace (onsite, hybrid, remote), worldwide, a country code, seniority,
        a minimum yearly salary, sort (relevance, newest, salary). Returns up to 20 roles."""
        params = {
            "q": q,
            "industry": industry or [],
            "skill": skill or [],
            "skills": skills,
            "workplace": workplace or [],
            "worldwide": "1" if worldwide else "",
            "country": country,
            "seniority": seniority or [],
            "employment": employment or [],
            "salary_min": salary_min,
            "visa": "1" if visa else "",
            "posted_within": str(posted_within) if posted_within else "",
            "company": company,
            "sort": sort,
            "page": str(page),
        }
        return await _run(tools.search, params)

    @server.tool()
    async def get_role(role_id: int) -> dict[str, Any]:
        """One role with its description, pay, place and required and nice-to-have skills."""
        return await _run(tools.role, role_id)

    @server.tool()
    async def explain_match(role_id: int) -> dict[str, Any]:
        """How the user's profile fits a role: the score, the skills matched and missing, and
        each factor's points; or why it is no match. Needs the user's token."""
        return await _run(tools.explain, role_id)

    @server.tool()
    async def skill_trends(
        skills: list[str] | None = None, industry: str = "", weeks: int = 12
    ) -> dict[str, Any]:
        """Demand for skills on the board, week by week (open and new postings asking for each
        skill, and their share of all), for up to 5 skill slugs; with none, the skills rising
        and falling most over the last 90 days. industry: an industry slug to narrow to."""
        return await _run(tools.skill_trends, skills, industry, weeks)

    @server.tool()
    async def tracker_read(stage: str = "") -> dict[str, Any]:
        """The user's tracked opportunities, newest change first (optionally one stage).
        Needs the user's token."""
        return await _run(tools.tracker_read, stage)

    @server.tool()
    async def tracker_update(
        role_id: int | None = None,
        entry_id: int | None = None,
        stage: str = "",
        note: str = "",
        notes: str | None = None,
    ) -> dict[str, Any]:
        """Track a board role (role_id), or change one of the user's entries (entry_id): move
        it to a stage (saved, applied, interviewing, offer, ...) with a note, or set its notes.
        Needs a read-and-write token."""
        return await _run(
            tools.tracker_update,
            role_id=role_id,
            entry_id=entry_id,
            stage=stage,
            note=note,
            notes=notes,
        )

    return server


class BearerToken:
    """ASGI middleware: each HTTP request's `Authorization: Bearer` token is the caller's."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        value = headers.get(b"authorization", b"").decode("latin-1")
        scheme, _, secret = value.partition(" ")
        reset = tools.CALLER_TOKEN.set(secret.strip() if scheme.lower() == "bearer" else "")
        try:
            await self.app(scope, receive, send)
        finally:
            tools.CALLER_TOKEN.reset(reset)


def http_app(*, host: str = "127.0.0.1") -> ASGIApp:
    """The server over streamable HTTP (at /mcp), for uvicorn or to mount beside Django."""
    app = build_server().streamable_http_app(stateless_http=True, json_response=True, host=host)
    return BearerToken(app)

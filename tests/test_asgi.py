"""The ASGI app with the MCP server mounted: /mcp and lifespan to it, the rest to Django."""

from __future__ import annotations

import asyncio

from genai_jobs.asgi import with_mcp


def test_mcp_paths_and_lifespan_go_to_the_mcp_server_the_rest_to_django():
    seen = []

    def app(name):
        async def handle(scope, receive, send):
            seen.append((name, scope["type"], scope.get("path")))

        return handle

    application = with_mcp(app("django"), app("mcp"))
    for scope in (
        {"type": "lifespan"},
        {"type": "http", "path": "/mcp"},
        {"type": "http", "path": "/api/v1/roles/"},
        {"type": "http", "path": "/"},
    ):
        asyncio.run(application(scope, None, None))

    assert seen == [
        ("mcp", "lifespan", None),
        ("mcp", "http", "/mcp"),
        ("django", "http", "/api/v1/roles/"),
        ("django", "http", "/"),
    ]

"""ASGI entry point: Django, and with MCP_HTTP_MOUNT=1 the MCP server at /mcp beside it."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "genai_jobs.settings")
django_application = get_asgi_application()

# After Django is set up: the MCP tools read its models.
from opportunities.mcp.server import http_app  # noqa: E402


def with_mcp(django_app, mcp_app):
    """/mcp to the MCP server, everything else to Django; lifespan events to the MCP server,
    whose session manager lives as long as the app (Django has no use for them)."""

    async def application(scope, receive, send):
        if scope["type"] == "lifespan" or scope.get("path", "").startswith("/mcp"):
            await mcp_app(scope, receive, send)
        else:
            await django_app(scope, receive, send)

    return application


application = (
    with_mcp(django_application, http_app())
    if os.environ.get("MCP_HTTP_MOUNT", "") == "1"
    else django_application
)

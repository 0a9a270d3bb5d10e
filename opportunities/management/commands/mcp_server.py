"""manage.py mcp_server: the MCP server over stdio (for an assistant), or over HTTP."""

from __future__ import annotations

import os

import uvicorn
from django.core.management.base import BaseCommand

from opportunities.mcp import tools
from opportunities.mcp.server import build_server, http_app


class Command(BaseCommand):
    help = "Serve the board's MCP tools over stdio (default) or streamable HTTP."

    def add_arguments(self, parser):
        parser.add_argument("--http", action="store_true", help="Serve HTTP at /mcp instead.")
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8765)

    def handle(self, *args, **options):
        if options["http"]:
            # Each request brings its own token (Authorization: Bearer).
            uvicorn.run(http_app(host=options["host"]), host=options["host"], port=options["port"])
            return
        # Over stdio the assistant starts the server for one user: their token, from the
        # environment, so it never shows in a process list.
        tools.CALLER_TOKEN.set(os.environ.get("GENAI_JOBS_TOKEN", ""))
        build_server().run("stdio")

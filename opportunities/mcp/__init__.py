"""The board for AI assistants: an MCP server with tools to search roles, read one, explain a
match and keep the tracker, over stdio (`manage.py mcp_server`) or mounted over HTTP."""

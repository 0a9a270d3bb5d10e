"""Market insights from the board's own roles: history, rollups, page figures (docs/insights.md)."""

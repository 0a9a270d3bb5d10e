"""A piece of advice or a flag about a posting, as the form, preview and moderation show it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Note:
    """One thing worth changing in a posting: what, why, and how to fix it."""

    code: str
    severity: str  # "info" | "warning"
    message: str
    reason: str
    suggestion: str

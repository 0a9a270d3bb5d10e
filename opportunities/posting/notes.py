"""The one shape of a piece of writing advice or a trust flag, shared by both producers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True)
class Note:
    """One remark about a role: what was noticed, why it matters and how to fix it."""

    code: str
    severity: Literal["info", "warning"]
    message: str
    reason: str = ""
    suggestion: str = ""

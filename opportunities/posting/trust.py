"""Trust and safety flags on a role."""

from __future__ import annotations

from typing import Any


def trust_flags(role: Any) -> list:
    """Trust flags on a role; written in parallel by another engineer; replaced at merge."""
    return []

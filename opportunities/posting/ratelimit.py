"""How many roles a recruiter, and a company, may submit in a window (settings, cache)."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache


class PostingRateLimited(ValueError):
    """Too many roles submitted in the window; the message says when to try again."""


def _count(key: str, window: int) -> int:
    # add() only sets a missing key, so the window starts at the first submission.
    cache.add(key, 0, timeout=window)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
        return 1


def posting_rate_check(*, user_id: int, company_id: int) -> None:
    """Count one submission against the recruiter and the company; refuse it past a limit."""
    limits = settings.POSTING_RATE_LIMITS
    for kind, ident in (("recruiter", user_id), ("company", company_id)):
        most, window = limits[kind]
        if _count(f"posting-rate:{kind}:{ident}", window) > most:
            hours = max(1, window // 3600)
            who = "you" if kind == "recruiter" else "your company"
            raise PostingRateLimited(
                f"{who.capitalize()} submitted the most roles we take in {hours} hours "
                f"({most}); try again later or ask us to raise the limit."
            )

"""The domain's plain facts, shared by pure code (parsers, scoring) and the models alike."""

from __future__ import annotations

# Seniority from the most junior up; matching ranks by position in this list.
SENIORITY_ORDER = ["intern", "junior", "mid", "senior", "lead", "executive"]
SENIORITY_RANK = {name: rank for rank, name in enumerate(SENIORITY_ORDER)}

# Working time behind each salary period, to compare salaries on a yearly basis.
YEARLY_FACTOR = {"year": 1, "month": 12, "week": 52, "day": 260, "hour": 2080}

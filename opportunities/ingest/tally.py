"""What one ingest run counts as it goes: both phases add to it, and the run saves it."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from opportunities.text import text_clean

ERRORS_KEPT = 200
REASON_LENGTH = 500


@dataclass(slots=True)
class Written:
    """What one committed batch wrote, for the run's tally."""

    created: int
    updated: int
    ids: list[int]
    companies: dict[str, int]  # ids by name, committed with the batch
    # Items the database refused, written one by one instead: (position, external id, reason).
    rejected: list[tuple[int, str, str]] = field(default_factory=list)

    def merge(self, other: Written) -> None:
        self.created += other.created
        self.updated += other.updated
        self.ids.extend(other.ids)
        self.companies.update(other.companies)
        self.rejected.extend(other.rejected)


@dataclass
class Tally:
    fetched: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    closed: int = 0
    rejected: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)
    unknown_terms: Counter = field(default_factory=Counter)
    touched_ids: list[int] = field(default_factory=list)
    # Company ids by name from batches already committed in this run (feeds repeat names).
    company_ids: dict[str, int] = field(default_factory=dict)
    # Each company's industry evidence over this run's postings (sources without a default).
    industry_scores: dict[str, dict[str, int]] = field(default_factory=dict)

    def add(self, written: Written) -> None:
        """Count a committed batch (only the thread running the ingest calls this)."""
        self.created += written.created
        self.updated += written.updated
        self.touched_ids.extend(written.ids)
        self.company_ids.update(written.companies)  # committed, so later batches may rely on them
        for position, external_id, reason in written.rejected:
            self.reject(position, external_id, reason)

    def reject(self, position: int, external_id: str | None, reason: str) -> None:
        """Count a rejected item; the first ERRORS_KEPT are kept with their reasons, cleaned
        (the run stores them as JSON, and PostgreSQL's jsonb refuses a NUL)."""
        self.rejected += 1
        if len(self.errors) < ERRORS_KEPT:
            self.errors.append(
                {
                    "position": position,
                    "external_id": text_clean(external_id)[:300],
                    "reason": text_clean(reason)[:REASON_LENGTH],
                }
            )

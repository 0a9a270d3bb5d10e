"""What one ingest run counts as it goes: both phases add to it, and the run saves it."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

ERRORS_KEPT = 200


@dataclass(slots=True)
class Written:
    """What one committed batch wrote, for the run's tally."""

    created: int
    updated: int
    ids: list[int]
    companies: dict[str, int]  # ids by name, committed with the batch


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

    def add(self, written: Written) -> None:
        """Count a committed batch (only the thread running the ingest calls this)."""
        self.created += written.created
        self.updated += written.updated
        self.touched_ids.extend(written.ids)
        self.company_ids.update(written.companies)  # committed, so later batches may rely on them

    def reject(self, position: int, external_id: str | None, reason: str) -> None:
        self.rejected += 1
        if len(self.errors) < ERRORS_KEPT:
            self.errors.append(
                {"position": position, "external_id": external_id or "", "reason": reason}
            )

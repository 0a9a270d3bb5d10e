"""A developer's numbers, worked out from their stage history: pure functions over its rows.

Applications per week, the response rate (applications that got any answer), the funnel from
applied to offer, the average days spent in each stage, and each of these by source.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from opportunities.models import ANSWERED_STAGES, OpportunitySource, Stage

SOURCE_LABELS = dict(OpportunitySource.choices)
STAGE_LABELS = dict(Stage.choices)
# The funnel's steps: an entry counts at a step once it has reached it (or any later one).
FUNNEL = (Stage.APPLIED, Stage.INTERVIEWING, Stage.OFFER, Stage.ACCEPTED)
WEEKS = 12


@dataclass
class SourceNumbers:
    source: str
    label: str
    applied: int = 0
    answered: int = 0
    funnel: dict[str, int] = field(default_factory=dict)
    recent: int = 0  # applications sent in the last WEEKS weeks
    stage_days: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))

    @property
    def response_rate(self) -> int | None:
        """Per cent of applications answered; None without applications."""
        return round(100 * self.answered / self.applied) if self.applied else None

    @property
    def per_week(self) -> float:
        """Applications a week, on average over the last WEEKS weeks."""
        return round(self.recent / WEEKS, 1)

    @property
    def days_by_stage(self) -> list[float | None]:
        """Mean days spent in each stage (Stage order); None where no entry was in it."""
        return [
            round(sum(days) / len(days), 1) if (days := self.stage_days.get(stage)) else None
            for stage in Stage.values
        ]


@dataclass
class Numbers:
    stages: list[str]  # stage labels, in the order of SourceNumbers.days_by_stage
    weeks: list[tuple[date, int]]  # Monday of each week, applications sent that week
    overall: SourceNumbers
    by_source: list[SourceNumbers]
    days_in_stage: list[tuple[str, float, int]]  # stage label, mean days, entries measured

    @property
    def empty(self) -> bool:
        return self.overall.applied == 0 and not any(n for _, _, n in self.days_in_stage)


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def numbers(rows: Iterable[tuple[int, str, datetime, str]], *, now: datetime) -> Numbers:
    """The numbers of these (entry id, stage, at, source) rows, ordered by entry then time."""
    histories: dict[int, list[tuple[str, datetime]]] = defaultdict(list)
    sources: dict[int, str] = {}
    for entry_id, stage, at, source in rows:
        histories[entry_id].append((stage, at))
        sources[entry_id] = source

    this_monday = _monday(now.date())
    week_starts = [this_monday - timedelta(weeks=n) for n in range(WEEKS - 1, -1, -1)]
    per_week: Counter[date] = Counter()
    stage_days: dict[str, list[float]] = defaultdict(list)
    totals = {
        source: SourceNumbers(source, label, funnel=dict.fromkeys(FUNNEL, 0))
        for source, label in OpportunitySource.choices
    }
    overall = SourceNumbers("", "All sources", funnel=dict.fromkeys(FUNNEL, 0))

    for entry_id, steps in histories.items():
        reached = {stage for stage, _ in steps}
        applied_at = next((at for stage, at in steps if stage != Stage.SAVED), None)
        bucket = totals.get(sources[entry_id])
        for target in (overall, bucket):
            if target is None:
                continue
            if applied_at is not None:
                target.applied += 1
                if reached & ANSWERED_STAGES:
                    target.answered += 1
            for index, step in enumerate(FUNNEL):
                got_there = (
                    applied_at is not None
                    if step == Stage.APPLIED
                    else reached & set(FUNNEL[index:])
                )
                if got_there:
                    target.funnel[step] += 1
        targets = [target for target in (overall, bucket) if target is not None]
        if applied_at is not None:
            per_week[_monday(applied_at.date())] += 1
            if _monday(applied_at.date()) >= week_starts[0]:
                for target in targets:
                    target.recent += 1
        for (stage, at), following in zip(steps, [*steps[1:], None], strict=True):
            until = following[1] if following else now
            days = max((until - at).total_seconds(), 0) / 86400
            stage_days[stage].append(days)
            for target in targets:
                target.stage_days[stage].append(days)

    return Numbers(
        stages=[STAGE_LABELS[stage] for stage in Stage.values],
        weeks=[(monday, per_week.get(monday, 0)) for monday in week_starts],
        overall=overall,
        by_source=[source for source in totals.values() if source.applied],
        days_in_stage=[
            (STAGE_LABELS[stage], round(sum(days) / len(days), 1), len(days))
            for stage in Stage.values
            if (days := stage_days.get(stage))
        ],
    )


def chart_data(result: Numbers) -> dict:
    """What the charts draw, for json_script: labels and values only."""
    return {
        "weeks": {
            "labels": [monday.isoformat() for monday, _ in result.weeks],
            "values": [count for _, count in result.weeks],
        },
        "funnel": {
            "labels": [STAGE_LABELS[step] for step in FUNNEL],
            "values": [result.overall.funnel[step] for step in FUNNEL],
        },
        "stages": {
            "labels": [label for label, _, _ in result.days_in_stage],
            "values": [days for _, days, _ in result.days_in_stage],
        },
        "sources": {
            "labels": [numbers.label for numbers in result.by_source],
            "values": [numbers.response_rate or 0 for numbers in result.by_source],
        },
    }

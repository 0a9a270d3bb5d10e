"""Print the quality gate's figures and every miss: `python -m tests.ingest.quality.report`.

It sets up a throw-away test database (as pytest would), runs the labelled fixtures through
the ingest, prints the table, then drops the database again.
"""

from __future__ import annotations

import os
import sys

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "genai_jobs.settings")
django.setup()

from django.test.utils import setup_databases, teardown_databases  # noqa: E402

from tests.ingest.quality.pipeline import labels_load, quality_run  # noqa: E402
from tests.ingest.quality.scoring import Scorecard, score  # noqa: E402


def scorecard_format(card: Scorecard, problems: list[str]) -> str:
    """The figures as a table, then the misses grouped by posting."""
    lines = [f"{'figure':<12} {'value':>6} {'target':>6}  {'right/total':>12}"]
    for figure in card.figures.values():
        mark = "ok" if figure.passed else "BELOW"
        lines.append(
            f"{figure.name:<12} {figure.value:>6.3f} {figure.threshold:>6.2f}  "
            f"{f'{figure.right}/{figure.total}':>12}  {mark}"
        )
    if problems:
        lines += ["", "Ingest problems:"] + [f"  {problem}" for problem in problems]
    lines += ["", f"Misses ({len(card.misses)}):"]
    posting = None
    for miss in card.misses:
        if miss.posting != posting:
            posting = miss.posting
            lines.append(f"  {posting}")
        lines.append(f"    {miss.field}: expected {miss.expected!r}, got {miss.got!r}")
    return "\n".join(lines)


def main() -> int:
    state = setup_databases(verbosity=0, interactive=False)
    try:
        run = quality_run()
    finally:
        teardown_databases(state, verbosity=0)
    card = score(labels_load(), run.observed, run.taxonomy)
    sys.stdout.write(scorecard_format(card, run.problems) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())

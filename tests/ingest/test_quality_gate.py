"""The quality gate (issue #18): the board's reading of labelled postings meets each target.

Every fixture under tests/fixtures/quality goes through the real ingest once per module; each
test checks one figure and, when it falls short, lists the misses behind it.
"""

from __future__ import annotations

import pytest

from tests.ingest.quality.pipeline import QualityRun, labels_load, quality_run
from tests.ingest.quality.scoring import FIGURE_FIELDS, THRESHOLDS, Scorecard, score

# The mark makes pytest-django create the test database the module's fixture writes to.
pytestmark = pytest.mark.django_db

# A figure whose tuning is still to land is reported, not enforced (none is, today).
pending = pytest.mark.xfail(strict=False, reason="issue #18 tuning not landed")


@pytest.fixture(scope="module")
def run(django_db_setup, django_db_blocker) -> QualityRun:
    """One ingest of every fixture for the whole module (it rolls its own writes back)."""
    with django_db_blocker.unblock():
        return quality_run()


@pytest.fixture(scope="module")
def card(run) -> Scorecard:
    return score(labels_load(), run.observed, run.taxonomy)


def _shortfall(card: Scorecard, name: str) -> str:
    figure = card.figures[name]
    lines = [
        f"{name} {figure.value:.3f} ({figure.right}/{figure.total}) is below {figure.threshold}:"
    ]
    for miss in card.misses_of(*FIGURE_FIELDS[name]):
        lines.append(f"  {miss.posting} {miss.field}: expected {miss.expected!r}, got {miss.got!r}")
    return "\n".join(lines)


def test_every_labelled_fixture_ingests_and_only_the_non_posting_is_skipped(run):
    # The thread's "Not hiring, but ..." comment is not a posting: skipped with a reason.
    assert len(run.problems) == 1, run.problems
    assert "50007" in run.problems[0]
    assert "not a job posting" in run.problems[0]


def test_every_label_names_a_posting_the_board_stored(card):
    assert card.misses_of("posting missing") == []
    assert card.misses_of("posting not labelled") == []


# Figures whose tuning has landed are held to their targets; the rest still only report.
MET = frozenset(
    {"coverage", "recall", "precision", "nice", "workplace", "eligibility", "salary", "industry"}
)


@pytest.mark.parametrize(
    "name", [name if name in MET else pytest.param(name, marks=pending) for name in THRESHOLDS]
)
def test_quality_figure_meets_its_target(card, name):
    assert card.figures[name].passed, _shortfall(card, name)

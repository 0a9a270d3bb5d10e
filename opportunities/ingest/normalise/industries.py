"""Guess a company's industry from keyword hits in its name and the text of its roles."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from opportunities.ingest.normalise.skills import TermMatcher

# A keyword counts at most this often, so one repeated word cannot outvote the rest.
_MAX_HITS_PER_KEYWORD = 3
# A hit in the company name ("Acme Health") says more than one in the body text.
_COMPANY_WEIGHT = 3
MIN_SCORE = 3
# Evidence from the text needs at least two different keywords ("legal" fifty times is one).
MIN_KEYWORDS = 2
# The winner must beat the runner-up by this factor and by at least MIN_LEAD points.
MIN_RATIO = 1.5
MIN_LEAD = 2


def industry_terms(taxonomy: Mapping[str, Any]) -> list[tuple[str, list[str]]]:
    """Read (slug, keywords) pairs from the parsed taxonomy.json mapping."""
    return [
        (industry["slug"], list(industry.get("keywords") or ()))
        for industry in taxonomy.get("industries", ())
    ]


class IndustryRecogniser:
    """Score industries by whole-word keyword hits; answer only when one clearly leads."""

    def __init__(self, industries: Iterable[tuple[str, Iterable[str]]]) -> None:
        """Index every keyword of every industry in one automaton."""
        self._matcher = TermMatcher(
            (keyword, slug) for slug, keywords in industries for keyword in keywords
        )

    def scores(self, company: str, text: str) -> dict[str, int]:
        """Score per industry slug: capped keyword hits in text plus weighted company hits.

        An industry named in the company scores; one whose text evidence rests on fewer than
        MIN_KEYWORDS different keywords does not.
        """
        scores: dict[str, int] = {}
        for source, weight in ((text, 1), (company, _COMPANY_WEIGHT)):
            hits: dict[tuple[str, str], int] = {}
            low = source.lower()
            for start, stop, slugs in self._matcher.spans(low):
                keyword = low[start:stop]
                for slug in slugs:
                    hits[(slug, keyword)] = hits.get((slug, keyword), 0) + 1
            distinct: dict[str, int] = {}
            for slug, _keyword in hits:
                distinct[slug] = distinct.get(slug, 0) + 1
            for (slug, _keyword), count in hits.items():
                if weight == 1 and distinct[slug] < MIN_KEYWORDS:
                    continue
                scores[slug] = scores.get(slug, 0) + weight * min(count, _MAX_HITS_PER_KEYWORD)
        return scores

    def guess(self, company: str, text: str) -> str | None:
        """The clearly leading industry slug, or None when weak or contested."""
        return best_industry(self.scores(company, text))


def scores_add(total: dict[str, int], scores: dict[str, int]) -> None:
    """Add one text's industry scores to a running total (a company's, over its roles)."""
    for slug, score in scores.items():
        total[slug] = total.get(slug, 0) + score


def best_industry(scores: dict[str, int]) -> str | None:
    """The slug that clearly leads these scores, or None when weak or contested."""
    ranked = sorted(scores.items(), key=lambda item: (-item[1], item[0]))
    if not ranked or ranked[0][1] < MIN_SCORE:
        return None
    best = ranked[0][1]
    runner_up = ranked[1][1] if len(ranked) > 1 else 0
    if best < runner_up * MIN_RATIO or best - runner_up < MIN_LEAD:
        return None
    return ranked[0][0]

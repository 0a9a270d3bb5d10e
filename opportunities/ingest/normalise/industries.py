"""Guess a company's industry from keyword hits in its name, what it says it does, and the
text of its roles."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from itertools import repeat
from typing import Any

from opportunities.ingest.normalise.skills import TermMatcher

# A keyword counts at most this often, so one repeated word cannot outvote the rest.
_MAX_HITS_PER_KEYWORD = 3
# A hit in the company name ("Acme Health") says more than one in the body text.
_COMPANY_WEIGHT = 3
# So does one in a sentence that says what the company is or does ("Acme is a bank"): it
# describes the company, where the rest of a posting mostly describes the role's function.
_DESCRIBING_WEIGHT = 3
MIN_SCORE = 3
# Evidence from the text needs at least two different keywords ("legal" fifty times is one).
MIN_KEYWORDS = 2
# The winner must beat the runner-up by this factor and by at least MIN_LEAD points.
MIN_RATIO = 1.5
MIN_LEAD = 2

# Phrases that hold an industry's keyword but say nothing of the company's industry: a
# perk ("health insurance") or a data store ("data warehouse"). Longest match wins, so
# indexing them under a key that is no industry's hides the keyword inside them.
_NOT_EVIDENCE = "-"
_NOT_EVIDENCE_PHRASES = (
    "health insurance",
    "dental insurance",
    "vision insurance",
    "medical insurance",
    "life insurance",
    "disability insurance",
    "insurance benefits",
    "health benefits",
    "healthcare benefits",
    "mental health days",
    "data warehouse",
    "data warehouses",
    "data warehousing",
    "sql warehouse",
    "cloud warehouse",
    "legal name",
    "legally authorized",
)
# The sentences read as the company's own description: those near a posting's top that start
# with the company's name or with "we"/"our" ("Acme is a bank", "We run clinics"), and those
# under an "About us" heading. A posting's first sentence is as often the role's as the
# company's, so it gets no weight of its own. Only a posting's head and its About
# section are read, so the cost per role stays small.
_HEAD_CHARS = 800
_ABOUT_CHARS = 800
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
_ABOUT_HEADING = re.compile(
    r"^[ \t]*(?:about (?!the role|the job|the position|the opportunity|this role|you\b)"
    r"(?:us|the company|the team|[\w&.' -]{1,40})|who we are|the company|"
    r"our company|company description|our mission)[ \t]*:?[ \t]*$",
    re.IGNORECASE | re.MULTILINE,
)
# Words of an About heading (after its first letter, which may be a capital).
_ABOUT_CUES = ("bout ", "ho we are", "ur company", "ur mission", "ompany description")
_SELF = re.compile(r"^(?:we|we're|we are|our|at [\w&.' -]{1,40},? we)\b", re.IGNORECASE)
# A client list names other companies' industries ("clients such as two banks"): the
# describing sentence ends where it starts.
_CLIENT_LIST = re.compile(
    r"\b(?:(?:clients?|customers?|partners?|brands?)\s+(?:such as|like|include|including)|"
    r"such as|including)\b",
    re.IGNORECASE,
)
# The same, to the end of its sentence, for a posting's whole text.
_CLIENT_CLAUSE = re.compile(_CLIENT_LIST.pattern + r"[^.!?\n]*", re.IGNORECASE)
_CLIENT_CUES = ("such as", "includ", " like ")
_HEADING_MAX = 60
_HEADING_WORDS = 6


def industry_terms(taxonomy: Mapping[str, Any]) -> list[tuple[str, list[str]]]:
    """Read (slug, keywords) pairs from the parsed taxonomy.json mapping."""
    return [
        (industry["slug"], list(industry.get("keywords") or ()))
        for industry in taxonomy.get("industries", ())
    ]


def describing_text(company: str, text: str) -> str:
    """The sentences of a posting that describe its company rather than the role."""
    if not text:
        return ""
    name = company.strip().lower()
    kept = _describing_sentences(name, text[:_HEAD_CHARS])
    # A plain find first: the anchored pattern is slow to try at every position.
    starts = [at for at in map(text.find, _ABOUT_CUES, repeat(_HEAD_CHARS)) if at >= 0]
    about = _ABOUT_HEADING.search(text, text.rfind("\n", 0, min(starts)) + 1) if starts else None
    if about is not None:
        section = text[about.end() : about.end() + _ABOUT_CHARS]
        kept += _describing_sentences(name, section, about=True)
    return "\n".join(kept)


def _describing_sentences(name: str, text: str, *, about: bool = False) -> list[str]:
    """The describing sentences of one stretch of text (a posting's head, an About section)."""
    first_word = name.split()[0] if name else ""
    joined = name.replace(" ", "")
    kept: list[str] = []
    for line in text.split("\n"):
        stripped = line.strip()
        if not stripped:
            continue
        if (
            len(stripped) <= _HEADING_MAX
            and not stripped.endswith((".", "!", "?"))
            and (stripped.endswith(":") or len(stripped.split()) <= _HEADING_WORDS)
        ):
            # A short line without a full stop is a heading (or a title, or a place); a
            # heading other than "About us" ends the About section.
            if _ABOUT_HEADING.match(stripped):
                about = True
            elif about:
                break
            continue
        for sentence in _SENTENCE_END.split(stripped):
            low = sentence.lower()
            # "Kestrel Labs trains ..." names the company the board spells "Kestrellabs".
            names_company = bool(first_word) and (
                low.startswith(first_word)
                or (
                    low.startswith(joined[:3])
                    and low[: len(joined) + 8].replace(" ", "").startswith(joined)
                )
            )
            if about or names_company or _SELF.match(low):
                cut = _CLIENT_LIST.search(sentence)
                kept.append(sentence[: cut.start()] if cut else sentence)
    return kept


class IndustryRecogniser:
    """Score industries by whole-word keyword hits; answer only when one clearly leads."""

    def __init__(self, industries: Iterable[tuple[str, Iterable[str]]]) -> None:
        """Index every keyword of every industry in one automaton."""
        terms = [(keyword, slug) for slug, keywords in industries for keyword in keywords]
        terms += [(phrase, _NOT_EVIDENCE) for phrase in _NOT_EVIDENCE_PHRASES]
        self._matcher = TermMatcher(terms)

    def _hits(self, source: str) -> dict[tuple[str, str], int]:
        hits: dict[tuple[str, str], int] = {}
        low = source.lower()
        for start, stop, slugs in self._matcher.spans(low):
            keyword = low[start:stop]
            for slug in slugs:
                if slug != _NOT_EVIDENCE:
                    hits[(slug, keyword)] = hits.get((slug, keyword), 0) + 1
        return hits

    def scores(self, company: str, text: str, *, describing: str = "") -> dict[str, int]:
        """Score per industry slug: capped keyword hits in text plus weighted company hits.

        `describing` is text that says what the company is or does (its own description,
        the sentences of a posting about it): each hit there counts like one in the name.
        An industry named in the company or its description scores; one whose other text
        evidence rests on fewer than MIN_KEYWORDS different keywords does not.
        """
        scores: dict[str, int] = {}
        for source, weight in (
            (text, 1),
            (describing, _DESCRIBING_WEIGHT),
            (company, _COMPANY_WEIGHT),
        ):
            hits = self._hits(source)
            distinct: dict[str, int] = {}
            for slug, _keyword in hits:
                distinct[slug] = distinct.get(slug, 0) + 1
            for (slug, _keyword), count in hits.items():
                if weight == 1 and distinct[slug] < MIN_KEYWORDS:
                    continue
                scores[slug] = scores.get(slug, 0) + weight * min(count, _MAX_HITS_PER_KEYWORD)
        return scores

    def posting_scores(self, company: str, title: str, text: str) -> dict[str, int]:
        """One posting's evidence: its text (less any client list), and its sentences that
        describe the company."""
        # A plain find first: the pattern is slow to try at every position of every posting.
        listed = any(cue in text for cue in _CLIENT_CUES)
        body = _CLIENT_CLAUSE.sub("", text) if listed else text
        return self.scores(company, f"{title}\n{body}", describing=describing_text(company, text))

    def guess(self, company: str, text: str) -> str | None:
        """The clearly leading industry slug for body text alone, or None when weak or contested."""
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

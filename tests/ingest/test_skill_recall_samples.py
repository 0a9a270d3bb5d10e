"""Skill recognition on the real payloads in ../shared/samples: every skill the taxonomy knows
that appears by name or alias in a role's title or description is found.

The recogniser makes one Aho-Corasick pass; the check here is deliberately naive (every
spelling of every term looked up with str.find, boundaries tested one by one) so that the two
share no code and a miss in either shows.
"""

from __future__ import annotations

import json
import re

import pytest

from opportunities.ingest.normalise.role import NormaliseError, normalise
from opportunities.ingest.normalise.sanitise import html_to_lines
from opportunities.ingest.normalise.skills import SkillRecogniser, skill_terms
from opportunities.ingest.parsers import parse
from opportunities.ingest.parsers.records import RawRole
from tests import paths
from tests.ingest.samples import SAMPLES, require_samples

ROOT = paths.ROOT
TAXONOMY = json.loads((ROOT / "opportunities" / "data" / "taxonomy.json").read_text())

SAMPLE_FILES = require_samples()


def _word_char(char: str) -> bool:
    # Letters and digits join words (CJK characters stand alone), as the taxonomy's terms do.
    return char.isalnum() and char < "\u2e80"


def _spellings(term: str) -> set[str]:
    low = " ".join(term.lower().split())
    return {low, low.replace("-", " "), low.replace(" ", "-")} - {""}


def _terms() -> list[tuple[str, str]]:
    """(spelling, slug) for every name and alias the recogniser is meant to find.

    One-letter names (C, R) are left out: whether "C" in a text is the language is a guess
    (Series C, C-level), not a whole-word fact.
    """
    pairs = []
    for skill in skill_terms(TAXONOMY):
        names = ([skill.name] if skill.match_name else []) + list(skill.aliases)
        for name in names:
            pairs.extend((spelling, skill.slug) for spelling in _spellings(name))
    return [(spelling, slug) for spelling, slug in pairs if len(spelling) > 1]


TERMS = _terms()


def occurrences(text: str) -> dict[str, list[tuple[int, int, bool]]]:
    """Where each slug's terms stand in the text as whole words (a plural "s" allowed), and
    whether that plural was taken."""
    low = text.lower()
    found: dict[str, list[tuple[int, int]]] = {}
    for spelling, slug in TERMS:
        start = low.find(spelling)
        while start != -1:
            stop = start + len(spelling)
            left_ok = not (_word_char(spelling[0]) and start and _word_char(low[start - 1]))
            right_ok = True
            plural = False
            if _word_char(spelling[-1]) and stop < len(low) and _word_char(low[stop]):
                after = low[stop + 1 : stop + 2]
                plural = low[stop] == "s" and not (after and _word_char(after))
                right_ok = plural and spelling[-1].isalpha()
                stop += 1
            if left_ok and right_ok:
                found.setdefault(slug, []).append((start, stop, plural))
            start = low.find(spelling, start + 1)
    return found


# What a careful reader skips: a section about the company, and sentences about a founder's
# past, a client list or a refused stack.
_ABOUT_HEADING = re.compile(
    r"who we are|about (?!(?:the )?(?:role|you|job|position|opportunity|team|this))"
)
_ASIDE_WORDS = (
    "founder",
    "founded by",
    "client",
    "customers include",
    "trusted by",
    "backed by",
    "previously",
    "please",
    "not your tech stack",
)


# Phrases that name people or a profile, not a skill ("our ML team", "your GitHub profile").
_NOT_SKILLS = re.compile(
    r"\bml (?:scientists?|engineers?|teams?|researchers?)\b"
    r"|\bgit(?:hub|lab) (?:profile|account)s?\b",
    re.I,
)


def readers_text(text: str) -> str:
    """The text without "About <company>" sections, set-aside sentences and phrases that
    name people."""
    text = _NOT_SKILLS.sub(" ", text)
    kept = []
    in_about = False
    for line in text.split("\n"):
        low = line.lower().lstrip("#* ")
        heading = not low.startswith("- ") and len(low.split()) <= 6 and not low.endswith(".")
        if heading:
            in_about = bool(_ABOUT_HEADING.match(low))
        if in_about:
            continue
        sentences = re.split(r"(?<=[.!?;])\s+", line)
        kept.append(" ".join(s for s in sentences if not any(w in s.lower() for w in _ASIDE_WORDS)))
    return "\n".join(kept)


def expected_skills(text: str) -> set[str]:
    """Slugs appearing in the text, except where the words are part of a longer term
    ("React" inside "React Native" names React Native)."""
    found = occurrences(readers_text(text))
    spans = [(*place, slug) for slug, places in found.items() for place in places]
    exact = {(start, stop) for start, stop, plural, _slug in spans if not plural}
    expected = set()
    for start, stop, plural, slug in spans:
        inside_longer = any(
            first <= start and stop <= last and last - first > stop - start
            for first, last, _plural, _slug in spans
        ) or (plural and (start, stop) in exact)  # "Sass" is not a plural of "SAS"
        if not inside_longer:
            expected.add(slug)
    return expected


@pytest.mark.parametrize("name", SAMPLE_FILES)
def test_every_known_skill_in_a_sample_role_is_found(name: str) -> None:
    recogniser = SkillRecogniser(skill_terms(TAXONOMY))
    kind = name.split("/", 1)[0]
    with (SAMPLES / name).open("rb") as stream:
        items = list(parse(kind, stream, base_url="https://example.com/careers/role"))
    checked = 0
    for item in items:
        if not isinstance(item, RawRole):
            continue
        try:
            role = normalise(item, skills=recogniser, default_company="Board Owner")
        except NormaliseError:
            continue
        # Titles name the job family too ("Compliance Manager"); the description is checked.
        lines = "\n".join(html_to_lines(role.description_html))
        missed = expected_skills(lines) - set(role.skills)
        assert not missed, f"{name} {role.external_id}: {sorted(missed)}"
        checked += 1
    assert checked, f"{name}: no role to check"


def test_the_check_itself_finds_names_aliases_and_plurals_and_skips_parts_of_longer_terms():
    text = "Senior PyTorch engineer: LLMs in production, LLM evals; TorchScript. Pytorchy; vLLMx."
    assert expected_skills(text) == {"pytorch", "large-language-models", "llm-evaluation"}

"""Wording that narrows who applies: gender-coded words, hype titles, age and ableist phrases.

The gender-coded stems follow the masculine and feminine word lists of Gaucher, Friesen & Kay,
"Evidence that gendered wording in job advertisements exists and sustains gender inequality"
(Journal of Personality and Social Psychology, 2011). Their lists were built for job ads in
general; stems that in a machine-learning posting are ordinary technical words ("analy-" in
"analytical", "lead-" in "lead the evaluation", "support-" in "support for CUDA", "depend-"
in "dependencies", "individual-", "objective", "active learning", "greedy decoding") are left
out or guarded by the words around them, so that the advice stays worth reading.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Stem -> words after it that make it ordinary wording, not a trait ("competitive salary").
# A stem ending in "*" matches any word starting with it; otherwise the word itself (and its
# plural or "-ly" form).
MASCULINE_STEMS: dict[str, frozenset[str]] = {
    "adventur*": frozenset(),
    "aggress*": frozenset(
        str.split(
            "quantization quantisation caching pruning compression optimization optimisation "
            "batching prefetching sparsity"
        )
    ),
    "ambitio*": frozenset(),
    "assertive*": frozenset(),
    "athlet*": frozenset(),
    "boast*": frozenset(),
    "competitive": frozenset(
        str.split(
            "salary salaries compensation pay package packages benefits base rates rate wages "
            "equity total stipend bonus bonuses"
        )
    ),
    "confident": frozenset(),
    "courag*": frozenset(),
    "decisive*": frozenset(),
    "determined": frozenset({"by", "from", "using", "through", "based"}),
    "dominan*": frozenset(),
    "dominat*": frozenset(),
    "fearless*": frozenset(),
    "forceful*": frozenset(),
    "headstrong": frozenset(),
    "hostil*": frozenset(),
    "impulsive*": frozenset(),
    "masculin*": frozenset(),
    "outspoken": frozenset(),
    "reckless*": frozenset(),
    "self-confiden*": frozenset(),
    "self-relian*": frozenset(),
    "self-sufficien*": frozenset(),
    "stubborn*": frozenset(),
    "superior": frozenset(str.split("results performance accuracy quality latency throughput")),
}
FEMININE_STEMS: dict[str, frozenset[str]] = {
    "affectionate": frozenset(),
    "cheerful*": frozenset(),
    "communal": frozenset(),
    "compassion*": frozenset(),
    "considerate": frozenset(),
    "cooperative": frozenset(),
    "emotional*": frozenset(str.split("speech tts voice voices expression prosody tone")),
    "empath*": frozenset(),
    "feminin*": frozenset(),
    "gentle": frozenset(),
    "honest*": frozenset(),
    "interdependen*": frozenset(),
    "interpersonal": frozenset(),
    "kindness": frozenset(),
    "kinship": frozenset(),
    "loyal*": frozenset(),
    "modest*": frozenset(
        str.split("budget budgets compute hardware amount amounts size sizes scale resources cost")
    ),
    "nurtur*": frozenset(),
    "pleasant*": frozenset(),
    "polite*": frozenset(),
    "sensitive": frozenset(
        str.split(
            "data information content workloads applications systems domains code fields personal "
            "customer environments details material materials records to"
        )
    ),
    "supportive": frozenset(),
    "sympath*": frozenset(),
    "warm": frozenset(str.split("start starts started up pool pools cache caches standby restart")),
    "warmth": frozenset(),
    "whin*": frozenset(),
}
# Neutral wording for the masculine-coded words met most often in tech postings.
MASCULINE_ALTERNATIVES: dict[str, str] = {
    "aggress": "bold, or say what pace you mean",
    "ambitio": "motivated, or name the goal",
    "assertive": "clear, direct",
    "competitive": "keen to improve",
    "confident": "comfortable with",
    "decisive": "able to make a call with the data at hand",
    "dominan": "leading, well known",
    "dominat": "lead",
    "fearless": "willing to try new approaches",
    "self-relian": "able to work on your own",
    "self-sufficien": "able to work on your own",
    "superior": "excellent",
}

_WORD_RE = re.compile(r"[a-z][a-z'-]*[a-z]|[a-z]")


@dataclass(frozen=True)
class Phrase:
    """A phrase to flag, with what to write instead."""

    pattern: re.Pattern[str]
    instead: str


def _phrases(rows: list[tuple[str, str]]) -> tuple[Phrase, ...]:
    return tuple(Phrase(re.compile(pattern, re.IGNORECASE), instead) for pattern, instead in rows)


HYPE_PHRASES = _phrases(
    [
        (r"\brock[- ]?stars?\b", "name the skills and the level you need"),
        (r"\bninjas?\b", "name the skills and the level you need"),
        (r"\bgurus?\b", "expert, or the level of experience you need"),
        (r"\bwizards?\b(?!\s+(?:flow|step|ui|page|screen)s?\b)", "expert"),
        (r"\bjedis?\b", "expert"),
        (r"\bsuper[- ]?stars?\b", "the experience you need"),
        (r"\bsuper[- ]?hero(?:es)?\b", "the experience you need"),
        (r"\b10x (?:engineers?|developers?|programmers?)\b", "the experience you need"),
        (r"\bwork hard,? play hard\b", "what the hours and the team are actually like"),
        (r"\bcrush(?:ing)? it\b", "what success in the role looks like"),
    ]
)
AGE_PHRASES = _phrases(
    [
        (r"\bdigital natives?\b", "comfortable with digital tools"),
        (r"\byoung,? (?:and )?(?:dynamic|energetic|vibrant|hungry|fresh)\b", "dynamic"),
        (r"\b(?:dynamic|energetic|vibrant),? young\b", "dynamic"),
        (r"\byoung (?:team|company culture|people)\b", "a fast-moving team"),
        (r"\byouthful\b", "energetic"),
        (r"\bfresh blood\b", "new perspectives"),
        (r"\bunder \d{2} years old\b", "drop the age limit"),
        (r"\baged? (?:between )?\d{2} ?(?:-|to|and) ?\d{2}\b", "drop the age range"),
        (
            r"\b(?:no more than|not more than|maximum(?: of)?|max\.?|at most) \d{1,2} "
            r"years?(?:'|\u2019)? (?:of )?experience\b",
            "the minimum experience needed, without a maximum",
        ),
        (r"\bover-?qualified\b", "describe the level of the role instead"),
    ]
)
ABLEIST_PHRASES = _phrases(
    [
        (r"\bable[- ]bodied\b", "describe the task and add “with or without accommodation”"),
        (r"\bcrazy\b", "remarkably, very"),
        (r"\binsane(?:ly)?\b", "remarkable, remarkably"),
        (r"\bOCD\b", "meticulous"),
        (r"\blame\b", "weak, dull"),
        (r"\bcrippl\w*", "slowing, blocking"),
        (r"\bdumb\b", "simple, naive"),
        (r"\bretard\w*", "slow down, delay"),
        (r"\bspaz\w*", "clumsy, jittery"),
        (r"\bpsycho\b", "intense"),
        (r"\btone[- ]deaf\b", "out of touch"),
        (r"\bturn(?:s|ing|ed)? a blind eye\b", "ignore"),
        (r"\bfall(?:s|ing)? on deaf ears\b", "go unheard"),
        (r"\bwheelchair[- ]bound\b", "a wheelchair user"),
        (
            r"\bmust be able to (?:stand|walk|lift|see|hear|speak)\b",
            "describe the task and add “with or without accommodation”",
        ),
        (r"\b(?:perfect|excellent|20/20) eye ?sight\b", "drop it unless the work needs it"),
        (r"\bstand for long periods\b", "describe the task and any accommodation"),
    ]
)


@dataclass(frozen=True)
class GenderCoding:
    """The gender-coded words of a text, each once, in the order they first appear."""

    masculine: tuple[str, ...]
    feminine: tuple[str, ...]


def _matches(word: str, stem: str) -> bool:
    if stem.endswith("*"):
        return word.startswith(stem[:-1])
    return word in (stem, f"{stem}s", f"{stem}ly")


def _coded(words: list[str], stems: dict[str, frozenset[str]]) -> tuple[str, ...]:
    found: dict[str, None] = {}
    for index, word in enumerate(words):
        for stem, ordinary_before in stems.items():
            if _matches(word, stem):
                following = words[index + 1] if index + 1 < len(words) else ""
                if following not in ordinary_before:
                    found[word] = None
                break
    return tuple(found)


def gender_coding(text: str) -> GenderCoding:
    """The masculine- and feminine-coded words of a text."""
    words = _WORD_RE.findall(text.lower())
    return GenderCoding(_coded(words, MASCULINE_STEMS), _coded(words, FEMININE_STEMS))


def alternative_for(word: str) -> str:
    """Neutral wording for a masculine-coded word, or "" when there is no stock answer."""
    for stem, instead in MASCULINE_ALTERNATIVES.items():
        if word.startswith(stem):
            return instead
    return ""


def phrases_found(text: str, phrases: tuple[Phrase, ...]) -> list[tuple[str, str]]:
    """(phrase as written, what to write instead) for each phrase in the text, once each."""
    found: dict[str, str] = {}
    for phrase in phrases:
        for match in phrase.pattern.finditer(text):
            found.setdefault(" ".join(match[0].split()), phrase.instead)
    return list(found.items())

"""Workplace and eligibility as a posting's text states them, over a board's flags.

What the text says, when it says it plainly, beats what a board's fields imply:
- on site, hybrid, or "must live in / relocate to <place>" beats a board's remote flag;
- "fully remote" (or "100% remote", "this role is remote") beats an on-site default;
- time-zone limits ("within two hours of UTC", "overlap with Pacific time") become the
  role's applicant time zones;
- "we cannot hire in <countries>" becomes the role's excluded countries.

Descriptions run to thousands of words, and normalising must stay cheap: a few substring
tests over the lower-cased text find the lines that carry a cue word, and only those few
lines are read with the detailed patterns.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from opportunities.ingest.normalise.locations import (
    LocationInfo,
    extract_timezones,
    format_offset,
    parse_locations,
    parse_place,
    timezone_range,
)
from opportunities.ingest.normalise.places import REGIONS

_HYBRID_RE = re.compile(
    r"\bhybrid\b(?!\s+(?:cloud|search|model|models|approach|retrieval|architecture|systems?|rag))"
    r"|\b(?:\d|one|two|three|four)\s*(?:\+\s*)?(?:days?)\s+(?:a|per|each|every)\s+week\s+"
    r"(?:in|at|from)\s+(?:the|our)\s+(?:\w+\s+)?office"
    r"|\bsplit\s+between\s+(?:home|remote)\s+and\s+(?:the\s+)?office"
    # "from our Toronto office three days a week", "onsite at our HQ four days per week"
    r"|\b(?:office|on[\s-]?site|headquarters|hq)\b[^.;]{0,40}?\b(?:one|two|three|four|[1-4])\s+"
    r"days?\s+(?:a|per|each|every)\s+week"
    r"|\b(?:one|two|three|four|[1-4])\s+(?:office|in-office|on-?site)\s+days\b",
)
_ONSITE_RE = re.compile(
    r"\b(?:this|the)\s+(?:role|position|job)\s+is\s+(?:fully\s+|100%\s+)?(?:on[\s-]?site|in[\s-]office|in[\s-]person|office[\s-]based)"
    r"|\b(?:fully|100%)\s+(?:on[\s-]?site|in[\s-]office|in[\s-]person)"
    r"|\b(?:this|the)\s+(?:role|position|job)\s+is\s+not\s+(?:a\s+)?remote"
    r"|\bnot\s+a\s+remote\s+(?:role|position|job)"
    r"|\bno\s+remote(?:\s+work)?\b(?!-)"
    r"|\bmust\s+(?:live|be\s+based|reside|be\s+located)\s+(?:in|within|near)\b"
    r"|\b(?:able|willing|required|need)\s+to\s+relocate\s+to\b|\brelocate\s+to\b"
    r"|\b(?:work|working)\s+(?:on[\s-]?site|in\s+(?:the|our)\s+office)\s+(?:full[\s-]time|five\s+days|5\s+days|every\s+day)",
)
# "Occasional on-site visits" or "on-site interviews" are not the workplace.
_REMOTE_RE = re.compile(
    r"\b(?:fully|100\s?%|completely|entirely)\s+remote\b"
    r"|\bremote[\s-]only\b"
    r"|\b(?:this|the)\s+(?:role|position|job)\s+is\s+(?:a\s+)?remote\b"
    r"|\bwork\s+from\s+anywhere\b",
)
_EXCLUDED_RE = re.compile(
    r"\b(?:cannot|can\s?not|can't|can\u2019t|are\s+unable\s+to|are\s+not\s+able\s+to|do\s+not|don't|don\u2019t)"
    r"\s+(?:currently\s+|yet\s+)?(?:hire|employ|accept\s+(?:applicants|candidates|applications)"
    r"|consider\s+(?:applicants|candidates)|sponsor\s+or\s+hire)"
    r"(?:\s+(?:anyone|people|candidates|applicants|employees|contractors|residents))?"
    r"\s+(?:based\s+|located\s+|living\s+|residing\s+)?(?:in|from)\s+(?P<places>[^.;:!?\n]{2,160})"
    r"|\b(?:not\s+(?:open|available)\s+to\s+(?:candidates|applicants|residents)"
    r"\s+(?:based\s+|located\s+)?(?:in|from))\s+(?P<places2>[^.;:!?\n]{2,160})",
    re.I,
)
# Where a list of countries ends: "India or Brazil at this time".
_LIST_END_RE = re.compile(
    r"\b(?:at|for|due|because|currently|yet|right|unless|without|as|but|while|until|so|"
    r"though|although|which|who|where|please|if)\b.*$",
    re.I | re.S,
)
_LIST_SPLIT_RE = re.compile(r"\s*(?:,|;|/|\bor\b|\band\b|&)\s*", re.I)
_NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6}
# "within two hours of UTC", "+/- 3 hours of CET": the spread written out.
_WITHIN_HOURS_RE = re.compile(
    r"\b(?:within|\+/-|±|plus\s+or\s+minus)\s*(?P<n>\d{1,2}|one|two|three|four|five|six)\s*"
    r"(?:hours?|hrs?|h)\s+(?:of|from)\s+",
    re.I,
)


@dataclass(slots=True)
class StatedEligibility:
    """What a description states outright; None or empty where it states nothing."""

    workplace: str | None = None
    place: str = ""  # the place in "must live in or relocate to <place>"
    excluded_countries: list[str] = field(default_factory=list)


# Few and short, since each costs one scan of the whole text; every cue phrase the patterns
# read holds one of them ("on-site" holds "site", "two days a week in the office" "office").
_WORKPLACE_KEYS = (
    "not remote",
    "not a remote",
    "no remote",
    "site",
    "onsite",
    "office",
    "in-person",
    "in person",
    "hybrid",
    "relocat",
    "must",
)
_HYBRID_KEYS = ("hybrid", "office")
_PLACE_KEYS = ("remote", "anywhere in", "live in", "reside in", "based in", "located in")
_REMOTE_KEYS = ("remote", "anywhere")
# What a window must hold for the on-site pattern to be worth trying in it.
_ONSITE_HINTS = (
    "site",
    "office",
    "person",
    "not remote",
    "not a remote",
    "no remote",
    "must live",
    "must be",
    "must reside",
    "relocat",
)
_NEGATION_KEYS = ("not", "n't", "n\u2019t", "unable")
_HIRING_KEYS = ("hir", "employ", "candidates", "applicants", "residents", "accept")
_TIMEZONE_KEYS = (
    "zone",
    "utc",
    "gmt",
    "overlap",
    "business hours",
    "working hours",
    "pacific time",
    "eastern time",
    "central time",
    "mountain time",
    "european time",
    "\u00b1",
    "+/-",
)


def stated_eligibility(text: str, low: str | None = None) -> StatedEligibility:
    """Read workplace, the place to live in and excluded countries from a description
    (`low`: the text lower-cased, when the caller has it)."""
    low, text = _lowered(text, low)
    found = StatedEligibility()
    onsite, hybrid, found.place = _office_cues(text, low, _WORKPLACE_KEYS)
    remote = _remote_cue(low)
    if remote and not (onsite or hybrid):
        found.workplace = "remote"
    elif hybrid and not remote:
        found.workplace = "hybrid"
    elif onsite and not remote:
        found.workplace = "onsite"
    found.excluded_countries = stated_exclusions(text, low)
    return found


def stated_exclusions(
    text: str, low: str | None = None, keys: tuple[str, ...] = _NEGATION_KEYS
) -> list[str]:
    """Countries a description says the company cannot hire in, as ISO codes."""
    low, text = _lowered(text, low)
    codes: list[str] = []
    for start, end in _cue_spans(low, keys, before=20, after=220):
        if any(key in low[start:end] for key in _HIRING_KEYS):
            _read_exclusions(text[start:end], codes)
    return codes


def _lowered(text: str, low: str | None) -> tuple[str, str]:
    """(lower-cased text, text whose offsets match it)."""
    low = text.lower() if low is None else low
    # A letter whose lower case is longer would make the offsets drift: read the lower case.
    return low, (text if len(low) == len(text) else low)


def _office_cues(text: str, low: str, keys: tuple[str, ...]) -> tuple[bool, bool, str]:
    """(says on site, says hybrid, the place in "must live in <place>") from the windows
    around the keys; the patterns are written in lower case and read the lower case."""
    onsite = hybrid = False
    place = ""
    for start, end in _cue_spans(low, keys, before=50, after=90, word=True):
        window = low[start:end]
        if ("hybrid" in window or "office" in window or "days" in window) and _HYBRID_RE.search(
            window
        ):
            hybrid = True
        onsite_match = (
            _ONSITE_RE.search(window) if any(h in window for h in _ONSITE_HINTS) else None
        )
        if onsite_match:
            onsite = True
            if not place and onsite_match.group().rstrip().endswith(("in", "to", "near", "within")):
                at = start + onsite_match.end()
                place = text[at : at + 80]
    return onsite, hybrid, place


def _remote_cue(low: str, keys: tuple[str, ...] = _REMOTE_KEYS) -> bool:
    """Whether the text says the role is fully remote."""
    return any(
        _REMOTE_RE.search(low, start, end)
        for start, end in _cue_spans(low, keys, before=30, after=30, word=True)
    )


def _names_after_remote(text: str, at: int) -> bool:
    """Whether what follows "remote" at `at` could name places ("Remote from ...", "Remote,
    US and Canada"), so the window is worth the pattern; most mentions ("remote-first", "a
    remote team") are not."""
    tail = text[at + 6 : at + 22].lstrip(" ,(-:\u2013\u2014")
    return tail[:1].isupper() or tail.lower().startswith(_AFTER_REMOTE)


_AFTER_REMOTE = ("from ", "in ", "within ", "across ", "only ", "anywhere in ", "ly from ")


def stated_timezones(
    text: str, low: str | None = None, keys: tuple[str, ...] = _TIMEZONE_KEYS
) -> list[int]:
    """The time zones a description limits applicants to, as offsets in minutes."""
    offsets: list[int] = []
    low = text.lower() if low is None else low
    if len(low) != len(text):
        text = low
    for start, end in _cue_spans(low, keys, before=50, after=70, word=True):
        _read_timezones(text[start:end], offsets)
    return offsets


# Substrings every detailed pattern's match holds: `find` over the lower-cased text runs in
# C at memory speed, where even one case-blind regex alternation costs a hundred times more;
# the patterns then read only a short window around each hit, within its line.
def _cue_spans(
    low: str,
    keys: tuple[str, ...],
    *,
    before: int,
    after: int,
    word: bool = False,
    accept: Callable[[str, int], bool] | None = None,
) -> list[tuple[int, int]]:
    """(start, end) of windows around each hit of a key in the lower-cased text, cut at its
    line, overlapping ones merged; with `word`, only hits that start a word ("utc", not the
    "utc" of "outcome"; "site", not that of "website")."""
    spans: list[tuple[int, int]] = []
    for key in keys:
        at = low.find(key)
        while at >= 0:
            if (word and at and low[at - 1].isalnum()) or (
                accept is not None and not accept(key, at)
            ):
                at = low.find(key, at + len(key))
                continue
            # Bounded searches: a description may be one long line.
            start = max(0, at - before)
            start = low.rfind("\n", start, at) + 1 or start
            end = min(len(low), at + len(key) + after)
            line_end = low.find("\n", at, end)
            spans.append((start, end if line_end < 0 else line_end))
            at = low.find(key, at + len(key))
    if not spans:
        return []
    spans.sort()
    merged = [spans[0]]
    for start, end in spans[1:]:
        if start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _read_exclusions(line: str, into: list[str]) -> None:
    for match in _EXCLUDED_RE.finditer(line):
        places = match.group("places") or match.group("places2") or ""
        # States ("we cannot hire in California") narrow a country; they exclude no country.
        codes, labels = _countries_named(_LIST_END_RE.sub("", places), states=False)
        for code in [*codes, *(c for label in labels for c in REGIONS[label])]:
            if code not in into:
                into.append(code)


def _countries_named(places: str, *, states: bool = True) -> tuple[list[str], list[str]]:
    """(ISO codes, region labels) of a list such as "the Netherlands, Belgium or Germany";
    nothing unless every item names a country or region (a city is not a country)."""
    codes: list[str] = []
    labels: list[str] = []
    for name in _LIST_SPLIT_RE.split(places):
        name = name.strip(" .,")
        if not name:
            continue
        piece = parse_place(name)
        if piece.city:
            return [], []
        if piece.region and not states:
            continue  # a state or province
        found = [code for code in (piece.country, *piece.countries) if code]
        if not found and not piece.regions:
            return [], []
        codes.extend(code for code in found if code not in codes)
        labels.extend(label for label in piece.regions if label not in labels)
    return codes, labels


# "Remote from the UK, Ireland or Portugal", "Remote, US and Canada only", "remote within the
# EU", "apply only if you live in the Netherlands, Belgium or Germany".
_PLACES_RE = re.compile(
    r"\bremote(?:ly)?\s*(?:[,(\u2013-]\s*|\s)(?:from\s+|in\s+|within\s+|across\s+)?"
    r"(?:anywhere\s+in\s+)?(?:the\s+)?(?P<places>(?-i:[A-Z])[^.;:!?\n()]{1,120}?)"
    r"\s*(?:\bonly\b|[.;:!?\n()]|$)"
    r"|\banywhere\s+in\s+(?:the\s+)?(?P<places3>(?-i:[A-Z])[^.;:!?\n()]{1,120}?)\s*(?:\bonly\b|[.;:!?\n()]|$)"
    r"|\b(?:only\s+if\s+you|you\s+must|must|need\s+to)\s+(?:live|reside|be\s+based|be\s+located)"
    r"\s+in\s+(?:the\s+)?(?P<places2>(?-i:[A-Z])[^.;:!?\n()]{1,120}?)\s*(?:\bonly\b|[.;:!?\n()]|$)",
    re.I,
)


def stated_places(
    text: str, low: str | None = None, keys: tuple[str, ...] = _PLACE_KEYS
) -> tuple[list[str], list[str]]:
    """(countries, regions) a description says a remote role's applicants must live in."""
    low, text = _lowered(text, low)
    spans = _cue_spans(
        low,
        keys,
        before=30,
        after=140,
        word=True,
        accept=lambda key, at: key != "remote" or _names_after_remote(text, at),
    )
    for start, end in spans:
        for match in _PLACES_RE.finditer(text, start, end):
            places = match.group("places") or match.group("places2") or match.group("places3")
            codes, labels = _countries_named(_LIST_END_RE.sub("", places or ""))
            if codes or labels:
                return codes, labels
    return [], []


def _read_timezones(line: str, into: list[int]) -> None:
    offsets: list[int] = []
    spread = _WITHIN_HOURS_RE.search(line)
    if spread:
        hours = spread.group("n").lower()
        count = _NUMBER_WORDS.get(hours) or int(hours)
        # "within two hours of UTC": the zone named next, widened by the hours on each side.
        extract_timezones(line[spread.end() : spread.end() + 40], offsets)
        if offsets:
            offsets = timezone_range(min(offsets) - count * 60, max(offsets) + count * 60)
    else:
        extract_timezones(line, offsets)
    into.extend(offset for offset in offsets if offset not in into)


_PLACE_LEAD_RE = re.compile(
    r"^\s*(?:or\s+)?(?:(?:be\s+)?(?:willing|able)\s+to\s+)?(?:relocate|move)\s+to\s+|^\s*(?:the|our)\s+",
    re.I,
)


def _stated_place(text: str) -> LocationInfo | None:
    """The city or country in "must live in or relocate to <place>", if it names one."""
    text = re.split(
        r"[.;:!?()]|\s(?:and|or|with|to|for|by)\s",
        _PLACE_LEAD_RE.sub("", _PLACE_LEAD_RE.sub("", text)),
        maxsplit=1,
    )[0]
    place = parse_locations([text]) if text.strip() else None
    return place if place is not None and place.country else None


# The word (any of them) a key's hit must hold, when the text's words are known.
_KEY_WORDS: dict[str, tuple[str, ...]] = {
    "must": ("live", "reside", "based", "located"),  # "must live in", "must be based in"
    "not remote": ("remote",),
    "not a remote": ("remote",),
    "no remote": ("remote",),
    "in-person": ("person",),
    "in person": ("person",),
    "relocat": ("relocate", "relocation", "relocating", "relocated"),
    "not": ("not", "cannot"),
    "n't": ("t",),
    "n\u2019t": ("can\u2019t", "don\u2019t", "won\u2019t"),
    "zone": ("zone", "zones", "timezone", "timezones"),
    "business hours": ("business",),
    "working hours": ("working",),
    "pacific time": ("pacific",),
    "eastern time": ("eastern",),
    "central time": ("central",),
    "mountain time": ("mountain",),
    "european time": ("european",),
}


class _Words:
    """Which cue words a description holds, from its set of words (str or, for ASCII text,
    bytes); None means unknown, and every cue is then looked for."""

    __slots__ = ("_bytes", "_words")

    def __init__(self, words: frozenset | None) -> None:
        self._bytes = bool(words) and isinstance(next(iter(words)), bytes)
        self._words = words

    def any(self, keys: frozenset[str], keys_bytes: frozenset[bytes]) -> bool:
        if self._words is None:
            return True
        return not self._words.isdisjoint(keys_bytes if self._bytes else keys)

    def keys(self, keys: tuple[str, ...]) -> tuple[str, ...]:
        """The keys worth a scan: those whose word the text holds (symbols always)."""
        if self._words is None:
            return keys
        words = self._words
        side = 1 if self._bytes else 0
        gates = _GATES
        return tuple(
            [
                key
                for key in keys
                if (gate := gates[key]) is None or not gate[side].isdisjoint(words)
            ]
        )


def _gate(key: str) -> tuple[frozenset[str], frozenset[bytes]] | None:
    """The words (as str and as bytes) one of which a key's hit holds; None for a symbol."""
    words = _KEY_WORDS.get(key, (key,))
    if not words[0].isalnum():
        return None
    return frozenset(words), frozenset(word.encode() for word in words)


def _cue_words(*words: str) -> tuple[frozenset[str], frozenset[bytes]]:
    return frozenset(words), frozenset(word.encode() for word in words)


_OFFICE_WORDS = _cue_words(
    "site",
    "onsite",
    "office",
    "person",
    "hybrid",
    "relocate",
    "relocation",
    "relocating",
    "live",
    "reside",
    "located",
    "remote",
)
_HYBRID_WORDS = _cue_words("hybrid", "office")
_PLACE_WORDS = _cue_words("remote", "anywhere", "live", "reside", "based", "located")
_REMOTE_WORDS = _cue_words("remote", "anywhere")
_HIRING_WORDS = _cue_words(
    "hire",
    "hiring",
    "employ",
    "employment",
    "candidates",
    "applicants",
    "residents",
    "accept",
    "applications",
    "consider",
)
_NEGATION_WORDS = _cue_words(
    "cannot", "not", "t", "unable", "can\u2019t", "don\u2019t", "won\u2019t"
)
_TIMEZONE_WORDS = _cue_words(
    "utc",
    "gmt",
    "zone",
    "zones",
    "timezone",
    "timezones",
    "overlap",
    "hours",
    "pacific",
    "eastern",
    "central",
    "mountain",
    "european",
)


_GATES = {
    key: _gate(key)
    for keys in (
        _WORKPLACE_KEYS,
        _HYBRID_KEYS,
        _REMOTE_KEYS,
        _PLACE_KEYS,
        _NEGATION_KEYS,
        _TIMEZONE_KEYS,
    )
    for key in keys
}


_CURRENCY_CODES = ("usd", "eur", "gbp", "chf", "cad")
_ALL_CUE_WORDS = (
    frozenset(_CURRENCY_CODES).union(
        *(gate[0] for gate in _GATES.values() if gate),
        *(words[0] for words in (_OFFICE_WORDS, _HYBRID_WORDS, _REMOTE_WORDS, _PLACE_WORDS)),
        *(words[0] for words in (_NEGATION_WORDS, _HIRING_WORDS, _TIMEZONE_WORDS)),
    ),
    frozenset(code.encode() for code in _CURRENCY_CODES).union(
        *(gate[1] for gate in _GATES.values() if gate),
        *(words[1] for words in (_OFFICE_WORDS, _HYBRID_WORDS, _REMOTE_WORDS, _PLACE_WORDS)),
        *(words[1] for words in (_NEGATION_WORDS, _HIRING_WORDS, _TIMEZONE_WORDS)),
    ),
)


def cue_words(words: list[str] | list[bytes], *, ascii_text: bool) -> frozenset:
    """The cue words among a description's words (bytes when the text is ASCII): the only
    words the readers here and salary.salary_in_text test for, found in one pass in C."""
    if ascii_text:
        return frozenset(_ALL_CUE_WORDS[1].intersection(words))
    return frozenset(_ALL_CUE_WORDS[0].intersection(words))


def apply_stated(
    info: LocationInfo,
    text: str,
    *,
    workplace_stated: bool,
    words: frozenset | None = None,
    low: str | None = None,
) -> None:
    """Let what the text states override the location fields' reading (rules: module doc).

    `workplace_stated` says whether the board or the location strings named a workplace; only
    then is an on-site workplace more than a default that "fully remote" text replaces. Only
    the cues that could change this role's reading are looked for, and a cue that the text
    contradicts ("fully remote", yet "must live in Austin") changes nothing. `words`, the
    description's set of words, lets a text without a cue word cost no closer reading.
    """
    held = _Words(words)
    low, text = _lowered(text, low)
    place = ""
    office = held.any(*_OFFICE_WORDS)
    remote_said = held.any(*_REMOTE_WORDS)
    if info.workplace == "remote":
        if office:
            onsite, hybrid, place = _office_cues(text, low, held.keys(_WORKPLACE_KEYS))
            if (onsite or hybrid) and not (
                remote_said and _remote_cue(low, held.keys(_REMOTE_KEYS))
            ):
                info.workplace = "hybrid" if hybrid else "onsite"
                info.worldwide = False
                info.applicant_countries, info.applicant_regions, info.timezones = [], [], []
    elif info.workplace == "onsite" and workplace_stated:
        if held.any(*_HYBRID_WORDS):
            _, hybrid, _ = _office_cues(text, low, held.keys(_HYBRID_KEYS))
            if hybrid and not (remote_said and _remote_cue(low, held.keys(_REMOTE_KEYS))):
                info.workplace = "hybrid"
    elif info.workplace == "onsite":
        onsite, hybrid, place = (
            _office_cues(text, low, held.keys(_WORKPLACE_KEYS)) if office else (False, False, "")
        )
        remote = remote_said and _remote_cue(low, held.keys(_REMOTE_KEYS))
        if remote and not (onsite or hybrid):
            info.workplace = "remote"
            if info.country:
                info.applicant_countries = [info.country]
        elif hybrid and not remote:
            info.workplace = "hybrid"
    if info.workplace != "remote":
        if place and not info.country:
            found = _stated_place(place)
            if found is not None:
                info.city, info.region, info.country = found.city, found.region, found.country
        return
    if held.any(*_PLACE_WORDS):
        codes, labels = stated_places(text, low, held.keys(_PLACE_KEYS))
        if codes or labels:
            info.applicant_regions = labels
            info.applicant_countries = list(
                dict.fromkeys([*codes, *(c for label in labels for c in REGIONS[label])])
            )
            info.worldwide = False
    if not info.timezones and (held.any(*_TIMEZONE_WORDS) or "\u00b1" in text or "+/-" in text):
        offsets = stated_timezones(text, low, held.keys(_TIMEZONE_KEYS))
        if offsets:
            info.timezones = [format_offset(m) for m in sorted(offsets)]
            info.worldwide = False
    # Only a remote role's applicants come from many countries; an office names its own.
    excluded = (
        stated_exclusions(text, low, held.keys(_NEGATION_KEYS))
        if held.any(*_NEGATION_WORDS) and held.any(*_HIRING_WORDS)
        else []
    )
    if excluded:
        # Still worldwide: "anywhere but where sanctions forbid" is open to nearly everyone,
        # and search and matching honour the exclusions themselves.
        info.excluded_countries = excluded
        info.applicant_countries = [
            code for code in info.applicant_countries if code not in excluded
        ]

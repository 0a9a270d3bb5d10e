"""Workplace and eligibility as a posting's text states them, over a board's flags.

What the text says, when it says it plainly, beats what a board's fields imply:
- on site, hybrid, or "must live in / relocate to <place>" beats a board's remote flag;
- "fully remote" (or "100% remote", "this role is remote") beats an on-site default;
- time-zone limits ("within two hours of UTC", "overlap with Pacific time") become the
  role's applicant time zones;
- "we cannot hire in <countries>" becomes the role's excluded countries.

Descriptions run to thousands of words, and normalising must stay cheap: one pass of one
compiled alternation finds the lines that carry a cue word, and only those few lines are
read with the detailed patterns.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from opportunities.ingest.normalise.locations import (
    LocationInfo,
    extract_timezones,
    format_offset,
    parse_locations,
    resolve_countries,
    timezone_range,
)

# Every detailed pattern below starts with one of these words; a line without any is skipped.
_CUE_RE = re.compile(
    r"on[\s-]?site|onsite|in[\s-]office|in[\s-]person|office|hybrid|relocat|must\s+(?:live|be\s+based|reside)"
    r"|remote|hire|hiring|employ|time\s?zones?|utc|gmt|overlap|pacific|eastern|central\s+time"
    r"|business\s+hours|working\s+hours",
    re.I,
)

_HYBRID_RE = re.compile(
    r"\bhybrid\b(?!\s+(?:cloud|search|model|models|approach|retrieval|architecture|systems?|rag))"
    r"|\b(?:\d|one|two|three|four)\s*(?:\+\s*)?(?:days?)\s+(?:a|per|each|every)\s+week\s+"
    r"(?:in|at|from)\s+(?:the|our)\s+(?:\w+\s+)?office"
    r"|\bsplit\s+between\s+(?:home|remote)\s+and\s+(?:the\s+)?office",
    re.I,
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
    re.I,
)
# "Occasional on-site visits" or "on-site interviews" are not the workplace.
_REMOTE_RE = re.compile(
    r"\b(?:fully|100\s?%|completely|entirely)\s+remote\b"
    r"|\bremote[\s-]only\b"
    r"|\b(?:this|the)\s+(?:role|position|job)\s+is\s+(?:a\s+)?remote\b"
    r"|\bwork\s+from\s+anywhere\b",
    re.I,
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
_TIMEZONE_CONTEXT_RE = re.compile(
    r"time\s?zones?|overlap|business\s+hours|working\s+hours|\bhours\s+of\b|\bwithin\b", re.I
)


@dataclass(slots=True)
class StatedEligibility:
    """What a description states outright; None or empty where it states nothing."""

    workplace: str | None = None
    place: str = ""  # the place in "must live in or relocate to <place>"
    timezones: list[int] = field(default_factory=list)  # offsets in minutes
    excluded_countries: list[str] = field(default_factory=list)


def stated_eligibility(text: str) -> StatedEligibility:
    """Read workplace, time zones and excluded countries from a description's lines."""
    found = StatedEligibility()
    if not _CUE_RE.search(text):
        return found
    onsite = hybrid = remote = False
    for line in text.splitlines():
        if not _CUE_RE.search(line):
            continue
        if _HYBRID_RE.search(line):
            hybrid = True
        onsite_match = _ONSITE_RE.search(line)
        if onsite_match:
            onsite = True
            if not found.place and onsite_match.group().lower().rstrip().endswith(
                ("in", "to", "near", "within")
            ):
                found.place = line[onsite_match.end() : onsite_match.end() + 80]
        if _REMOTE_RE.search(line):
            remote = True
        _read_exclusions(line, found.excluded_countries)
        if _TIMEZONE_CONTEXT_RE.search(line):
            _read_timezones(line, found.timezones)
    if remote and not (onsite or hybrid):
        found.workplace = "remote"
    elif hybrid and not remote:
        found.workplace = "hybrid"
    elif onsite and not remote:
        found.workplace = "onsite"
    return found


def _read_exclusions(line: str, into: list[str]) -> None:
    for match in _EXCLUDED_RE.finditer(line):
        places = match.group("places") or match.group("places2") or ""
        places = _LIST_END_RE.sub("", places)
        names = [name for name in _LIST_SPLIT_RE.split(places) if name.strip()]
        codes, _ = resolve_countries(names)
        into.extend(code for code in codes if code not in into)


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


def apply_stated(info: LocationInfo, stated: StatedEligibility, *, workplace_stated: bool) -> None:
    """Let what the text states override the location fields' reading (rules: module doc).

    `workplace_stated` says whether the board or the location strings named a workplace; only
    then is an on-site workplace more than a default that "fully remote" text replaces.
    """
    if stated.workplace in ("onsite", "hybrid") and info.workplace != stated.workplace:
        if info.workplace == "remote" or (
            info.workplace == "onsite" and stated.workplace == "hybrid"
        ):
            info.workplace = stated.workplace
            info.worldwide = False
            info.applicant_countries, info.applicant_regions, info.timezones = [], [], []
    elif stated.workplace == "remote" and info.workplace == "onsite" and not workplace_stated:
        info.workplace = "remote"
        if info.country:
            info.applicant_countries = [info.country]
    if info.workplace != "remote" and stated.place and not info.country:
        place = _stated_place(stated.place)
        if place is not None:
            info.city, info.region, info.country = place.city, place.region, place.country
    if info.workplace == "remote" and stated.timezones and not info.timezones:
        info.timezones = [format_offset(m) for m in sorted(stated.timezones)]
        info.worldwide = False
    if stated.excluded_countries:
        info.excluded_countries = list(stated.excluded_countries)
        info.worldwide = False
        info.applicant_countries = [
            code for code in info.applicant_countries if code not in info.excluded_countries
        ]

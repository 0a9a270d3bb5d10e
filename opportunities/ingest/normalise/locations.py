"""Turn a source's location strings into workplace, base place and applicant restrictions.

Rules (see parse_locations):
- Workplace: the source's explicit hint wins; else across the location strings remote beats
  hybrid beats on-site (a role that may be done remotely is a remote role with an office);
  a string naming regions or time zones but no city ("EMEA", "UTC-5 to UTC+1") implies remote;
  then words in the title; else "onsite".
- Worldwide: only a remote role with an explicit "anywhere / worldwide / global / fully
  distributed" and no country, region or time-zone restriction. Plain "Remote" is ambiguous,
  so it stays remote with worldwide False and nothing recorded.
- Base place (country/city/region): the first city, preferring office strings over remote ones;
  with no city, the country when every string names the same single country
  ("Remote (US only)" -> "US").
- Applicant restrictions (remote roles only, plus whatever the source lists explicitly):
  countries and regions named in remote strings; regions expand to their country lists
  while the label is kept in applicant_regions.
- Time zones ("UTC-5 to UTC+1", "CET ±2h", "GMT+0 - GMT+3", "EST", "European time zones")
  become every whole-hour offset they cover, as "UTC-05:00" strings, so a developer's zone is
  a membership test.
- A two-letter capital code after a city is read as a US state or Canadian province unless it
  is the city's own country ("Berlin, DE"); standing alone it is an ISO country ("CA" = Canada).
  An unknown name before a country or state is kept as the city ("Kraków, Poland").
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from opportunities.ingest.normalise.places import (
    CA_PROVINCE_NAMES,
    CA_PROVINCES,
    CITIES,
    COUNTRY_CODES,
    COUNTRY_NAMES,
    REGION_ALIASES,
    REGIONS,
    TZ_ABBREVIATIONS,
    TZ_NAMES,
    US_STATE_NAMES,
    US_STATES,
)


@dataclass(slots=True)
class LocationInfo:
    """Where a role is done and who may apply, in the Role model's terms."""

    workplace: str = "onsite"
    worldwide: bool = False
    country: str = ""
    city: str = ""
    region: str = ""
    applicant_countries: list[str] = field(default_factory=list)
    applicant_regions: list[str] = field(default_factory=list)
    timezones: list[str] = field(default_factory=list)
    excluded_countries: list[str] = field(default_factory=list)
    # Whether a board's field or a location string named the workplace (not a default).
    workplace_stated: bool = False


@dataclass(slots=True)
class _Draft:
    """One alternative location ("Remote, Canada") while it is being parsed."""

    mode: str | None = None
    worldwide: bool = False
    city: str = ""
    country: str = ""
    region: str = ""
    countries: list[str] = field(default_factory=list)
    regions: list[str] = field(default_factory=list)
    timezones: list[int] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class _Piece:
    """One parsed alternative; immutable because parses are cached and shared."""

    mode: str | None
    worldwide: bool
    city: str
    country: str
    region: str
    countries: tuple[str, ...]
    regions: tuple[str, ...]
    timezones: tuple[int, ...]


_HYBRID_RE = re.compile(r"\bhybrid\b", re.I)
_REMOTE_RE = re.compile(
    r"\b(?:remote(?:ly)?|work(?:ing)?\s+from\s+home|wfh|telecommute|telework|distributed)\b", re.I
)
_ONSITE_RE = re.compile(
    r"\b(?:on[\s-]?site|in[\s-]office|in[\s-]person|office[\s-]based|on[\s-]premises)\b", re.I
)
_WORLDWIDE_RE = re.compile(
    r"\b(?:anywhere(?:\s+in\s+the\s+world)?|world\s?wide|global(?:ly)?|fully\s+distributed"
    r"|any\s+(?:location|country)|all\s+countries)\b",
    re.I,
)
# Everything the markers above match, plus decoration around them, removed before place lookup.
_MARKERS_RE = re.compile(
    r"\b100\s?%|\bfully\b(?!\s+distributed)|"
    + "|".join(p.pattern for p in (_WORLDWIDE_RE, _HYBRID_RE, _REMOTE_RE, _ONSITE_RE)),
    re.I,
)
# " or " stays lower-case only: "Portland, OR" is Oregon.
# The lookbehinds start a match only where a run of white space starts: tried at every space
# of a long run, each attempt would scan the rest of it (quadratic time).
_SPLIT_PIECES_RE = re.compile(r"(?<!\s)\s*(?:;|\||\n)\s*|(?<!\s)\s+or\s+")
_SPLIT_SEGMENTS_RE = re.compile(r"(?<!\s)\s+[-\u2013\u2014]\s+|[,()\[\]/:\u2013\u2014]")
_STRIP_CHARS = " \t.-\u2013*'\"!"
_AND_RE = re.compile(r"\s+(?:and|&)\s+", re.I)
_ZONE_OF_PLACE_RE = re.compile(r"[\w.]+\s+(?:time\s?zones?|timezones?)\b", re.I)
_FILLER = frozenset(
    str.split(
        "only based in the of within from eligible preferred flexibility flexible friendly "
        "first ok okay possible optional hq headquarters office offices location locations "
        "multiple various tbd other any residents resident citizens candidates applicants must "
        "be located time zone zones timezone timezones countries country region regions area "
        "home work required position role job team opportunity open to remote schedule hours "
        "days week weeks travel occasional relocation visa sponsorship available availability "
        "overlap with some"
    )
)
_NAME_LIKE_RE = re.compile(r"^[^\W\d_][^\W\d_ .'\u2019-]*(?:[ .'\u2019-]+[^\W\d_]+){0,4}\.?$")
_NGRAM_WORD_RE = re.compile(r"[^\W_]+(?:[.&][^\W_]+)*")

_TZ_TOKEN = (
    r"(?:(?i:\b(?:utc|gmt))(?:\s?[+\-\u2212]\s?\d{1,2}(?::?[0-5]\d)?)?"
    r"|\b(?:" + "|".join(sorted(TZ_ABBREVIATIONS, key=len, reverse=True)) + r")\b)"
)
_TZ_RE = re.compile(
    rf"(?P<a>{_TZ_TOKEN})\s*(?:"
    rf"(?:-|\u2013|\u2014|(?i:to|through|until|and))\s*(?P<b>{_TZ_TOKEN})"
    r"|(?:±|\+/-|\+/\u2212|\+-|(?i:plus or minus))\s*(?P<pm>\d{1,2})\s*(?i:h|hrs?|hours?)?\b"
    r")?"
    r"|(?i:\b(?P<named>" + "|".join(re.escape(n) for n in TZ_NAMES) + r")\b)"
)
# Cheap test before the full pattern: every zone above names UTC/GMT, ends in T or K
# ("CET", "MSK"), or is spelled out with "time".
_TZ_HINT_RE = re.compile(r"(?i:utc|gmt|time)|[A-Z]{2,3}[TK]\b|±")
_TZ_OFFSET_RE = re.compile(r"([+\-\u2212])\s?(\d{1,2})(?::?([0-5]\d))?")


def _tz_minutes(token: str) -> int | None:
    """UTC offset in minutes of "UTC+5:30", "GMT-3", "CET"; None when out of range."""
    token = token.strip()
    if token in TZ_ABBREVIATIONS:
        return TZ_ABBREVIATIONS[token]
    match = _TZ_OFFSET_RE.search(token)
    if not match:
        return 0
    minutes = int(match.group(2)) * 60 + int(match.group(3) or 0)
    if minutes > 14 * 60:
        return None
    return -minutes if match.group(1) in "-\u2212" else minutes


def _tz_range(first: int, last: int) -> list[int]:
    """Every whole-hour offset from first to last, so a developer's zone is a member test."""
    if first > last:
        first, last = last, first
    offsets = list(range(first, last + 1, 60))
    if offsets[-1] != last:
        offsets.append(last)
    return offsets


def format_offset(minutes: int) -> str:
    """Render an offset the way applicant time zones are stored: "UTC+05:30"."""
    sign = "-" if minutes < 0 else "+"
    hours, mins = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours:02d}:{mins:02d}"


def _extract_timezones(text: str, into: list[int]) -> str:
    """Collect time zones into `into` and blank them out of the text."""
    if not _TZ_HINT_RE.search(text) or not _TZ_RE.search(text):
        return text
    pieces: list[str] = []
    last = 0
    for match in _TZ_RE.finditer(text):
        if match.group("named"):
            into.extend(_tz_range(*TZ_NAMES[match.group("named").lower()]))
        else:
            first = _tz_minutes(match.group("a"))
            if first is None:
                continue
            if match.group("b"):
                second = _tz_minutes(match.group("b"))
                into.extend(_tz_range(first, second) if second is not None else [first])
            elif match.group("pm"):
                spread = min(int(match.group("pm")), 12) * 60
                into.extend(_tz_range(first - spread, first + spread))
            else:
                into.append(first)
        pieces.append(text[last : match.start()])
        pieces.append(",")
        last = match.end()
    pieces.append(text[last:])
    return "".join(pieces)


def extract_timezones(text: str, into: list[int]) -> str:
    """The time zones a text names, as UTC offsets in minutes appended to `into`."""
    return _extract_timezones(text, into)


def timezone_range(first: int, last: int) -> list[int]:
    """Every whole-hour offset from first to last (in minutes)."""
    return _tz_range(first, last)


# A resolved segment: (kind, country, name) with kind city | state | country | region.
_Place = tuple[str, str, str]


def _resolve_code(code: str, after_city: bool, city_country: str) -> _Place | None:
    """Read a capitalised code; after a city, prefer states and provinces ("Austin, TX")."""
    if after_city:
        if city_country and code == city_country:
            return ("country", code, "")
        if code in US_STATES:
            return ("state", "US", US_STATES[code])
        if code in CA_PROVINCES:
            return ("state", "CA", CA_PROVINCES[code])
    if code in COUNTRY_CODES:
        return ("country", COUNTRY_CODES[code], "")
    if code in US_STATES:
        return ("state", "US", US_STATES[code])
    if code in CA_PROVINCES:
        return ("state", "CA", CA_PROVINCES[code])
    if code == "EU":
        return ("region", "", "EU")
    return None


def _resolve(segment: str, city_country: str, after_city: bool) -> _Place | None:
    """Resolve one segment ("San Francisco", "CA", "United States", "EMEA") to a place."""
    low = " ".join(segment.lower().split())
    if not after_city and low in CITIES:
        name, country, region = CITIES[low]
        return ("city", country, f"{name}|{region}")
    if 2 <= len(segment) <= 3 and segment.isalpha() and segment.isupper():
        place = _resolve_code(segment, after_city, city_country)
        if place:
            return place
    if after_city:
        # "Atlanta, Georgia" and "Seattle, Washington" name states, not the country or city.
        if low in US_STATE_NAMES:
            return ("state", "US", US_STATE_NAMES[low])
        if low in CA_PROVINCE_NAMES:
            return ("state", "CA", CA_PROVINCE_NAMES[low])
    if low in COUNTRY_NAMES:
        return ("country", COUNTRY_NAMES[low], "")
    if low in REGION_ALIASES:
        return ("region", "", REGION_ALIASES[low])
    if low in US_STATE_NAMES:
        return ("state", "US", US_STATE_NAMES[low])
    if low in CA_PROVINCE_NAMES:
        return ("state", "CA", CA_PROVINCE_NAMES[low])
    if low in CITIES:
        name, country, region = CITIES[low]
        return ("city", country, f"{name}|{region}")
    return None


def _strip_filler(segment: str) -> str:
    """Drop words such as "only", "based", "in the" around a place name."""
    words = [w for w in segment.split() if w.lower().strip(".,") not in _FILLER]
    return " ".join(words)


def _scan_ngrams(segment: str) -> list[_Place]:
    """Last resort: find country or region names inside a longer segment ("APAC-C1")."""
    words = _NGRAM_WORD_RE.findall(segment)
    found: list[_Place] = []
    i = 0
    while i < len(words):
        for size in (3, 2, 1):
            chunk = " ".join(words[i : i + size])
            if len(words[i : i + size]) < size:
                continue
            place = None
            if chunk.isupper() and 2 <= len(chunk) <= 3:
                place = _resolve_code(chunk, False, "")
            elif len(chunk) >= 4:
                low = chunk.lower()
                if low in COUNTRY_NAMES:
                    place = ("country", COUNTRY_NAMES[low], "")
                elif low in REGION_ALIASES:
                    place = ("region", "", REGION_ALIASES[low])
            if place:
                found.append(place)
                i += size
                break
        else:
            i += 1
    return found


def _apply(piece: _Draft, place: _Place) -> None:
    """Merge a resolved place into the piece being built."""
    kind, country, name = place
    if kind == "city":
        display, region = name.split("|")
        if not piece.city:
            piece.city, piece.country, piece.region = display, country, region
        elif country and country not in piece.countries:
            piece.countries.append(country)
    elif kind == "state":
        # A state settles the country, even against the city table ("London, ON").
        piece.country, piece.region = country, name
        if country not in piece.countries:
            piece.countries.append(country)
    elif kind == "country":
        if piece.city and piece.country != country:
            # An explicit country beats the city table ("London, Canada").
            piece.country, piece.region = country, ""
        if country not in piece.countries:
            piece.countries.append(country)
    elif name not in piece.regions:
        piece.regions.append(name)


@lru_cache(maxsize=8192)
def _parse_piece(text: str) -> _Piece:
    """Parse one alternative such as "Remote (US only)" or "London, UK (Hybrid)".

    Cached: feeds repeat the same few thousand strings over and over.
    """
    piece = _Draft()
    text = _extract_timezones(text, piece.timezones)
    # "EU timezones", "US time zones": a limit on hours, not on where applicants live.
    text = _ZONE_OF_PLACE_RE.sub(",", text)
    piece.worldwide = bool(_WORLDWIDE_RE.search(text))
    if _HYBRID_RE.search(text):
        piece.mode = "hybrid"
    elif piece.worldwide or _REMOTE_RE.search(text):
        piece.mode = "remote"
    elif _ONSITE_RE.search(text):
        piece.mode = "onsite"
    text = _MARKERS_RE.sub(",", text)
    unresolved: list[str] = []
    for raw_segment in _SPLIT_SEGMENTS_RE.split(text):
        segment = raw_segment.strip(_STRIP_CHARS)
        if not segment:
            continue
        after_city = bool(piece.city) or bool(unresolved)
        city_country = piece.country if piece.city else ""
        place = _resolve(segment, city_country, after_city)
        if place is None:
            stripped = _strip_filler(segment).strip(_STRIP_CHARS)
            if not stripped:
                continue
            place = _resolve(stripped, city_country, after_city)
            segment = stripped
        if place is None:
            # "US and Canada", "Germany & Austria": each part a place of its own.
            parts = _AND_RE.split(segment) if _AND_RE.search(segment) else ()
            resolved = [_resolve(part.strip(_STRIP_CHARS), "", False) for part in parts]
            if len(resolved) > 1 and all(
                found is not None and found[0] != "city" for found in resolved
            ):
                for found in resolved:
                    _apply(piece, found)  # type: ignore[arg-type]  # all() checked None
                continue
            unresolved.append(segment)
            continue
        _apply(piece, place)
    for index, segment in enumerate(unresolved):
        # An unknown first name followed by a country or state is a city: "Kraków, Poland".
        # In a remote string without a country an unknown word is more likely noise than a city.
        plausible = piece.mode != "remote" or bool(piece.countries)
        if (
            index == 0
            and plausible
            and not piece.city
            and not piece.regions
            and _NAME_LIKE_RE.match(segment)
        ):
            piece.city = segment
            if len(piece.countries) == 1:
                piece.country = piece.countries[0]
            continue
        for place in _scan_ngrams(segment):
            _apply(piece, place)
    if not piece.country and len(piece.countries) == 1:
        piece.country = piece.countries[0]
    if piece.mode is None and not piece.city and (piece.regions or piece.timezones):
        piece.mode = "remote"  # "EMEA" or "UTC-5 to UTC+1" only makes sense for remote work
    return _Piece(
        piece.mode,
        piece.worldwide,
        piece.city,
        piece.country,
        piece.region,
        tuple(piece.countries),
        tuple(piece.regions),
        tuple(piece.timezones),
    )


def parse_place(text: str) -> _Piece:
    """One location string read on its own, cached: its city, country, state, countries and
    regions."""
    return _parse_piece(text)


def _workplace_in(text: str) -> str | None:
    """Workplace named in free text such as a title, hybrid first."""
    if _HYBRID_RE.search(text):
        return "hybrid"
    if _REMOTE_RE.search(text) or _WORLDWIDE_RE.search(text):
        return "remote"
    if _ONSITE_RE.search(text):
        return "onsite"
    return None


def normalise_workplace(value: str | None) -> str | None:
    """Map a source's workplace field ("OnSite", "REMOTE", "in_office") to a choice value."""
    if not value:
        return None
    key = re.sub(r"[^a-z]", "", value.lower())
    if key in ("remote", "fullyremote", "remoteonly", "wfh"):
        return "remote"
    if key.startswith("hybrid"):
        return "hybrid"
    if key in ("onsite", "inoffice", "office", "inperson", "onpremises"):
        return "onsite"
    return None


def resolve_countries(names: Iterable[str]) -> tuple[list[str], list[str]]:
    """Resolve names like "United States", "USA", "UK", "EMEA" to (ISO codes, region labels)."""
    codes: list[str] = []
    labels: list[str] = []
    for name in names:
        piece = _parse_piece(name)
        for code in [piece.country, *piece.countries]:
            if code and code not in codes:
                codes.append(code)
        for label in piece.regions:
            if label not in labels:
                labels.append(label)
    return codes, labels


def _expand(labels: list[str], codes: list[str]) -> list[str]:
    """Append each region's countries to the explicit ones, keeping first-seen order."""
    result = dict.fromkeys(codes)
    for label in labels:
        result.update(dict.fromkeys(REGIONS[label]))
    return list(result)


def split_locations(locations: Iterable[str]) -> list[str]:
    """Split strings that hold several alternatives ("A; B", "A | B", "Toronto or Remote")."""
    out: list[str] = []
    for location in locations:
        if location:
            out.extend(p for p in _SPLIT_PIECES_RE.split(location) if p and p.strip())
    return out


def parse_locations(
    locations: Iterable[str],
    *,
    workplace_hint: str | None = None,
    applicant_countries: Iterable[str] = (),
    title: str = "",
) -> LocationInfo:
    """Derive workplace, base place and applicant restrictions from a role's location data."""
    pieces = [_parse_piece(text) for text in split_locations(locations)]
    modes = {p.mode for p in pieces}
    workplace = normalise_workplace(workplace_hint)
    stated = workplace is not None
    if workplace is None:
        for mode in ("remote", "hybrid", "onsite"):
            if mode in modes:
                workplace = mode
                stated = True
                break
        else:
            workplace = _workplace_in(title)
            stated = workplace is not None
            workplace = workplace or "onsite"

    info = LocationInfo(workplace=workplace, workplace_stated=stated)
    applicant_countries = list(applicant_countries)
    raw_codes, raw_labels = resolve_countries(applicant_countries)

    with_city = [p for p in pieces if p.city]
    base = next((p for p in with_city if p.mode != "remote"), with_city[0] if with_city else None)
    if base is not None:
        info.country, info.city, info.region = base.country, base.city, base.region

    codes = list(raw_codes)
    labels = list(raw_labels)
    if workplace == "remote":
        remote = [p for p in pieces if p.mode == "remote" and (p.countries or p.regions or p.city)]
        # With no remote string naming a place, country-only strings are the restriction
        # (a source that flags the role remote and lists "United States"); when every string
        # names a place, a city names its country too (an ATS's remote "Berlin").
        placeless = any(not (p.city or p.country or p.countries or p.regions) for p in pieces)
        sources = remote or (pieces if not placeless else [p for p in pieces if not p.city])
        for p in sources:
            for code in (p.country, *p.countries):
                if code and code not in codes:
                    codes.append(code)
            labels.extend(label for label in p.regions if label not in labels)
    info.applicant_regions = labels
    info.applicant_countries = _expand(labels, codes)

    if not info.country and not info.city:
        named = {c for p in pieces for c in (p.country, *p.countries) if c}
        if workplace == "remote":
            named.update(raw_codes)
        if len(named) == 1 and not labels:
            info.country = named.pop()
            info.region = next((p.region for p in pieces if p.region), "")

    offsets = sorted({m for p in pieces for m in p.timezones})
    info.timezones = [format_offset(m) for m in offsets]
    restricted = bool(info.applicant_countries or info.applicant_regions or info.timezones)
    # A source's own applicant field may say it too (a JSON-LD applicantLocation "Anywhere").
    explicit_worldwide = (
        any(p.worldwide for p in pieces)
        or bool(_WORLDWIDE_RE.search(title))
        or any(_WORLDWIDE_RE.search(name) for name in applicant_countries)
    )
    info.worldwide = workplace == "remote" and explicit_worldwide and not restricted
    return info

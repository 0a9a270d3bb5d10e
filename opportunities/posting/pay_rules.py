"""Pay-transparency rules: which apply where a role is based or open to, and exclusions in text.

The rules themselves are data (opportunities/data/pay_transparency.json); this module reads
them once and answers, for a posting's places, which of them a posting without a salary
would fall foul of.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from opportunities.ingest.normalise.places import (
    CA_PROVINCES,
    REGION_ALIASES,
    REGIONS,
    US_STATES,
)

DATA_FILE = Path(__file__).resolve().parent.parent / "data" / "pay_transparency.json"


@dataclass(frozen=True)
class PayRule:
    """A place's rule that job postings state pay."""

    code: str
    name: str
    law: str
    since: date
    employers: str
    requires: str
    country: str = ""  # with region: one state or province of that country
    region: str = ""
    cities: tuple[str, ...] = ()  # a city's own rule (New York City), lower-case spellings
    countries: tuple[str, ...] = ()  # a group of countries (the EU)

    def in_force(self, today: date) -> bool:
        return self.since <= today

    def cite(self, today: date) -> str:
        """The rule as cited: Colorado (Equal Pay for Equal Work Act, since 1 January 2021)."""
        when = "since" if self.in_force(today) else "from"
        return f"{self.name} ({self.law}, {when} {_day(self.since)})"

    def describe(self, today: date) -> str:
        """The citation and what the rule asks of whom."""
        return f"{self.cite(today)} asks {self.employers} for {self.requires}"


def rules_described(rules: list[PayRule], today: date) -> str:
    """A few rules in full; many as a list of citations, which stays readable."""
    if len(rules) <= 3:
        return "; ".join(rule.describe(today) for rule in rules) + "."
    return (
        "; ".join(rule.cite(today) for rule in rules)
        + ". Each asks employers (most above a size) to state the pay or its range."
    )


def _day(value: date) -> str:
    return f"{value.day} {value:%B %Y}"


def _rules_load(path: Path = DATA_FILE) -> tuple[PayRule, ...]:
    rules = json.loads(path.read_text(encoding="utf-8"))["rules"]
    return tuple(
        PayRule(
            code=rule["code"],
            name=rule["name"],
            law=rule["law"],
            since=date.fromisoformat(rule["since"]),
            employers=rule["employers"],
            requires=rule["requires"],
            country=rule.get("country", ""),
            region=rule.get("region", ""),
            cities=tuple(rule.get("cities", ())),
            countries=tuple(rule.get("countries", ())),
        )
        for rule in rules
    )


PAY_RULES: tuple[PayRule, ...] = _rules_load()

_REGION_CODES = {
    "US": {**{code: code for code in US_STATES}, **{n.lower(): c for c, n in US_STATES.items()}},
    "CA": {
        **{code: code for code in CA_PROVINCES},
        **{n.lower(): c for c, n in CA_PROVINCES.items()},
    },
}
_REGION_CODES["US"].update({"washington, dc": "DC", "washington dc": "DC", "d.c.": "DC"})


def region_code(country: str, region: str) -> str:
    """A state's or province's code from what a posting holds ("California", "CA", "ca")."""
    codes = _REGION_CODES.get(country.upper(), {})
    cleaned = " ".join(region.split())
    return codes.get(cleaned.upper()) or codes.get(cleaned.lower(), "")


def _open_countries(
    *, workplace: str, worldwide: bool, country: str, countries: list[str], regions: list[str]
) -> set[str] | None:
    """Countries a remote role's applicants may live in; None for "anywhere"."""
    if workplace != "remote":
        return set()
    if worldwide:
        return None
    codes = {code.upper() for code in countries if code}
    for label in regions:
        key = REGION_ALIASES.get(label.strip().lower(), label.strip())
        codes.update(REGIONS.get(key, ()))
    if not codes and country:
        codes.add(country.upper())
    return codes


def rules_for_places(
    *,
    workplace: str,
    worldwide: bool,
    country: str,
    region: str,
    city: str,
    applicant_countries: list[str],
    applicant_regions: list[str],
) -> list[PayRule]:
    """The rules of the places a role is based in or (remote) open to applicants from."""
    based_country = country.upper()
    based_region = region_code(based_country, region) if region else ""
    based_city = " ".join(city.lower().split())
    open_to = _open_countries(
        workplace=workplace,
        worldwide=worldwide,
        country=based_country,
        countries=applicant_countries,
        regions=applicant_regions,
    )
    if not based_region:
        # A city with its own rule names its state too: "New York" is in New York State.
        for rule in PAY_RULES:
            if rule.cities and based_country == rule.country and based_city in rule.cities:
                based_region = rule.region
    found = []
    for rule in PAY_RULES:
        if rule.countries:
            based = based_country in rule.countries
            reaches = open_to is None or bool(open_to & set(rule.countries))
        else:
            based = based_country == rule.country and (
                based_city in rule.cities if rule.cities else based_region == rule.region
            )
            # A remote role open to the whole country can be done from each of its states.
            reaches = open_to is None or rule.country in open_to
        if based or reaches:
            found.append(rule)
    return found


# Phrases that shut applicants from somewhere out: "remote (US), except Colorado",
# "not open to candidates in California", "we cannot hire in NYC or Washington".
_WHO = r"(?:candidates|applicants|residents|people|anyone|employees|talent)"
_WHERE = r"(?:in|from|based\s+in|living\s+in|located\s+in|residing\s+in|who\s+live\s+in)"
_EXCLUSION_RE = re.compile(
    r"\b(?:except(?:\s+for)?|excluding|excludes?|excl\b\.?|exclusive\s+of|other\s+than"
    r"|not\s+including|with\s+the\s+exception\s+of"
    rf"|not\s+(?:open|available|eligible)\s+(?:to|for)\s+(?:{_WHO}\s+)?(?:{_WHERE}\s+)?"
    rf"|(?:can\s*not|can't|cannot|unable\s+to|do\s+not|don't)\s+(?:hire|employ|accept|consider"
    rf"|support\s+hiring)\s+(?:{_WHO}\s+)?(?:{_WHERE}\s+)?)",
    re.IGNORECASE,
)
_WINDOW = 120
_CLAUSE_END_RE = re.compile(r"[.;:!?\n()]")
# How each rule's place is written in a posting. Codes count in capitals only ("CO", "NYC").
_NAMES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "US-CO": (("colorado",), ("CO",)),
    "US-CA": (("california",), ()),
    "US-WA": (("washington state", "washington"), ("WA",)),
    "US-NY": (("new york state", "new york"), ("NY", "NYS")),
    "US-NYC": (("new york city",), ("NYC",)),
    "US-IL": (("illinois",), ("IL",)),
    "US-MD": (("maryland",), ("MD",)),
    "US-MN": (("minnesota",), ("MN",)),
    "US-VT": (("vermont",), ("VT",)),
    "US-MA": (("massachusetts",), ("MA",)),
    "US-NJ": (("new jersey",), ("NJ",)),
    "US-HI": (("hawaii",), ("HI",)),
    "US-DC": (("washington, dc", "washington dc", "district of columbia", "d.c."), ("DC",)),
    "CA-BC": (("british columbia",), ("BC",)),
    "CA-ON": (("ontario",), ()),
}
_AFTER_EXCLUSION_RE = re.compile(
    r"\b(?P<place>[A-Za-z][A-Za-z .,]{1,30}?)\s+(?:residents|applicants|candidates)\s+"
    r"(?:are\s+)?(?:not\s+eligible|ineligible|excluded|need\s+not\s+apply|will\s+not\s+be\s+"
    r"considered|cannot\s+be\s+considered)",
    re.IGNORECASE,
)


def _place_patterns() -> dict[str, tuple[re.Pattern[str], re.Pattern[str] | None]]:
    patterns = {}
    for code, (names, codes) in _NAMES.items():
        words = re.compile(
            r"(?<![\w.])(?:" + "|".join(re.escape(name) for name in names) + r")(?![\w])",
            re.IGNORECASE,
        )
        capitals = (
            re.compile(r"\b(?:" + "|".join(codes) + r")\b") if codes else None  # case-sensitive
        )
        patterns[code] = (words, capitals)
    return patterns


_PLACE_PATTERNS = _place_patterns()
_RULES_BY_CODE = {rule.code: rule for rule in PAY_RULES}


def _places_in(fragment: str) -> set[str]:
    found = set()
    for code, (words, capitals) in _PLACE_PATTERNS.items():
        if words.search(fragment) or (capitals is not None and capitals.search(fragment)):
            found.add(code)
    # "Washington, DC" is not Washington State; "New York City" is not only the state.
    if "US-DC" in found and not re.search(r"washington(?!,?\s*d\.?c\b)", fragment, re.I):
        found.discard("US-WA")
    if "US-NYC" in found and not re.search(r"new york(?!\s+city)|\bNYS?\b", fragment):
        found.discard("US-NY")
    return found


def excluded_rules(text: str) -> list[PayRule]:
    """Rules whose places the text shuts applicants out of ("remote, except Colorado")."""
    codes: set[str] = set()
    for match in _EXCLUSION_RE.finditer(text):
        window = text[match.end() : match.end() + _WINDOW]
        end = _CLAUSE_END_RE.search(window)
        codes |= _places_in(window[: end.start()] if end else window)
    for match in _AFTER_EXCLUSION_RE.finditer(text):
        codes |= _places_in(match["place"])
    return [rule for rule in PAY_RULES if rule.code in codes]


def rule_named(code: str) -> PayRule:
    return _RULES_BY_CODE[code]

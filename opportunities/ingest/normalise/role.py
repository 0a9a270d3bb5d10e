"""RawRole -> NormalisedRole: pure values for the Role model, no Django, database or network."""

from __future__ import annotations

import heapq
import re
import string
import struct
import unicodedata
import zlib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from itertools import compress

from opportunities.ingest.normalise.classify import employment_type, seniority
from opportunities.ingest.normalise.eligibility import apply_stated, cue_words
from opportunities.ingest.normalise.industries import IndustryRecogniser
from opportunities.ingest.normalise.locations import parse_locations
from opportunities.ingest.normalise.salary import normalise_salary, salary_in_text
from opportunities.ingest.normalise.sanitise import (
    BULLET,
    html_to_lines,
    lines_to_text,
    sanitise_html,
)
from opportunities.ingest.normalise.skills import SkillRecogniser, role_candidate_terms
from opportunities.ingest.parsers.records import RawRole
from opportunities.text import text_clean

# The lengths of the columns the values go to (opportunities/models: Role, Company); the
# tests check these against the models, so a value never reaches the database too long.
TITLE_MAX = 200
COMPANY_MAX = 200
EXTERNAL_ID_MAX = 300
URL_MAX = 2000
EMAIL_MAX = 254
# Not columns, but what the location and tag parsers are given at most: feeds send a few
# short strings, and longer ones only cost time.
LOCATION_MAX = 200
LOCATIONS_KEPT = 50
TAG_MAX = 100
TAGS_KEPT = 100
FINGERPRINT_SIZE = 32  # hashes kept per text; 8 hex characters each
# Posting dates outside this window are a feed's mistake (or a trick to stay on top of
# "newest"): before job boards existed, or further ahead than any real posting is dated.
EARLIEST_DATE = datetime(1990, 1, 1, tzinfo=UTC)
POSTED_AHEAD = timedelta(days=365)
EXPIRES_AHEAD = timedelta(days=5 * 365)


class NormaliseError(ValueError):
    """The item cannot become a Role; the message is a plain reason for the run log."""


# Letters that are drawn as nothing (Hangul fillers, the braille blank, a Mongolian separator).
_BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800\u180e")


def _has_visible(text: str) -> bool:
    """Whether any character of the text is drawn (not a space, format character or filler)."""
    if text.isascii():
        return not text.isspace()
    return any(
        char not in _BLANK_LETTERS
        and unicodedata.category(char)[0] not in "CZ"
        and unicodedata.category(char) not in ("Mn", "Me")
        for char in text
    )


def _cut_at_word(text: str, limit: int) -> str:
    """The text, or if longer than `limit` its start up to a word boundary and an ellipsis."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:-") + "\u2026"


def _plausible(moment: datetime | None, *, ahead: timedelta, now: datetime) -> datetime | None:
    """The moment if it lies between EARLIEST_DATE and `ahead` of now, else None."""
    if moment is None or moment < EARLIEST_DATE or moment > now + ahead:
        return None
    return moment


@dataclass(slots=True)
class NormalisedRole:
    """Every value the Role model stores for an ingested posting, plus its duplicate keys."""

    external_id: str
    title: str
    company_name: str
    canonical_url: str = ""
    apply_url: str = ""
    apply_email: str = ""
    description_html: str = ""
    description_text: str = ""
    department: str = ""
    location_text: str = ""  # the source's location strings, for display
    city: str = ""
    region: str = ""
    country: str = ""
    workplace: str = "onsite"
    worldwide: bool = False
    applicant_countries: list[str] = field(default_factory=list)
    applicant_regions: list[str] = field(default_factory=list)
    timezones: list[str] = field(default_factory=list)
    excluded_countries: list[str] = field(default_factory=list)
    employment_type: str = "full_time"
    seniority: str = ""
    salary_min: Decimal | None = None
    salary_max: Decimal | None = None
    salary_currency: str = ""
    salary_period: str = ""
    salary_yearly_min: Decimal | None = None
    salary_yearly_max: Decimal | None = None
    posted_at: datetime | None = None  # None: the caller uses the time it first saw the role
    expires_at: datetime | None = None
    industry_slug: str | None = None  # the source's default; else the run decides per company
    # This posting's evidence for its company's industry (industries.scores), when the source
    # names no default: the run adds it up over all the company's postings and guesses once.
    industry_scores: dict[str, int] = field(default_factory=dict)
    skills: dict[str, str] = field(default_factory=dict)  # slug -> "required" | "nice"
    unknown_terms: Counter[str] = field(default_factory=Counter)
    dedupe_key: str = ""
    text_fingerprint: str = ""


_PUNCT_RE = re.compile(r"[^\w\s]+")
_LEGAL_SUFFIXES = frozenset(
    str.split(
        "inc incorporated llc llp ltd limited gmbh corp corporation co plc sa sas sarl ag bv nv oy "
        "ab as srl spa pty pte kk"
    )
)
_TITLE_WORDS = {
    "sr": "senior",
    "snr": "senior",
    "jr": "junior",
    "engr": "engineer",
    "mgr": "manager",
}


def _words(text: str) -> list[str]:
    """Lower-case words with punctuation removed."""
    return _PUNCT_RE.sub(" ", text.lower()).split()


def dedupe_key(company: str, title: str, city: str, country: str, workplace: str) -> str:
    """Company, title and place reduced so the same role from two sources gets one key."""
    # Dots go before punctuation becomes space, so "B.V." and "S.A." end like "BV" and "SA".
    company_words = _words(company.replace(".", ""))
    while len(company_words) > 1 and company_words[-1] in _LEGAL_SUFFIXES:
        company_words.pop()
    title_words = [_TITLE_WORDS.get(word, word) for word in _words(title)]
    place = " ".join(_words(f"{city} {country}")) or ("remote" if workplace == "remote" else "")
    return f"{' '.join(company_words)}|{' '.join(title_words)}|{place}"


# Punctuation never separates shingles differently from a space; typographic quotes and
# dashes are already folded to ASCII by html_to_lines.
_PUNCTUATION_TO_SPACE = str.maketrans(dict.fromkeys(string.punctuation, " "))
# For ASCII text as bytes: bytes.split() does not split at the four separators \x1c-\x1f,
# which str.split() treats as whitespace, so they become spaces too.
_ASCII_SEPARATORS = string.punctuation + "\x1c\x1d\x1e\x1f"
_ASCII_PUNCTUATION_TO_SPACE = bytes.maketrans(
    _ASCII_SEPARATORS.encode(), b" " * len(_ASCII_SEPARATORS)
)
_ANCHOR_LENGTH = 5  # shingles whose first word has 6+ characters


def _shingle_hashes(words: list[str] | list[bytes], anchored: bool) -> set[int]:
    """CRC32 of word 3-shingles; anchored keeps only shingles that start with a long word."""
    triples: Iterable[tuple] = zip(words, words[1:], words[2:], strict=False)
    if anchored:
        # A content-defined sample (same shingle, same decision in every text) keeps the
        # Jaccard estimate sound while hashing about a third of the shingles.
        triples = compress(triples, map(_ANCHOR_LENGTH.__lt__, map(len, words)))
    # CRC32 rather than hash(): it must be the same in every process to compare stored values.
    # map() over C functions keeps the per-shingle work out of the interpreter loop.
    if words and type(words[0]) is bytes:
        return set(map(zlib.crc32, map(b" ".join, triples)))
    return set(map(zlib.crc32, map(str.encode, map(" ".join, triples))))


def text_fingerprint(text: str) -> str:
    """Bottom-k sketch of word 3-shingles: the 32 smallest CRC32s, as 256 hex characters."""
    return _fingerprint(text_words(text))


def text_words(text: str, low: str | None = None) -> list[str] | list[bytes]:
    """The text's lower-cased words, punctuation being space: bytes for an ASCII text
    (`low`: the text lower-cased, when the caller has it)."""
    low = text.lower() if low is None else low
    if text.isascii():
        # The same words as below, as bytes: a bytes table translates without a dict lookup
        # per character, and each shingle is then joined already encoded.
        return low.encode().translate(_ASCII_PUNCTUATION_TO_SPACE).split()
    # translate() and split() run in C; a \w+ findall costs several times more.
    return low.translate(_PUNCTUATION_TO_SPACE).split()


def _fingerprint(words: list[str] | list[bytes]) -> str:
    if len(words) < 3:
        hashes = {zlib.crc32(_joined(words))} if words else set()
    else:
        hashes = _shingle_hashes(words, anchored=True)
        if len(hashes) < FINGERPRINT_SIZE:
            hashes = _shingle_hashes(words, anchored=False)  # short text: use every shingle
    smallest = sorted(hashes)[:FINGERPRINT_SIZE]
    return struct.pack(f">{len(smallest)}I", *smallest).hex()


def description_fingerprint(description_html: str) -> str:
    """text_fingerprint of a stored (sanitised) description, as a posting's text reads."""
    return text_fingerprint(lines_to_text(html_to_lines(description_html, sanitised=True)))


def _joined(words: list[str] | list[bytes]) -> bytes:
    if type(words[0]) is bytes:
        return b" ".join(words)  # type: ignore[arg-type]
    return " ".join(words).encode()  # type: ignore[arg-type]


def _sketch(fingerprint: str) -> set[int]:
    """Decode a fingerprint string back to its hash values."""
    return {int(fingerprint[i : i + 8], 16) for i in range(0, len(fingerprint), 8)}


def similar(fp_a: str, fp_b: str) -> float:
    """Estimated Jaccard similarity (0..1) of the texts behind two fingerprints."""
    if not fp_a or not fp_b:
        return 0.0
    a, b = _sketch(fp_a), _sketch(fp_b)
    union = heapq.nsmallest(FINGERPRINT_SIZE, a | b)
    return sum(1 for h in union if h in a and h in b) / len(union)


_HTTP_URL_RE = re.compile(r"^https?://[^\s/?#]+[^\s]*$", re.I)
_EMAIL_RE = re.compile(r"^[^@\s<>\"']+@[^@\s<>\"']+\.[^@\s<>\"']+$")


def _http_url(value: str | None) -> str:
    """The URL if it is absolute http(s), else "" (a javascript: link must never reach a page)."""
    value = text_clean(value).strip()
    return value if len(value) <= URL_MAX and _HTTP_URL_RE.match(value) else ""


def _email(value: str | None) -> str:
    """A plausible e-mail address without a mailto: prefix, else ""."""
    value = text_clean(value).strip()
    if value.lower().startswith("mailto:"):
        value = value[7:].split("?", 1)[0]
    return value if len(value) <= EMAIL_MAX and _EMAIL_RE.match(value) else ""


def _utc(value: datetime | None) -> datetime | None:
    """Aware UTC datetime; a naive value is taken to be UTC already."""
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _clean_line(value: str | None, limit: int) -> str:
    """Clean, collapse whitespace and cut to the model's column length at a word."""
    return _cut_at_word(" ".join(text_clean(value).split()), limit)


def _clean_list(values: Iterable[str], limit: int, kept: int) -> list[str]:
    """Cleaned values, each cut to `limit` characters, at most `kept` of them."""
    cleaned = []
    for value in values:
        if len(cleaned) == kept:
            break
        if isinstance(value, str):
            cleaned.append(text_clean(value[: limit * 4])[:limit])
    return cleaned


def _external_id(value: str) -> str:
    """The id as the database will hold it, or NormaliseError if it cannot be stored."""
    external_id = str(value).strip()
    if not external_id:
        raise NormaliseError("missing id")
    if len(external_id) > EXTERNAL_ID_MAX:
        raise NormaliseError(f"id is longer than {EXTERNAL_ID_MAX} characters")
    if text_clean(external_id) != external_id:
        raise NormaliseError("id contains control or bidi-override characters")
    return external_id


def normalise(
    raw: RawRole,
    *,
    skills: SkillRecogniser,
    industries: IndustryRecogniser | None = None,
    default_company: str | None = None,
    default_industry: str | None = None,
    now: datetime | None = None,
) -> NormalisedRole:
    """Turn one parsed posting into model-ready values; raise NormaliseError if unusable.

    Every text is cleaned on the way in (see opportunities.text) and cut to its column; `now`
    (default: the current time) bounds the plausible posting and expiry dates.
    """
    now = now or datetime.now(UTC)
    external_id = _external_id(raw.external_id)
    title = _clean_line(raw.title, TITLE_MAX)
    if not title:
        raise NormaliseError("empty title")
    if not _has_visible(title):
        raise NormaliseError("title has no visible characters")
    company = _clean_line(raw.company, COMPANY_MAX) or _clean_line(default_company, COMPANY_MAX)
    if not company:
        raise NormaliseError("no company name")
    locations = _clean_list(raw.locations, LOCATION_MAX, LOCATIONS_KEPT)
    applicant_countries = _clean_list(raw.applicant_countries, LOCATION_MAX, LOCATIONS_KEPT)
    tags = _clean_list(raw.tags, TAG_MAX, TAGS_KEPT)
    department = _clean_line(raw.department, 200)

    # Cleaned after sanitising too: a character reference ("&#x202e;") becomes the character.
    description_html = text_clean(sanitise_html(text_clean(raw.description_html)))
    description_lines = html_to_lines(description_html, sanitised=True)
    requirements_html = text_clean(sanitise_html(text_clean(raw.requirements_html)))
    requirements_lines = html_to_lines(requirements_html, sanitised=True)
    nice_html = text_clean(sanitise_html(text_clean(raw.nice_to_have_html)))
    nice_lines = html_to_lines(nice_html, sanitised=True)
    # The model has one description, so separate sections are appended under headings
    # (unless the description already carries them).
    html_parts = [description_html]
    text_lines = list(description_lines)
    description_joined = "\n".join(description_lines)
    for heading, section_html, section_lines in (
        ("Requirements", requirements_html, requirements_lines),
        ("Nice to have", nice_html, nice_lines),
    ):
        if section_lines and "\n".join(section_lines) not in description_joined:
            html_parts.append(f"<h3>{heading}</h3>{section_html}")
            text_lines.extend((heading, *section_lines))
    description_text = lines_to_text(text_lines)

    location = parse_locations(
        locations,
        workplace_hint=text_clean(raw.workplace),
        applicant_countries=applicant_countries,
        title=title,
    )
    # What the description says outright beats the board's flags (eligibility.py).
    # The description's words, shared: the fingerprint shingles them, and the eligibility
    # reader looks its cue words up in them before it reads any text closely.
    low = description_text.lower()
    words = text_words(description_text, low)
    cues = cue_words(words, ascii_text=description_text.isascii())
    apply_stated(
        location,
        description_text,
        workplace_stated=location.workplace_stated,
        words=cues,
        low=low,
    )
    salary = normalise_salary(raw.salary)
    if salary is None:
        # Many boards carry the pay only in the description ("$130K-$146K").
        salary = salary_in_text(description_text, cues)

    requirements_joined = "\n".join(requirements_lines)
    nice_joined = "\n".join(nice_lines)
    # A board's machine-made tags ("AI/ML", "Python") are no evidence of what the text asks
    # for: skills come from the text alone; the tags only feed the unknown-term report.
    role_skills = skills.recognise(title, description_joined, requirements_joined, nice_joined)
    unknown = role_candidate_terms(
        description_joined, (requirements_joined, nice_joined), tags, skills, bullet=BULLET
    )

    # The industry is the company's, not the role's function: a source's default wins, and
    # without one only evidence is gathered here, for one guess per company per run.
    industry_scores: dict[str, int] = {}
    if industries is not None and not default_industry:
        heading = "\n".join(filter(None, (title, department)))
        # Lines, not the joined text: headings ("About us") and paragraphs stay apart.
        industry_scores = industries.posting_scores(company, heading, "\n".join(text_lines))

    posted_at = _plausible(_utc(raw.posted_at), ahead=POSTED_AHEAD, now=now)
    expires_at = _plausible(_utc(raw.expires_at), ahead=EXPIRES_AHEAD, now=now)
    if posted_at is not None and expires_at is not None and expires_at < posted_at:
        expires_at = None

    role = NormalisedRole(
        external_id=external_id,
        title=title,
        company_name=company,
        canonical_url=_http_url(raw.url),
        apply_url=_http_url(raw.apply_url),
        apply_email=_email(raw.apply_email),
        description_html="".join(html_parts),
        description_text=description_text,
        department=department,
        location_text="; ".join(filter(None, (_clean_line(loc, 200) for loc in locations))),
        city=location.city,
        region=location.region,
        country=location.country,
        workplace=location.workplace,
        worldwide=location.worldwide,
        applicant_countries=location.applicant_countries,
        applicant_regions=location.applicant_regions,
        timezones=location.timezones,
        excluded_countries=location.excluded_countries,
        employment_type=employment_type(text_clean(raw.employment_type)[:TAG_MAX], title),
        seniority=seniority(text_clean(raw.seniority)[:TAG_MAX], title),
        posted_at=posted_at,
        expires_at=expires_at,
        industry_slug=default_industry,
        industry_scores=industry_scores,
        skills=role_skills,
        unknown_terms=unknown,
    )
    if salary is not None:
        role.salary_min, role.salary_max = salary.minimum, salary.maximum
        role.salary_currency, role.salary_period = salary.currency, salary.period
        role.salary_yearly_min, role.salary_yearly_max = salary.yearly_min, salary.yearly_max
    if not role.apply_url and not role.apply_email:
        role.apply_url = role.canonical_url  # the posting page carries the apply button
    role.dedupe_key = dedupe_key(company, title, role.city, role.country, role.workplace)
    role.text_fingerprint = _fingerprint(words)
    return role

"""RawRole -> NormalisedRole: pure values for the Role model, no Django, database or network."""

from __future__ import annotations

import heapq
import re
import string
import struct
import zlib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from itertools import compress

from opportunities.ingest.normalise.classify import employment_type, seniority
from opportunities.ingest.normalise.industries import IndustryRecogniser
from opportunities.ingest.normalise.locations import parse_locations
from opportunities.ingest.normalise.salary import normalise_salary
from opportunities.ingest.normalise.sanitise import (
    BULLET,
    html_to_lines,
    lines_to_text,
    sanitise_html,
)
from opportunities.ingest.normalise.skills import REQUIRED, SkillRecogniser, candidate_terms
from opportunities.ingest.parsers.records import RawRole

TITLE_MAX = 200
COMPANY_MAX = 200
FINGERPRINT_SIZE = 32  # hashes kept per text; 8 hex characters each


class NormaliseError(ValueError):
    """The item cannot become a Role; the message is a plain reason for the run log."""


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
    industry_slug: str | None = None
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
    company_words = _words(company)
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
    words: list[str] | list[bytes]
    if text.isascii():
        # The same words as below, as bytes: a bytes table translates without a dict lookup
        # per character, and each shingle is then joined already encoded.
        words = text.lower().encode().translate(_ASCII_PUNCTUATION_TO_SPACE).split()
    else:
        # translate() and split() run in C; a \w+ findall costs several times more.
        words = text.lower().translate(_PUNCTUATION_TO_SPACE).split()
    if len(words) < 3:
        hashes = {zlib.crc32(_joined(words))} if words else set()
    else:
        hashes = _shingle_hashes(words, anchored=True)
        if len(hashes) < FINGERPRINT_SIZE:
            hashes = _shingle_hashes(words, anchored=False)  # short text: use every shingle
    smallest = sorted(hashes)[:FINGERPRINT_SIZE]
    return struct.pack(f">{len(smallest)}I", *smallest).hex()


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
    value = (value or "").strip()
    return value if _HTTP_URL_RE.match(value) else ""


def _email(value: str | None) -> str:
    """A plausible e-mail address without a mailto: prefix, else ""."""
    value = (value or "").strip()
    if value.lower().startswith("mailto:"):
        value = value[7:].split("?", 1)[0]
    return value if _EMAIL_RE.match(value) else ""


def _utc(value: datetime | None) -> datetime | None:
    """Aware UTC datetime; a naive value is taken to be UTC already."""
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _clean_line(value: str | None, limit: int) -> str:
    """Collapse whitespace and cut to the model's column length."""
    return " ".join((value or "").split())[:limit].rstrip()


def normalise(
    raw: RawRole,
    *,
    skills: SkillRecogniser,
    industries: IndustryRecogniser | None = None,
    default_company: str | None = None,
    default_industry: str | None = None,
) -> NormalisedRole:
    """Turn one parsed posting into model-ready values; raise NormaliseError if unusable."""
    title = _clean_line(raw.title, TITLE_MAX)
    if not title:
        raise NormaliseError("empty title")
    company = _clean_line(raw.company, COMPANY_MAX) or _clean_line(default_company, COMPANY_MAX)
    if not company:
        raise NormaliseError("no company name")

    description_html = sanitise_html(raw.description_html)
    description_lines = html_to_lines(description_html, sanitised=True)
    requirements_html = sanitise_html(raw.requirements_html)
    requirements_lines = html_to_lines(requirements_html, sanitised=True)
    nice_html = sanitise_html(raw.nice_to_have_html)
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
        raw.locations,
        workplace_hint=raw.workplace,
        applicant_countries=raw.applicant_countries,
        title=title,
    )
    salary = normalise_salary(raw.salary)

    requirements_joined = "\n".join(requirements_lines)
    nice_joined = "\n".join(nice_lines)
    role_skills = skills.recognise(title, description_joined, requirements_joined, nice_joined)
    if raw.tags:
        for slug in skills.find("\n".join(raw.tags)):
            role_skills.setdefault(slug, REQUIRED)
    role_skills = dict(sorted(role_skills.items()))
    bullets = [line for line in description_lines if line.startswith(BULLET)]
    unknown = candidate_terms(
        "\n".join((*bullets, requirements_joined, nice_joined)), raw.tags, skills
    )

    industry = None
    if industries is not None:
        context = "\n".join((title, raw.department or "", description_text))
        industry = industries.guess(company, context)

    role = NormalisedRole(
        external_id=str(raw.external_id).strip(),
        title=title,
        company_name=company,
        canonical_url=_http_url(raw.url),
        apply_url=_http_url(raw.apply_url),
        apply_email=_email(raw.apply_email),
        description_html="".join(html_parts),
        description_text=description_text,
        department=_clean_line(raw.department, 200),
        location_text="; ".join(filter(None, (_clean_line(loc, 200) for loc in raw.locations))),
        city=location.city,
        region=location.region,
        country=location.country,
        workplace=location.workplace,
        worldwide=location.worldwide,
        applicant_countries=location.applicant_countries,
        applicant_regions=location.applicant_regions,
        timezones=location.timezones,
        employment_type=employment_type(raw.employment_type, title),
        seniority=seniority(raw.seniority, title),
        posted_at=_utc(raw.posted_at),
        expires_at=_utc(raw.expires_at),
        industry_slug=industry or default_industry,
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
    role.text_fingerprint = text_fingerprint(description_text)
    return role

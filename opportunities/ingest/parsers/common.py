"""Helpers shared by the parsers: item checks, dates, money, periods and text."""

from __future__ import annotations

import email.utils
import hashlib
import html
import marshal
import re
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from functools import partial
from typing import Any, BinaryIO
from urllib.parse import unquote, urljoin, urlsplit

from dateutil.parser import isoparse

from opportunities.ingest.parsers.records import FeedError, ItemError, PendingRole, RawRole
from opportunities.text import CONTROL_RE, SURROGATES

# Formats that cannot be streamed (XML, HTML, one JSON-LD page) are read whole, up to this.
MAX_DOCUMENT_BYTES = 50 * 1024 * 1024
# Real postings nest a handful of levels; deeper items cost memory and recursion for nothing.
MAX_DEPTH = 64
# What a lone surrogate escape ("\udfff") or bytes that are not UTF-8 in a JSON feed are read
# as (see jsonstream): a noncharacter, which no posting uses, so the item holding it can be
# told and rejected.
LONE_SURROGATE = "\uffff"
# What no database can store: surrogates, and the mark the JSON reader leaves for a lone one.
_UNENCODABLE_RE = re.compile(f"[{SURROGATES}{LONE_SURROGATE}]")
# The longest external id the Role column holds.
MAX_ID_LENGTH = 300

_PERIODS: dict[str, str] = {
    "year": "year",
    "yearly": "year",
    "years": "year",
    "annual": "year",
    "annually": "year",
    "annum": "year",
    "yr": "year",
    "pa": "year",
    "month": "month",
    "monthly": "month",
    "months": "month",
    "mo": "month",
    "week": "week",
    "weekly": "week",
    "weeks": "week",
    "wk": "week",
    "day": "day",
    "daily": "day",
    "days": "day",
    "hour": "hour",
    "hourly": "hour",
    "hours": "hour",
    "hr": "hour",
}

_WORKPLACES: dict[str, str] = {
    "remote": "remote",
    "telecommute": "remote",
    "fully remote": "remote",
    "hybrid": "hybrid",
    "onsite": "onsite",
    "on-site": "onsite",
    "on site": "onsite",
    "in-office": "onsite",
    "in office": "onsite",
    "office": "onsite",
}

_WORKPLACE_WORDS = (
    (r"\bhybrid\b", "hybrid"),
    (r"\b(remote|telecommute)\b", "remote"),
    (r"\b(on[ -]?site|in[ -]office)\b", "onsite"),
)

# No two quantifiers here can match the same characters in turn, so a "<" followed by a long
# run of spaces is scanned once, not once per way of sharing the run between them.
_HTML_TAG = re.compile(r"<\s*(?:/\s*)?[a-zA-Z][a-zA-Z0-9]*(?:[\s/][^<>]*)?>")
# Runs of characters that a UTF-8 byte sequence turns into when wrongly decoded as
# Latin-1 or Windows-1252; only such runs are candidates for repair.
_CP1252_EXTRAS = bytes(range(0x80, 0xA0)).decode("cp1252", errors="ignore")
_MOJIBAKE_RUN = re.compile(f"[\u0080-\u00ff{re.escape(_CP1252_EXTRAS)}]{{2,}}")


def read_capped(stream: BinaryIO, limit: int = MAX_DOCUMENT_BYTES) -> bytes:
    """Read the whole stream, refusing documents larger than limit bytes."""
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise FeedError(f"The document is larger than {limit // (1024 * 1024)} MB; refused.")
    return data


class BadItem(Exception):
    """One item cannot become a RawRole; carries the reason shown on the ingest run."""

    def __init__(self, reason: str, external_id: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.external_id = external_id


class Unbuilt:
    """Stands in for an item not built (too large, too deep), so the parser reports and skips it."""

    def __init__(self, reason: str) -> None:
        self.reason = reason


OVERSIZED = Unbuilt("item is too large to process")
TOO_DEEP = Unbuilt(f"item nests more than {MAX_DEPTH} levels deep")


def convert(
    position: int, item: Any, to_role: Callable[[dict[str, Any]], RawRole]
) -> RawRole | ItemError:
    """Turn one decoded item into a RawRole, or an ItemError saying why it cannot be one."""
    if isinstance(item, Unbuilt):
        return ItemError(position, item.reason)
    if not isinstance(item, dict):
        return ItemError(position, f"item is {_json_kind(item)}, not an object")
    try:
        return checked_role(to_role(item))
    except BadItem as exc:
        return ItemError(position, plain_reason(exc.reason), _printable_id(exc.external_id))
    except (TypeError, ValueError, AttributeError, KeyError, RecursionError) as exc:
        # A field of an unexpected type deep inside one item must not stop the whole feed.
        return ItemError(
            position,
            plain_reason(f"item has an unexpected shape ({exc})"),
            _printable_id(_any_id(item)),
        )


def checked_role(role: RawRole) -> RawRole:
    """The role, or BadItem if its id or text could not be stored as they are."""
    external_id = role.external_id
    if CONTROL_RE.search(external_id):
        raise BadItem("id contains control characters")
    if len(external_id) > MAX_ID_LENGTH:
        raise BadItem(f"id is longer than {MAX_ID_LENGTH} characters")
    for value in (
        external_id,
        role.title,
        role.company,
        role.url,
        role.apply_url,
        role.apply_email,
        role.description_html,
        role.employment_type,
        role.seniority,
        role.department,
        role.workplace,
        role.requirements_html,
        role.nice_to_have_html,
        *role.locations,
        *role.applicant_countries,
        *role.tags,
    ):
        # Surrogates cannot be encoded as UTF-8, so no database could store the item.
        if value and not value.isascii() and _UNENCODABLE_RE.search(value):
            raise BadItem(
                "item contains text that is not UTF-8 or a lone surrogate escape", external_id
            )
    return role


def plain_reason(text: str) -> str:
    """A reason as a run may store it: no control characters, no surrogates, not too long."""
    text = _UNENCODABLE_RE.sub("\ufffd", CONTROL_RE.sub("", text))
    return text if len(text) <= 500 else text[:499] + "\u2026"


def _printable_id(external_id: str | None) -> str | None:
    """An id as an error report may show it (cleaned like a reason, and shorter)."""
    if external_id is None:
        return None
    text = plain_reason(external_id)
    return text if len(text) <= MAX_ID_LENGTH else text[: MAX_ID_LENGTH - 1] + "\u2026"


def defer(
    position: int, item: Any, to_role: Callable[[dict[str, Any]], RawRole]
) -> PendingRole | RawRole | ItemError:
    """convert, leaving the RawRole to be built once the caller knows the item is new or changed.

    For parsers whose to_role reads the item's id from its "id" key before anything else, and
    is a function or a functools.partial over plain values (the digest covers those too). An
    item without a usable id is converted at once, so its error is the one convert gives.
    """
    if type(item) is not dict:
        return convert(position, item, to_role)
    try:
        external_id = required_id(item, "id")
        # An id the database would refuse is rejected before anything looks it up.
        if CONTROL_RE.search(external_id) or len(external_id) > MAX_ID_LENGTH:
            raise BadItem("unusable id")
        digest = item_digest(item, to_role)
    except BadItem:
        return convert(position, item, to_role)
    except TooDeep as exc:
        return ItemError(position, str(exc), _printable_id(external_id))
    return PendingRole(position, external_id, digest, partial(convert, position, item, to_role))


class TooDeep(ValueError):
    """An item nests deeper than MAX_DEPTH levels."""


def item_digest(item: dict[str, Any], to_role: Callable[[dict[str, Any]], RawRole]) -> bytes:
    """sha256 of the item's values and of the function (and bound arguments) that reads it.

    Raises TooDeep for an item nested too deeply to digest. The streaming reader never builds
    one deeper than MAX_DEPTH, but the digest must not fail on whatever else it is given.
    """
    function, bound = to_role, ()
    if isinstance(to_role, partial):
        function, bound = to_role.func, (to_role.args, to_role.keywords)
    values = (function.__module__, function.__qualname__, bound, item)
    try:
        # marshal version 2 writes values only (no references, no interning flags) and is
        # three times faster than repr, which must look at every character of the HTML.
        payload = b"m" + marshal.dumps(values, 2)
    except ValueError:
        # A Decimal (a JSON number with a fraction) has no marshal form, and marshal refuses
        # values nested past 2,000 levels; repr then stops at the recursion limit.
        try:
            text = repr(values)
        except RecursionError:
            raise TooDeep(TOO_DEEP.reason) from None
        payload = b"r" + text.encode("utf-8", "surrogatepass")
    return hashlib.sha256(payload).digest()


def _any_id(item: dict[str, Any]) -> str | None:
    value = item.get("id")
    return clean_str(value) if isinstance(value, str | int) else None


def _json_kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float | Decimal):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    return "an unknown value"


def required_id(item: dict[str, Any], key: str) -> str:
    """Return the item's identifier as text, or raise BadItem when missing or not an id."""
    value = item.get(key)
    if isinstance(value, bool) or not isinstance(value, str | int):
        if value is None or value == "":
            raise BadItem(f"missing id ({key!r})")
        raise BadItem(f"id ({key!r}) is {_json_kind(value)}, not text or a whole number")
    text = str(value).strip()
    if not text:
        raise BadItem(f"missing id ({key!r})")
    return text


def required_title(item: dict[str, Any], key: str, external_id: str | None) -> str:
    """Return the item's title, or raise BadItem when missing or not text."""
    value = item.get(key)
    if value is not None and not isinstance(value, str):
        raise BadItem(f"title ({key!r}) is {_json_kind(value)}, not text", external_id)
    text = clean_str(value)
    if text is None:
        raise BadItem(f"missing title ({key!r})", external_id)
    return text


def company_from_board_token(token: str | None) -> str | None:
    """A company name read off a board token, for payloads that name none: "acme-ai" becomes
    "Acme AI" (words of one or two letters are taken for initials)."""
    if not token:
        return None
    words = [word for word in re.split(r"[-_.\s]+", unquote(token)) if word.isalnum()]
    if not words:
        return None
    named = [word.upper() if len(word) <= 2 else word[:1].upper() + word[1:] for word in words]
    return " ".join(named)


def clean_str(value: Any) -> str | None:
    """Return the value stripped when it is a non-empty string, else None."""
    if isinstance(value, str):
        value = value.strip()
        return value or None
    if isinstance(value, int | Decimal) and not isinstance(value, bool):
        return str(value)
    return None


def clean_url(value: Any, base_url: str | None = None) -> str | None:
    """Return an absolute http(s) URL (resolved against base_url), or None for anything else."""
    text = clean_str(value) if isinstance(value, str) else None
    if text is None:
        return None
    try:
        if base_url:
            text = urljoin(base_url, text)
        parts = urlsplit(text)
    except ValueError:
        return None
    # "javascript:" and similar links must never reach an href.
    if parts.scheme.lower() not in {"http", "https"} or not parts.netloc:
        return None
    return text


def as_list(value: Any) -> list[Any]:
    """Return a list whatever the source gave: nothing, one value or several."""
    if value is None:
        return []
    if isinstance(value, list):
        return value
    return [value]


def unique(values: Iterable[str | None]) -> list[str]:
    """Return the non-empty values once each, in their first order."""
    seen: dict[str, None] = {}
    for value in values:
        if value:
            seen.setdefault(value, None)
    return list(seen)


def split_list(value: Any, separator: str = ";") -> list[str]:
    """Split a separated string into stripped, non-empty parts."""
    text = clean_str(value)
    if text is None:
        return []
    return unique(part.strip() for part in text.split(separator))


def parse_datetime(value: Any, *, end_of_day: bool = False) -> datetime | None:
    """Parse an ISO 8601 or RFC 822 date into an aware UTC datetime; None when unusable.

    A bare date becomes midnight UTC, or 23:59:59 UTC with ``end_of_day`` (for expiry dates,
    which name the last day a posting is open).
    """
    try:
        if isinstance(value, datetime):
            return _as_utc(value)
        if isinstance(value, date):
            return _from_date(value, end_of_day)
        text = clean_str(value) if isinstance(value, str) else None
        if text is None or len(text) > 64:
            return None
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            return _from_date(date.fromisoformat(text), end_of_day)
        for parser in _DATE_PARSERS:
            try:
                return _as_utc(parser(text))
            except (TypeError, ValueError, IndexError):
                continue
    except (OverflowError, ValueError):
        # Impossible dates ("2026-02-30") and ones near year 1 or 9999, which cannot be moved
        # to UTC, are not real postings' dates.
        return None
    return None


_DATE_PARSERS: tuple[Callable[[str], datetime], ...] = (
    lambda text: datetime.fromisoformat(text.replace("Z", "+00:00")),
    isoparse,
    email.utils.parsedate_to_datetime,
)


def from_epoch(value: Any, *, milliseconds: bool = False) -> datetime | None:
    """Turn an epoch timestamp (seconds, or milliseconds) into an aware UTC datetime."""
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal | str):
        return None
    try:
        seconds = Decimal(str(value).strip())
    except InvalidOperation:
        return None
    if not seconds.is_finite() or seconds < 0:
        return None
    if milliseconds:
        seconds /= 1000
    try:
        return datetime.fromtimestamp(float(seconds), tz=UTC)
    except (OverflowError, OSError, ValueError):
        return None


def _as_utc(value: datetime) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def _from_date(value: date, end_of_day: bool) -> datetime:
    moment = datetime.combine(value, time.min, tzinfo=UTC)
    if end_of_day:
        moment += timedelta(days=1, seconds=-1)
    return moment


def to_decimal(value: Any) -> Decimal | None:
    """Turn a number or numeric string ("120,000", "95000.50") into a Decimal; None if not one."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, float):
        value = repr(value)
    if isinstance(value, str):
        value = value.strip().replace(",", "").replace("_", "").replace(" ", "")
        if not value:
            return None
    try:
        number = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        return None
    if not number.is_finite() or number < 0:
        return None
    return number


def normalise_period(value: Any) -> str | None:
    """Map a source's pay interval ("per-year-salary", "1 YEAR", "HOUR", "monthly") to our word."""
    text = clean_str(value)
    if text is None:
        return None
    for word in re.split(r"[^a-z]+", text.lower()):
        if word in _PERIODS:
            return _PERIODS[word]
    return None


def normalise_workplace(value: Any) -> str | None:
    """Map a source's workplace word to "remote" | "hybrid" | "onsite"; None when unknown."""
    text = clean_str(value)
    if text is None:
        return None
    text = re.sub(r"[\s_]+", " ", text.lower())
    if text in _WORKPLACES:
        return _WORKPLACES[text]
    # Phrases such as "Remote (EU time zones)" or "Hybrid, 2 days in office".
    for pattern, workplace in _WORKPLACE_WORDS:
        if re.search(pattern, text):
            return workplace
    return None


def normalise_currency(value: Any) -> str | None:
    """Return an ISO 4217-looking code in upper case, or None."""
    text = clean_str(value)
    if text is None or not re.fullmatch(r"[A-Za-z]{3}", text):
        return None
    return text.upper()


# The references html.escape (and the board APIs that escape their HTML) write.
_COMMON_REFERENCES = (
    ("&lt;", "<"),
    ("&gt;", ">"),
    ("&quot;", '"'),
    ("&#x27;", "'"),
    ("&#39;", "'"),
)


def unescape_html(text: str) -> str:
    """html.unescape, several times faster on text that uses only the five common references."""
    if "&" not in text:
        return text
    known = text.count("&amp;") + sum(text.count(ref) for ref, _ in _COMMON_REFERENCES)
    if known != text.count("&"):
        return html.unescape(text)  # numeric or named references beyond the common five
    for ref, char in _COMMON_REFERENCES:
        text = text.replace(ref, char)
    # Last, so "&amp;lt;" becomes "&lt;" and not "<", as one left-to-right pass would give.
    return text.replace("&amp;", "&")


def looks_like_html(text: str) -> bool:
    """Tell whether a string contains HTML tags rather than plain text."""
    return bool(_HTML_TAG.search(text))


def plain_text_to_html(text: str) -> str:
    """Render plain text as escaped HTML paragraphs, keeping single line breaks."""
    paragraphs = re.split(r"\n\s*\n", text.replace("\r\n", "\n").replace("\r", "\n").strip())
    return "".join(
        "<p>" + html.escape(paragraph.strip()).replace("\n", "<br>") + "</p>"
        for paragraph in paragraphs
        if paragraph.strip()
    )


def as_html(value: Any) -> str:
    """Return a description as HTML: HTML passes through, plain text becomes paragraphs."""
    text = clean_str(value)
    if text is None:
        return ""
    return text if looks_like_html(text) else plain_text_to_html(text)


def repair_mojibake(text: str) -> str:
    """Undo UTF-8 that was decoded as Latin-1/Windows-1252 ("CafÃ©" → "Café"), run by run.

    A run is replaced only when its bytes decode cleanly as UTF-8, so correct accented text
    (whose bytes are not valid UTF-8) is left alone.
    """
    if text.isascii():
        return text
    return _MOJIBAKE_RUN.sub(_repair_run, text)


def _repair_run(match: re.Match[str]) -> str:
    run = match.group(0)
    raw = bytearray()
    for char in run:
        code = ord(char)
        if code < 0x100:
            raw.append(code)
        else:
            try:
                raw += char.encode("cp1252")
            except UnicodeEncodeError:
                return run
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return run


def stable_id(*parts: str | None) -> str:
    """Derive a short, stable identifier from the given parts."""
    joined = "\x1f".join(part or "" for part in parts)
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()[:24]

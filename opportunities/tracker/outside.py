"""An outside role (one not on this board) filled in from its web address, for the user to confirm.

The page is fetched only through the ingest's guarded fetcher. A Greenhouse, Lever or Ashby job
address is read through that board's public job API and the ingest's parser for it; any other
page through its schema.org JobPosting JSON-LD (the ingest's JSON-LD parser), else its <title>
and Open Graph tags, else nothing but the address, for the user to fill in by hand.
"""

from __future__ import annotations

import codecs
import contextlib
import html
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from html.parser import HTMLParser
from io import BytesIO
from typing import IO
from urllib.parse import unquote_plus, urlsplit, urlunsplit

from django.conf import settings

from opportunities.ingest.fetch import (
    BlockedAddress,
    FetchError,
    HTTPStatusError,
    TooLarge,
    TooManyRedirects,
    fetch,
)
from opportunities.ingest.normalise.classify import employment_type as classify_employment
from opportunities.ingest.normalise.role import COMPANY_MAX, LOCATION_MAX, TITLE_MAX, URL_MAX
from opportunities.ingest.normalise.salary import normalise_salary
from opportunities.ingest.parsers import ashby, greenhouse, job_pages, jsonld, lever
from opportunities.ingest.parsers.common import company_from_board_token
from opportunities.ingest.parsers.job_pages import job_page
from opportunities.ingest.parsers.records import (
    FeedError,
    ItemError,
    PendingRole,
    RawRole,
)
from opportunities.text import html_clean, text_clean

__all__ = [
    "FOUND_BY",
    "OutsideRole",
    "OutsideRoleError",
    "normalise_url",
    "outside_role_from_url",
]

# The public job APIs. Module constants so that tests can point them at a local server.
GREENHOUSE_API = "https://boards-api.greenhouse.io/v1/boards"
LEVER_API = "https://api.lever.co/v0/postings"
LEVER_EU_API = "https://api.eu.lever.co/v0/postings"
ASHBY_API = "https://api.ashbyhq.com/posting-api/job-board"

# A user waits for this fetch, so it is bounded far tighter than a feed's.
PAGE_MAX_BYTES = 5 * 1024 * 1024
# An Ashby board lists every job with its description in one answer.
API_MAX_BYTES = 25 * 1024 * 1024
TIMEOUT = 10.0  # seconds between bytes
CONNECT_TIMEOUT = 5.0
TOTAL_TIMEOUT = 20.0
BOARD_NAME_TIMEOUT = 5.0  # the optional second Greenhouse request, for the company's name
# A description longer than this is cut (and re-sanitised, so no tag is left open).
DESCRIPTION_MAX = 100_000
# Open Graph tags sit in the page's head; a huge page is not read to its end for them.
HEAD_MAX_CHARS = 1024 * 1024

FOUND_BY = ("jsonld", "greenhouse", "lever", "ashby", "opengraph", "none")

# Query parameters that say where a visitor came from, not which page it is.
_TRACKING_KEYS = frozenset({"gh_src", "lever-source", "lever-origin", "ref", "gclid", "fbclid"})
_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9_.:-]+)", re.I)
# Content types that may carry a posting; an image or a PDF is left to the user.
_PAGE_TYPES = ("html", "xml", "text/", "json")
_TITLE_SEPARATORS = (" | ", " - ", " \u2013 ", " \u2014 ", " \u00b7 ", " :: ", " @ ")
_META_KEYS = frozenset({"og:title", "og:description", "og:site_name", "description"})


@dataclass
class OutsideRole:
    """What could be read about a role elsewhere on the web, for the user to confirm or edit.

    Texts are cleaned, description_html is sanitised, canonical_url is normalise_url()'s form
    of the posting's own address; employment_type is an EmploymentType value or "" and
    salary_period a SalaryPeriod value or "". found_by names what filled it (FOUND_BY).
    """

    title: str = ""
    company_name: str = ""
    location: str = ""
    description_html: str = ""
    apply_url: str = ""
    canonical_url: str = ""
    salary_min: int | None = None
    salary_max: int | None = None
    salary_currency: str = ""
    salary_period: str = ""
    employment_type: str = ""
    found_by: str = "none"


class OutsideRoleError(Exception):
    """The address cannot be read; `message` says why in plain words, for the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def outside_role_from_url(url: str) -> OutsideRole:
    """Fill an OutsideRole from a job posting's web address; OutsideRoleError if it cannot be.

    Blocks while fetching: at most TOTAL_TIMEOUT seconds per request (a Greenhouse job whose
    answer lacks the company's name costs one more, shorter request).
    """
    address = _checked_url(url)
    page = job_page(address)
    if page is not None and page.kind == job_pages.GREENHOUSE:
        return _from_greenhouse(address, page.board, page.job_id)
    if page is not None and page.kind == job_pages.LEVER:
        api = LEVER_EU_API if page.host in job_pages.EU_HOSTS else LEVER_API
        return _from_lever(address, api, page.board, page.job_id)
    if page is not None and page.kind == job_pages.ASHBY:
        return _from_ashby(address, page.board, page.job_id)
    return _from_page(address)


def normalise_url(url: str) -> str:
    """The address as duplicates are told by: lower-case scheme and host, no default port,
    credentials, fragment, tracking parameters (utm_*, gh_src, lever-source, ref ...) or
    trailing slash. Text that is not a URL comes back cleaned and stripped.
    """
    text = text_clean(url).strip()
    try:
        parts = urlsplit(text)
        host = parts.hostname or ""
        port = parts.port
    except ValueError:
        return text
    scheme = parts.scheme.lower()
    if ":" in host:
        host = f"[{host}]"  # an IPv6 literal
    if port is not None and (scheme, port) not in (("http", 80), ("https", 443)):
        host = f"{host}:{port}"
    # Filtered piece by piece, not decoded and re-encoded, so what is kept stays as written.
    query = "&".join(piece for piece in parts.query.split("&") if piece and not _is_tracking(piece))
    return urlunsplit((scheme, host, parts.path.rstrip("/"), query, ""))


def _is_tracking(piece: str) -> bool:
    """Whether one `key=value` piece of a query is a tracking parameter."""
    key = unquote_plus(piece.partition("=")[0]).strip().lower().removesuffix("[]")
    return key.startswith("utm_") or key in _TRACKING_KEYS


def _checked_url(url: str) -> str:
    """The address, cleaned, if it is one that may be fetched; else OutsideRoleError."""
    text = text_clean(url or "").strip()
    if not text:
        raise OutsideRoleError("Enter the web address of the job posting.")
    if len(text) > URL_MAX:
        raise OutsideRoleError(
            f"That web address is longer than {URL_MAX} characters; "
            "copy the posting's address again."
        )
    if any(char.isspace() for char in text):
        raise OutsideRoleError("A web address cannot contain spaces.")
    try:
        parts = urlsplit(text)
        host = parts.hostname
        parts.port  # noqa: B018 -- reading it is what checks it
    except ValueError as exc:
        raise OutsideRoleError("That is not a valid web address.") from exc
    if parts.scheme.lower() not in ("http", "https"):
        raise OutsideRoleError("Enter a web address that starts with https:// or http://.")
    if not host:
        raise OutsideRoleError("That web address has no site name in it.")
    if parts.username is not None or parts.password is not None:
        raise OutsideRoleError("Web addresses with a user name or password cannot be added.")
    return text


# --- Fetching ---------------------------------------------------------------------------------


@contextlib.contextmanager
def _fetching(
    url: str, *, failure: str, max_bytes: int, total_timeout: float = TOTAL_TIMEOUT
) -> Iterator[tuple[IO[bytes], str, str]]:
    """The body, final URL and content type of `url`; a FetchError becomes OutsideRoleError."""
    try:
        with fetch(
            url,
            max_bytes=max_bytes,
            timeout=TIMEOUT,
            connect_timeout=CONNECT_TIMEOUT,
            total_timeout=total_timeout,
            allow_loopback=settings.INGEST_ALLOW_LOOPBACK,
        ) as result:
            if result.body is None:
                # Only an answer to validators has no body, and none were sent.
                raise OutsideRoleError(f"{failure}: the site sent no page.")
            yield result.body, result.url, (result.content_type or "").lower()
    except FetchError as exc:
        raise OutsideRoleError(f"{failure}: {_fetch_reason(exc)}.") from exc


def _fetch_reason(exc: FetchError) -> str:
    """Why a fetch failed, in words for the user rather than for a log."""
    if isinstance(exc, BlockedAddress):
        return "its address is not on the public internet"
    if isinstance(exc, TooLarge):
        return f"it is larger than {_size_in_words(exc.limit)}"
    if isinstance(exc, TooManyRedirects):
        return "it sends the browser on from address to address without end"
    if isinstance(exc, HTTPStatusError):
        if exc.status in (404, 410):
            return f"the site says there is no such page (error {exc.status}); it may have closed"
        if exc.status in (401, 403):
            return f"the site does not let us read it (error {exc.status})"
        if exc.status == 429:
            return "the site is busy (error 429); try again in a minute"
        if exc.status >= 500:
            return f"the site has a problem (error {exc.status}); try again later"
        return f"the site answered with error {exc.status}"
    message = str(exc).rstrip(".") or "the site could not be reached"
    return message[0].lower() + message[1:]


def _size_in_words(size: int) -> str:
    """A byte count as "5 MB" or "64 KB"."""
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f}".removesuffix(".0") + " MB"
    return f"{max(1, size // 1024)} KB"


# --- Greenhouse, Lever and Ashby ---------------------------------------------------------------


def _from_greenhouse(url: str, board: str, job_id: str) -> OutsideRole:
    api = f"{GREENHOUSE_API}/{board}/jobs/{job_id}"
    with _fetching(
        api, failure="That job could not be fetched from Greenhouse", max_bytes=API_MAX_BYTES
    ) as (body, _, _):
        raw = _the_role(greenhouse.parse_pending(body, base_url=api), "Greenhouse", None)
    # The parser names a company its job leaves unnamed after the board's token ("quillion"
    # -> "Quillion"); the board itself knows the real name ("Quillion AI"), if it answers.
    if not raw.company or raw.company == company_from_board_token(board):
        raw.company = _greenhouse_board_name(board) or raw.company
    return _from_raw(raw, url=url, found_by="greenhouse")


def _greenhouse_board_name(board: str) -> str:
    """The company's name as its Greenhouse board gives it, or "" if it cannot be had."""
    try:
        with _fetching(
            f"{GREENHOUSE_API}/{board}",
            failure="The board could not be fetched",
            max_bytes=PAGE_MAX_BYTES,
            total_timeout=BOARD_NAME_TIMEOUT,
        ) as (body, _, _):
            data = body.read()
    except OutsideRoleError:
        return ""  # the name is a convenience; the user can type it
    try:
        board_info = json.loads(data)
    except ValueError:
        return ""
    name = board_info.get("name") if isinstance(board_info, dict) else None
    return name if isinstance(name, str) else ""


def _from_lever(url: str, api_base: str, site: str, posting_id: str) -> OutsideRole:
    api = f"{api_base}/{site}/{posting_id}"
    with _fetching(
        api, failure="That job could not be fetched from Lever", max_bytes=API_MAX_BYTES
    ) as (body, _, _):
        raw = _the_role(lever.parse_pending(body, base_url=api), "Lever", None)
    return _from_raw(raw, url=url, found_by="lever")


def _from_ashby(url: str, organisation: str, job_id: str) -> OutsideRole:
    api = f"{ASHBY_API}/{organisation}?includeCompensation=true"
    with _fetching(
        api, failure="That job could not be fetched from Ashby", max_bytes=API_MAX_BYTES
    ) as (body, _, _):
        raw = _the_role(ashby.parse_pending(body, base_url=api), "Ashby", job_id)
    return _from_raw(raw, url=url, found_by="ashby")


def _the_role(
    items: Iterable[PendingRole | RawRole | ItemError], board: str, job_id: str | None
) -> RawRole:
    """The role with `job_id` (or the first one) among a parser's items; else OutsideRoleError."""
    wanted = job_id.lower() if job_id else None
    try:
        for item in items:
            if wanted is not None and (item.external_id or "").lower() != wanted:
                continue
            built = item.build() if isinstance(item, PendingRole) else item
            if isinstance(built, ItemError):
                raise OutsideRoleError(f"{board} sent a job that cannot be read: {built.reason}.")
            return built
    except FeedError as exc:
        raise OutsideRoleError(
            f"{board} answered with something that is not a job posting; "
            "try again later, or add the role by hand."
        ) from exc
    raise OutsideRoleError(
        f"{board} lists no open job at that address; it may have closed or be unlisted. "
        "You can still add it by hand."
    )


# --- Any other page ---------------------------------------------------------------------------


def _from_page(url: str) -> OutsideRole:
    with _fetching(url, failure="That page could not be fetched", max_bytes=PAGE_MAX_BYTES) as (
        body,
        final_url,
        content_type,
    ):
        data = body.read()
    if content_type and not any(kind in content_type for kind in _PAGE_TYPES):
        return _by_hand(url)
    head = _read_head(_decode(data, content_type))
    raw = _job_posting(data, final_url)
    if raw is not None:
        raw.company = raw.company or head.get("og:site_name")
        return _from_raw(raw, url=url, found_by="jsonld")
    site = _line(head.get("og:site_name"), COMPANY_MAX)
    title = _line(head.get("og:title"), TITLE_MAX * 2) or _line(head.get("title"), TITLE_MAX * 2)
    title = _line(_without_site(title, site), TITLE_MAX)
    if not title:
        return _by_hand(url)
    description = _line(head.get("og:description") or head.get("description"), DESCRIPTION_MAX)
    return OutsideRole(
        title=title,
        company_name=site,
        description_html=html_clean(f"<p>{html.escape(description)}</p>") if description else "",
        apply_url=url,
        # og:url is left alone: sites often set it to their home page for every page.
        canonical_url=normalise_url(url),
        found_by="opengraph",
    )


def _by_hand(url: str) -> OutsideRole:
    return OutsideRole(apply_url=url, canonical_url=normalise_url(url), found_by="none")


def _job_posting(data: bytes, page_url: str) -> RawRole | None:
    """The page's JobPosting: the one about this page when it lists several, else the first."""
    try:
        roles = [
            item
            for item in jsonld.parse(BytesIO(data), base_url=page_url)
            if isinstance(item, RawRole)
        ]
    except (FeedError, ValueError, AssertionError):
        # AssertionError: the parser's html.parser on a broken "<![" section (see _read_head).
        return None
    here = normalise_url(page_url)
    return next((role for role in roles if normalise_url(role.url or "") == here), None) or (
        roles[0] if roles else None
    )


def _decode(data: bytes, content_type: str) -> str:
    """The page's text: by the charset the server names, else UTF-8, else Windows-1252."""
    match = _CHARSET.search(content_type)
    if match:
        with contextlib.suppress(LookupError):
            return data.decode(codecs.lookup(match.group(1)).name, "replace")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", "replace")


class _HeadReader(HTMLParser):
    """Collects the page's first <title> (not an SVG's) and its Open Graph and description tags."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: dict[str, str] = {}
        self._title: list[str] | None = None
        self._svg = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "svg":
            self._svg += 1
        elif tag == "title" and not self._svg and "title" not in self.found:
            self._title = []
        elif tag == "meta":
            values = dict(attrs)
            key = (values.get("property") or values.get("name") or "").strip().lower()
            content = values.get("content")
            if key in _META_KEYS and content and content.strip():
                self.found.setdefault(key, content)

    def handle_endtag(self, tag: str) -> None:
        if tag == "svg" and self._svg:
            self._svg -= 1
        elif tag == "title" and self._title is not None:
            self.found.setdefault("title", "".join(self._title))
            self._title = None

    def handle_data(self, data: str) -> None:
        if self._title is not None:
            self._title.append(data)


def _read_head(text: str) -> dict[str, str]:
    """{"title", "og:title", "og:description", "og:site_name", "description"}: those present."""
    reader = _HeadReader()
    # html.parser (before Python 3.13) raises AssertionError on a broken "<![" section; what
    # was read before it still counts.
    with contextlib.suppress(AssertionError):
        reader.feed(text[:HEAD_MAX_CHARS])
        reader.close()
    return reader.found


def _without_site(title: str, site: str) -> str:
    """The title without the site's name before or after it ("Engineer | Acme" -> "Engineer")."""
    if not site or title.casefold() == site.casefold():
        return title
    folded, site_folded = title.casefold(), site.casefold()
    for separator in _TITLE_SEPARATORS:
        if folded.endswith(separator + site_folded):
            return title[: -len(separator + site)].strip()
        if folded.startswith(site_folded + separator):
            return title[len(site + separator) :].strip()
    return title


# --- From a parsed posting ------------------------------------------------------------------


def _from_raw(raw: RawRole, *, url: str, found_by: str) -> OutsideRole:
    """An OutsideRole from a parser's RawRole: cleaned, cut to length, salary normalised."""
    title = _line(raw.title, TITLE_MAX)
    own_url = _http_url(raw.url)
    # The source's own words ("Full-time", "FULL_TIME") as an EmploymentType value.
    source_type = _line(raw.employment_type, 100)
    role = OutsideRole(
        title=title,
        company_name=_line(raw.company, COMPANY_MAX),
        location=_location(raw),
        description_html=_description(raw),
        apply_url=_http_url(raw.apply_url) or own_url or url,
        canonical_url=normalise_url(own_url or url),
        employment_type=classify_employment(source_type, title) if source_type else "",
        found_by=found_by,
    )
    salary = normalise_salary(raw.salary)
    if salary is not None:
        role.salary_min = _whole(salary.minimum)
        role.salary_max = _whole(salary.maximum)
        role.salary_currency = salary.currency
        role.salary_period = salary.period
    return role


def _line(value: str | None, limit: int) -> str:
    """One line of clean text with its runs of white space collapsed, cut to `limit`."""
    text = " ".join(text_clean(value).split())
    if len(text) <= limit:
        return text
    return text[: limit - 1].rstrip(" ,;:-") + "\u2026"


def _http_url(value: str | None) -> str:
    """The value if it is an absolute http(s) address short enough to store, else ""."""
    text = text_clean(value).strip()
    if len(text) > URL_MAX or any(char.isspace() for char in text):
        return ""
    try:
        parts = urlsplit(text)
    except ValueError:
        return ""
    return text if parts.scheme.lower() in ("http", "https") and parts.netloc else ""


def _location(raw: RawRole) -> str:
    places = [place for place in (_line(place, LOCATION_MAX) for place in raw.locations) if place]
    if places:
        return _line("; ".join(dict.fromkeys(places)), LOCATION_MAX)
    return (raw.workplace or "").capitalize() if raw.workplace in ("remote", "hybrid") else ""


def _description(raw: RawRole) -> str:
    """The posting's HTML, sanitised, with separate requirement sections under headings."""
    parts = [raw.description_html]
    for heading, section in (
        ("Requirements", raw.requirements_html),
        ("Nice to have", raw.nice_to_have_html),
    ):
        if section.strip():
            parts.append(f"<h3>{heading}</h3>{section}")
    cleaned = html_clean("\n".join(part for part in parts if part))
    if len(cleaned) > DESCRIPTION_MAX:
        cleaned = html_clean(cleaned[:DESCRIPTION_MAX])
    return cleaned


def _whole(amount: Decimal | None) -> int | None:
    return None if amount is None else int(amount.to_integral_value())

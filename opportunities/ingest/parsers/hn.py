"""Hacker News "Ask HN: Who is hiring?" threads: every top-level comment is one posting.

Two shapes of a thread are read:

- the HN Algolia items API (``https://hn.algolia.com/api/v1/items/<story id>``): one object,
  the story, whose ``children`` are its top-level comments, each with ``id``, ``author``,
  ``created_at`` (ISO 8601), ``text`` (HTML) and ``children`` of its own (the replies);
- the official HN API (``https://hacker-news.firebaseio.com/v0/item/<id>.json``), which
  returns one item per request: a thread is saved as a JSON list whose first element is the
  story item (``{"id", "type": "story", "kids": [...]}``) and whose other elements are comment
  items (``{"id", "by", "time", "text", "parent", "type": "comment", "deleted", "dead"}``)
  in any order. Comments whose ``parent`` is not the story are replies.

Replies, deleted and dead (flagged) comments are passed over. A comment whose first line is
not ``Company | Role | Location | ...`` and that names no role it is hiring for is not a
posting: it comes out as an ItemError saying so, which the run records as skipped.

The first line's fields are told apart by their shape, in any order: links and domains,
salaries ("$150k-$200k", "€80-100k", "$60/hr"), workplace words ("REMOTE", "Onsite",
"Remote (US only)"), places, employment types and role titles. A posting that names several
roles becomes one RawRole per role, with ids ``<comment id>-1``, ``-2``, …, all sharing the
comment's text; a posting of one role keeps the comment's id (so a poster who edits a
second role in moves the first to ``-1``). A generic title ("Multiple roles") takes the roles
listed in the text below it, and a first line of prose ("Acme is hiring ML Engineers in
Berlin") is read for its company, roles and places. The replies of a comment are skipped
unread, so a long chain of replies never costs its posting the depth limit.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, BinaryIO
from urllib.parse import urlsplit

from opportunities.ingest.normalise.locations import resolve_countries, split_locations
from opportunities.ingest.parsers.common import (
    BadItem,
    Unbuilt,
    checked_role,
    clean_str,
    clean_url,
    from_epoch,
    normalise_workplace,
    parse_datetime,
    plain_reason,
    required_id,
    unescape_html,
    unique,
)
from opportunities.ingest.parsers.jsonstream import (
    array_items,
    build,
    describe,
    events,
    object_members,
    skip,
    unbuilt_member,
)
from opportunities.ingest.parsers.records import FeedError, ItemError, RawRole, RawSalary
from opportunities.text import text_clean

ALGOLIA_ITEM_URL = "https://hn.algolia.com/api/v1/items/{id}"
COMMENT_URL = "https://news.ycombinator.com/item?id={id}"
# A thread named by its story id, or by its page on news.ycombinator.com.
_THREAD_ID = re.compile(r"\d{1,12}")
_THREAD_PAGE = re.compile(r"https?://news\.ycombinator\.com/item\?id=(\d{1,12})(?:[&#]\S*)?", re.I)
_WHAT = (
    "a Hacker News thread: an Algolia item (/api/v1/items/<id>) or a JSON list of official "
    "API items, the story first"
)
# The story's title when the thread is of people looking for work, not of postings.
_SEEKERS = re.compile(r"who\s+wants\s+to\s+be\s+hired|seeking\s+freelancer", re.I)
_GONE_TEXTS = frozenset({"[deleted]", "[dead]", "[flagged]"})
# Roles beyond this in one comment are a list of something else (or a hostile comment).
_MAX_ROLES = 20
_MAX_TITLE = 120

# --- HTML as HN writes it: paragraphs opened by <p>, links, <i>, <pre><code>. ------------
# Each pattern stops at the next "<" or ">", so no run of text is scanned more than once.
_PARAGRAPH = re.compile(r"<p(?:\s[^<>]*)?>|</p\s*>|<br\s*/?>|\n", re.I)
_LINK = re.compile(r"<a\s[^<>]*?href\s*=\s*\"([^\"<>]*)\"[^<>]*>([^<]*)", re.I)
_TAG = re.compile(r"<[^<>]*>")
_SPACES = re.compile(r"\s+")

# --- What a field of the first line is. ---------------------------------------------------
# A link or a bare domain; without a scheme, "www." or a path only a usual top-level domain
# counts, so "Node.js" or "ASP.NET" is not taken for a website.
_URL_TOKEN = re.compile(
    r"^https?://\S+$"
    r"|^(?:www\.\S+|[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[a-z]{2,24}/\S*"
    r"|[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.(?:com|io|ai|co|org|net|dev|app|tech|xyz|so|sh|us|uk|"
    r"de|eu|fr|nl|se|ch|ca|me|inc|jobs|careers|health|bio|is|gg|to|cc|ly|fm|tv|studio|"
    r"systems|cloud|ml|run|build|works|team|company|energy|finance|security|page))$"
)
_URL_FILLER = frozenset(
    {
        *("apply", "apply:", "at", "here", "here:", "careers", "careers:", "jobs", "jobs:"),
        *("website", "website:", "web:", "url:", "link:", "-", "\u2013", "see", "more", "site:"),
    }
)
_SALARY = re.compile(
    r"[$€£¥₹]\s?\d"
    r"|\d\s?[kK](?![a-zA-Z])"
    r"|\b(?:USD|EUR|GBP|CAD|AUD|CHF|SEK|NOK|DKK|PLN|INR|SGD|NZD)\s?\d"
    r"|\d\s?(?:USD|EUR|GBP|CAD|AUD|CHF|SEK|NOK|DKK|PLN|INR|SGD|NZD)\b"
    r"|\d\s*/\s*(?:hr|hour|h|yr|year|mo|month)\b"
)
_SALARY_WORDS = re.compile(r"\b(?:salary|compensation|comp|pay|base|ote|range)\b", re.I)
_WORKPLACE = re.compile(
    r"\b(?:remote(?:ly)?|on[\s-]?site|in[\s-]office|in[\s-]person|hybrid|wfh|distributed)\b",
    re.I,
)
_PART_REMOTE = re.compile(r"\bpart(?:ly|ial(?:ly)?)?[\s-]+remote\b", re.I)
_NOT_REMOTE = re.compile(r"\b(?:no|not)\s+remote\b|\bremote\s+not\s+(?:possible|available)\b", re.I)
_EMPLOYMENT = re.compile(
    r"^(?:full[\s-]?time|part[\s-]?time|ft|pt|contract(?:or)?(?:[\s-]to[\s-]hire)?|freelance"
    r"|intern(?:ship)?s?|permanent|temporary|full[\s-]?time\s*(?:/|or|,|&)\s*"
    r"(?:contract|part[\s-]?time))$",
    re.I,
)
_VISA = re.compile(r"\bvisas?\b|\bsponsorship\b|\bh-?1b\b", re.I)
_EQUITY = re.compile(r"^(?:\+?\s*)?(?:equity|stock options?|options)\b", re.I)
_ROLE = re.compile(
    r"\b(?:engineers?|engineering\s+(?:managers?|leads?|directors?)|developers?|devs|"
    r"scientists?|researchers?|designers?|architects?|managers?|leads?|directors?|head\s+of|"
    r"vp|vice\s+president|chief|cto|analysts?|sres?|devops|programmers?|hackers?|interns?|"
    r"internships?|recruiters?|specialists?|consultants?|administrators?|technicians?|"
    r"writers?|advocates?|evangelists?|executives?|coordinators?|strategists?|marketers?|"
    r"owners?|generalists?|operators?|accountants?|counsel|technologists?|swes?|mts|mle|"
    r"technical\s+staff|founding\s+\w+|full[\s-]?stack|front[\s-]?end|back[\s-]?end|qa|"
    r"testers?|statisticians?|quants?|roles|positions|openings)\b",
    re.I,
)
# What a title is: a noun for a person's job, not a word that only qualifies one ("Backend").
_ROLE_NOUN = re.compile(
    r"\b(?:engineers?|developers?|devs|scientists?|researchers?|designers?|architects?|"
    r"managers?|leads?|directors?|head\s+of|vp|chief|cto|analysts?|sres?|devops|programmers?|"
    r"hackers?|interns?|recruiters?|specialists?|consultants?|administrators?|technicians?|"
    r"writers?|advocates?|evangelists?|executives?|coordinators?|strategists?|marketers?|"
    r"owners?|generalists?|operators?|accountants?|counsel|technologists?|swes?|mts|mle|"
    r"technical\s+staff|testers?|statisticians?|quants?)\b",
    re.I,
)
# Capitalised abbreviations that are country codes but in a job ad mean a field of work.
_NOT_PLACES = re.compile(r"\b(?:ML|AI|IT|QA|PM|BI|AR|VR|HR|PR|CV|MS|BE|IO|TV|PE|UX|UI)\b")
# Words a title in title case leaves in lower case.
_SMALL_WORDS = frozenset(
    ["a", "an", "and", "at", "for", "in", "of", "on", "or", "the", "to", "with", "&"]
)
_GENERIC_TITLE = re.compile(
    r"^(?:(?:multiple|various|several|many|open|all|lots\s+of|a\s+few|\d+)\s+)?"
    r"(?:(?:engineering|technical|tech|software)\s+)?(?:roles|positions|openings|jobs)"
    r"(?:\s*\(see\s+below\))?$"
    r"|^(?:(?:multiple|various|several)\s+)?engineers$",
    re.I,
)
_ROLES_PREFIX = re.compile(
    r"^(?:(?:open\s+)?roles?|positions?|(?:we(?:'re|\s+are)\s+)?hiring(?:\s+for)?|"
    r"looking\s+for|openings?)\s*:\s*",
    re.I,
)
# A list of roles splits at commas, semicolons, " / " and "and" outside parentheses.
_ROLE_SEPARATOR = re.compile(r"\s*[,;]\s*|\s+/\s+|\s+(?:and|&|\+|or)\s+", re.I)
_YC_BATCH = re.compile(r"\(\s*YC\s*[A-Z]?\d{2,4}\s*\)|\(\s*YC\s*[SWF]\w*\s*\)", re.I)
_HIRING_WORDS = re.compile(
    r"\b(?:is|are|we'?re|we\s+are|now)\s+hiring\b|\bhiring\b|\bapply\b|\bjoin\s+(?:us|our)\b"
    r"|\bopen\s+(?:roles|positions)\b|\blooking\s+for\s+(?:an?\s+)?\w+\s+(?:engineer|developer)",
    re.I,
)
_FREE_SALARY = re.compile(
    r"[$€£]\s?\d[\d,.]*\s?[kK]?(?:\s*[-\u2013]\s*[$€£]?\s?\d[\d,.]*\s?[kK]?)?"
)
_FREE_COMPANY = re.compile(r"^(.{1,80}?)\s+(?:is|are)\s+(?:now\s+|also\s+)?hiring\b", re.I)
# A run of capitalised words (or ML, AI, of, &) that ends in a role noun.
_FREE_TITLE = re.compile(
    r"(?<![\w-])((?:(?:[A-Z][\w+#/.-]*|of|and|&)\s+){0,5}(?:[A-Z][a-z]*\s+)?"
    r"(?:Engineers?|Developers?|Scientists?|Researchers?|Designers?|Architects?|Managers?|"
    r"Leads?|Analysts?|SREs?|Programmers?|Interns?))\b"
)
# "… in London", "… based in Austin, TX": a capitalised place after "in".
_FREE_PLACE = re.compile(r"\bin\s+([A-Z][\w.'-]*(?:\s[A-Z][\w.'-]*){0,3}(?:,\s?[A-Z]{2}\b)?)")
# Plural role nouns at the end of a title ("Senior Frontend Engineers"), made singular.
_PLURAL_ROLE = re.compile(
    r"\b(Engineer|Developer|Scientist|Researcher|Designer|Manager|Analyst|Architect|Intern)s$"
)
_BULLET = re.compile(r"^\s*(?:[-*\u2022\u00b7\u2023\u2013]|\d{1,2}[.)])\s*")

# --- Where to apply. ----------------------------------------------------------------------
_APPLY_URL = re.compile(
    r"apply|/jobs?\b|/careers?\b|/join\b|/positions\b|/openings\b|/hiring\b|/work-with-us"
    r"|^https?://(?:jobs|careers|apply)\.|greenhouse\.io|lever\.co|ashbyhq\.com|workable\.com"
    r"|recruitee\.com|breezy\.hr|bamboohr\.com|wellfound\.com|workatastartup\.com"
    r"|ycombinator\.com/companies/[^/]+/jobs|notion\.site",
    re.I,
)
_APPLY_CONTEXT = re.compile(r"\b(?:apply|application|send|email|e-mail|contact|reach)\b", re.I)
# An address may start only where no address character precedes, so a long word is scanned
# once; the domain must end in letters.
_EMAIL = re.compile(
    r"(?<![\w.+-])[\w.+-]{1,64}@[a-z0-9-]{1,63}(?:\.[a-z0-9-]{1,63})*\.[a-z]{2,24}\b", re.I
)
# Each starts only where a run of white space starts, so a long run is scanned once.
_BRACKET_AT = re.compile(r"(?<!\s)\s*[\[({<]\s*at\s*[\])}>]\s*", re.I)
_BRACKET_DOT = re.compile(r"(?<!\s)\s*[\[({<]\s*dot\s*[\])}>]\s*", re.I)
_CAPITAL_AT = re.compile(r"(?<!\s)\s+(?:AT|@)\s+")
_CAPITAL_DOT = re.compile(r"(?<!\s)\s+DOT\s+")
# "jobs at acme dot com": both words spelled out.
_WORDS_AT_DOT = re.compile(
    r"(?<![\w.+-])([\w.+-]{1,64}) at ([a-z0-9-]{1,63}(?: dot [a-z0-9-]{1,63}){1,4})\b", re.I
)
_MAILBOXES = (
    "jobs|careers|hiring|hr|work|apply|recruiting|recruitment|talent|hello|hi|team|join|people|"
    "hn|contact|founders|engineering|info"
)
_MAILBOX = re.compile(_MAILBOXES, re.I)
_MAIL_WORDS = re.compile(
    r"\b(?:e-?mail|mail|write|send|reach|contact|apply|cv|resume|r\u00e9sum\u00e9)\b", re.I
)
# "jobs at acme.com": an address only where the name before "at" is a mailbox's.
_PLAIN_AT = re.compile(
    rf"(?<![\w.+-])((?:{_MAILBOXES})(?:\+[\w-]+)?)\s+at\s+"
    r"([a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,24})\b",
    re.I,
)


@dataclass(slots=True)
class _Comment:
    """One top-level comment, in either API's shape."""

    id: str
    html: str
    posted_at: Any


@dataclass(slots=True)
class _Segment:
    """One field of the first line: its text, its links, and what it was taken for."""

    text: str
    links: list[str]
    kind: str = ""


@dataclass(slots=True)
class _Role:
    """One role a posting names, with the places given for it alone."""

    title: str
    locations: list[str] = field(default_factory=list)


def parse(stream: BinaryIO, *, base_url: str | None = None) -> Iterator[RawRole | ItemError]:
    """Yield the roles of a Who is hiring thread, in either API's shape (see the docstring)."""
    stream_events = events(stream)
    event, _ = next(stream_events, ("end", None))
    if event == "start_map":
        yield from _algolia(stream_events)
    elif event == "start_array":
        yield from _firebase(stream_events)
    else:
        raise FeedError(f"The feed is {describe(event)}; expected {_WHAT}.")
    for _ in stream_events:
        pass  # reading to the end makes the reader report text after the document


def thread_url(location: str) -> str | None:
    """The Algolia items URL of a thread named by its id or its HN page; None for others."""
    location = location.strip()
    if _THREAD_ID.fullmatch(location):
        return ALGOLIA_ITEM_URL.format(id=int(location))
    page = _THREAD_PAGE.fullmatch(location)
    return ALGOLIA_ITEM_URL.format(id=int(page.group(1))) if page else None


# --- Reading the two shapes ---------------------------------------------------------------


def _algolia(stream_events: Iterator[Any]) -> Iterator[RawRole | ItemError]:
    story: dict[str, Any] = {}
    found = False
    for key, event, value in object_members(stream_events):
        if key == "children" and event == "start_array" and not found:
            _check_story(story)
            found = True
            for position, comment in enumerate(_algolia_comments(stream_events)):
                yield from _postings(position, comment, _algolia_comment)
        else:
            story[key] = build(event, value, stream_events, depth=1)
    if not found:
        if "kids" in story:
            raise FeedError(
                "The feed is one official API item, which lists only its comments' ids "
                "('kids'); save the story followed by its comment items as a JSON list, or "
                "use the Algolia item URL."
            )
        raise FeedError(f"The feed is a JSON object without a 'children' list; expected {_WHAT}.")


def _algolia_comments(stream_events: Iterator[Any]) -> Iterator[Any]:
    """Each element of the "children" list, built without its replies."""
    for event, value in stream_events:
        if event == "end_array":
            return
        if event != "start_map":
            yield build(event, value, stream_events)
            continue
        comment: dict[str, Any] = {}
        for key, member_event, member_value in object_members(stream_events):
            if key == "children":
                skip(member_event, stream_events)  # replies: never postings
            else:
                comment[key] = build(member_event, member_value, stream_events, depth=1)
        yield unbuilt_member(comment) or comment


def _check_story(story: dict[str, Any]) -> None:
    """Refuse a comment's item, or a thread of people seeking work, named before its children."""
    if story.get("type") == "comment" or story.get("parent_id") not in (None, story.get("id")):
        raise FeedError(
            "The item is a comment, not a thread; use the id of the Who is hiring story."
        )
    title = story.get("title")
    if isinstance(title, str) and _SEEKERS.search(title):
        raise FeedError(
            "The thread is of people looking for work or freelancers, not of job postings."
        )


def _firebase(stream_events: Iterator[Any]) -> Iterator[RawRole | ItemError]:
    story_id: int | None = None
    kids: set[Any] = set()
    for index, item in enumerate(array_items(stream_events)):
        if index == 0:
            story_id, kids = _firebase_story(item)
            continue
        position = index - 1
        if isinstance(item, dict):
            parent = item.get("parent")
            top_level = parent == story_id if parent is not None else item.get("id") in kids
            if not top_level or item.get("type", "comment") != "comment":
                continue  # a reply, or something that is not a comment
        yield from _postings(position, item, _firebase_comment)
    if story_id is None:
        raise FeedError(f"The feed is an empty list; expected {_WHAT}.")


def _firebase_story(item: Any) -> tuple[Any, set[Any]]:
    if not isinstance(item, dict) or "id" not in item:
        raise FeedError(f"The list does not start with the thread's story item; expected {_WHAT}.")
    if item.get("type") == "comment" or "parent" in item:
        raise FeedError("The list starts with a comment; put the Who is hiring story item first.")
    _check_story(item)
    kids = item.get("kids")
    if not isinstance(kids, list):
        return item["id"], set()
    return item["id"], {kid for kid in kids if isinstance(kid, int | str)}


def _gone(item: dict[str, Any]) -> bool:
    """Deleted or dead (flagged): Algolia keeps a deleted comment as one without its text."""
    text = item.get("text")
    return (
        item.get("deleted") is True
        or item.get("dead") is True
        or not isinstance(text, str)
        or not text.strip()
        or text.strip() in _GONE_TEXTS
    )


def _algolia_comment(item: dict[str, Any]) -> _Comment | None:
    if _gone(item):
        return None
    posted_at = parse_datetime(item.get("created_at")) or from_epoch(item.get("created_at_i"))
    return _Comment(required_id(item, "id"), item["text"], posted_at)


def _firebase_comment(item: dict[str, Any]) -> _Comment | None:
    if _gone(item):
        return None
    return _Comment(required_id(item, "id"), item["text"], from_epoch(item.get("time")))


def _json_kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    return "a number"


def _postings(position: int, item: Any, read: Any) -> Iterator[RawRole | ItemError]:
    """The roles of one top-level comment, or one ItemError saying why it has none."""
    if isinstance(item, Unbuilt):
        yield ItemError(position, item.reason)
        return
    if not isinstance(item, dict):
        yield ItemError(position, f"item is {_json_kind(item)}, not an object")
        return
    external_id = clean_str(item.get("id")) if isinstance(item.get("id"), str | int) else None
    try:
        comment = read(item)
        if comment is None:
            return
        roles = [checked_role(role) for role in _roles(comment)]
    except BadItem as exc:
        yield ItemError(position, plain_reason(exc.reason), exc.external_id or external_id)
        return
    except (TypeError, ValueError, AttributeError, KeyError, RecursionError) as exc:
        yield ItemError(
            position, plain_reason(f"item has an unexpected shape ({exc})"), external_id
        )
        return
    yield from roles


# --- Reading one posting ------------------------------------------------------------------


def _plain(html_text: str) -> str:
    """The text of an HTML fragment, tags dropped and references resolved, on one line."""
    return _SPACES.sub(" ", unescape_html(_TAG.sub(" ", html_text))).strip()


def _links(html_text: str) -> list[str]:
    found = []
    for href, _ in _LINK.findall(html_text):
        url = unescape_html(href).strip()
        if url.lower().startswith("mailto:") or clean_url(url):
            found.append(url)
    return found


def _paragraphs(html_text: str) -> list[str]:
    return [part for part in _PARAGRAPH.split(html_text) if _plain(part)]


def _roles(comment: _Comment) -> list[RawRole]:
    paragraphs = _paragraphs(comment.html)
    if not paragraphs:
        raise BadItem("not a job posting: the comment has no text", comment.id)
    header, body = _header(paragraphs)
    posting = _from_header(header) if "|" in header else _free_form(header, comment)
    if not posting.roles or _is_generic(posting.roles):
        listed = _body_titles(body) or _body_hiring(body)
        if listed:
            posting.roles = listed
    if not posting.roles:
        raise BadItem(
            "not a job posting: no role title found in its first line "
            f"({_snippet(_plain(header))})",
            comment.id,
        )
    links = _links(comment.html)
    for segment in posting.segments:
        links.extend(_bare_domains(segment))
    text = _plain(" \n ".join(paragraphs))
    email = _email(comment.html, text)
    apply_url, company_url = _apply_url(links, posting, body)
    if apply_url is None and email is None:
        apply_url = company_url
    salary_text = posting.salary or _body_salary(body)
    shared = posting.locations
    roles = posting.roles[:_MAX_ROLES]
    several = len(roles) > 1
    built = []
    for number, role in enumerate(roles, start=1):
        # Several roles each with its own place keep to it; one role adds the line's places.
        locations = (role.locations or shared) if several else unique([*role.locations, *shared])
        built.append(
            RawRole(
                external_id=f"{comment.id}-{number}" if several else comment.id,
                title=role.title,
                company=posting.company,
                url=COMMENT_URL.format(id=comment.id),
                apply_url=apply_url,
                apply_email=email,
                description_html=comment.html,
                locations=list(locations),
                workplace=_workplace([*locations, *posting.workplace_texts]),
                applicant_countries=_applicant_countries(locations),
                employment_type=posting.employment_type,
                salary=RawSalary(text=salary_text) if salary_text else None,
                posted_at=comment.posted_at,
            )
        )
    return built


def _header(paragraphs: list[str]) -> tuple[str, list[str]]:
    """The first line and the rest; short lines of fields right after it continue it."""
    header = paragraphs[0]
    rest = paragraphs[1:]
    if "|" not in header:
        return header, rest
    while rest and "|" in rest[0] and len(_plain(rest[0])) <= 200 and header.count("|") < 12:
        header = f"{header} | {rest.pop(0)}"
    return header, rest


def _snippet(text: str) -> str:
    """The start of a comment for a reason, without the characters a run's record refuses."""
    text = text_clean(text)
    return f"\u201c{text[:80]}\u2026\u201d" if len(text) > 80 else f"\u201c{text}\u201d"


@dataclass(slots=True)
class _Posting:
    """What the first line of a posting says."""

    company: str | None = None
    company_links: list[str] = field(default_factory=list)
    roles: list[_Role] = field(default_factory=list)
    locations: list[str] = field(default_factory=list)
    workplace_texts: list[str] = field(default_factory=list)
    salary: str | None = None
    employment_type: str | None = None
    segments: list[_Segment] = field(default_factory=list)


def _from_header(header: str) -> _Posting:
    segments = [_Segment(_plain(part), _links(part)) for part in header.split("|")]
    segments = [segment for segment in segments if segment.text or segment.links]
    posting = _Posting(segments=segments)
    for segment in segments:
        segment.kind = _kind(segment)
    company_segment = next(
        (s for s in segments if s.kind not in ("salary", "workplace", "email")), None
    )
    if company_segment is not None and company_segment.kind == "title":
        # "Senior Backend Engineer | Acme | Remote": the title came first, the company after.
        others = [s for s in segments if s.kind == "other"]
        if others and sum(s.kind == "title" for s in segments) == 1:
            company_segment = others[0]
    for segment in segments:
        if segment is company_segment:
            posting.company, homepage = _company(segment)
            posting.company_links = [*segment.links, *homepage]
            continue
        if segment.kind == "title":
            posting.roles.extend(_split_roles(segment.text, posting))
        elif segment.kind in ("location", "workplace"):
            posting.locations.append(segment.text)
            if segment.kind == "workplace":
                posting.workplace_texts.append(segment.text)
        elif segment.kind == "salary":
            _salary_field(segment.text, posting)
        elif segment.kind == "employment" and posting.employment_type is None:
            posting.employment_type = segment.text
    stated = {s.kind for s in segments} & {"location", "workplace", "salary", "url", "employment"}
    if not posting.roles and stated:
        # A title without a role word ("Founding Member"): the first field nothing else took,
        # on a line whose other fields say it is a posting.
        other = next(
            (
                s
                for s in segments
                if s.kind == "other"
                and s is not company_segment
                and len(s.text.split()) <= 6
                and _title_case(s.text)
            ),
            None,
        )
        if other is not None:
            posting.roles = [_Role(_cut(other.text))]
    return posting


def _salary_field(text: str, posting: _Posting) -> None:
    """A salary field, or a title with its salary beside it ("ML Engineer ($180k-$220k)")."""
    inner = re.search(r"\(([^()]*)\)", text)
    if _ROLE.search(text) and inner and _SALARY.search(inner.group(1)):
        title = (text[: inner.start()] + text[inner.end() :]).strip(" -,")
        if _ROLE.search(title):
            posting.roles.extend(_split_roles(title, posting))
            text = inner.group(1)
    if posting.salary is None:
        posting.salary = text.strip()


def _kind(segment: _Segment) -> str:
    text = segment.text
    if not text or _is_url_field(segment):
        return "url"
    if _EMAIL.search(_deobfuscate(text)) and len(text.split()) <= 6 and not _ROLE.search(text):
        return "email"
    if _SALARY.search(text) or (_SALARY_WORDS.search(text) and re.search(r"\d", text)):
        return "salary"
    if _EMPLOYMENT.match(text.strip(" .")):
        return "employment"
    # "Remote roles" is a workplace; "Remote Backend Engineer" and "Full-stack" are titles.
    if _ROLE_NOUN.search(text) or (_ROLE.search(text) and not _WORKPLACE.search(text)):
        return "title"
    if _WORKPLACE.search(text):
        return "workplace"
    if _VISA.search(text):
        return "visa"
    if _EQUITY.match(text):
        return "equity"
    if _names_place(text):
        return "location"
    return "other"


def _is_url_field(segment: _Segment) -> bool:
    """A field that is only a link or a domain, perhaps after "Apply:" ("acme.com/jobs")."""
    tokens = segment.text.split()
    urls = [
        token
        for token in tokens
        if _URL_TOKEN.match(token.strip("()<>,")) or (segment.links and token.endswith("..."))
    ]
    return bool(urls) and all(t in urls or t.lower() in _URL_FILLER for t in tokens)


def _names_place(text: str) -> bool:
    """Whether the text names a known city, state, country or region."""
    text = _NOT_PLACES.sub(" ", text)
    if len(text) > 100 or not text.strip(" ,/()-"):
        return False
    codes, labels = resolve_countries([text])
    return bool(codes or labels)


def _company(segment: _Segment) -> tuple[str | None, list[str]]:
    """The company's name from its field, and a homepage written beside it ("Acme (acme.com)")."""
    text = _YC_BATCH.sub("", segment.text)
    homepage: list[str] = []
    if segment.kind == "url":
        # "acme.ai | ML Engineer | …": the domain is the name the poster gave.
        url = segment.links[0] if segment.links else clean_url(_as_url(text.split()[-1]))
        host = urlsplit(url).hostname if url else None
        return (host.removeprefix("www.") if host else None), [url] if url else []
    match = re.search(r"\(([^()]{3,100})\)\s*$", text)
    if match and _URL_TOKEN.match(match.group(1).strip()):
        homepage.extend(filter(None, [clean_url(_as_url(match.group(1).strip()))]))
        text = text[: match.start()]
    text = re.sub(r"\s+(?:is|are)\s+(?:now\s+)?hiring\b.*$", "", text, flags=re.I)
    # "Acme - AI for insurers": the name, not its tagline.
    text = re.split(r"\s[-\u2013\u2014]\s|:\s", text, maxsplit=1)[0]
    name = text.strip(" -\u2013\u2014:,")
    if not name and segment.links:
        return None, homepage
    return (_cut(name) if name else None), homepage


def _split_roles(text: str, posting: _Posting) -> list[_Role]:
    """The roles a title field names; places written among them go to the posting."""
    text = _ROLES_PREFIX.sub("", text).strip()
    parts = [part for part in _split_outside_parentheses(text) if part]
    titled = [part for part in parts if _ROLE_NOUN.search(part)]
    if len(parts) > 1 and titled and len(titled) < len(parts):
        places = [p for p in parts if not _ROLE_NOUN.search(p) and _is_place_or_workplace(p)]
        if len(places) + len(titled) == len(parts):
            for place in places:
                posting.locations.append(place)
                if _WORKPLACE.search(place):
                    posting.workplace_texts.append(place)
            parts = titled
        else:
            parts = [", ".join(p for p in parts if p not in places)] if places else [text]
    return [_role(part) for part in parts]


def _is_place_or_workplace(text: str) -> bool:
    return bool(_WORKPLACE.search(text)) or _names_place(text)


def _role(text: str) -> _Role:
    """A title, with a parenthesised place ("ML Engineer (Remote, US)") taken as its own."""
    match = re.search(r"\(([^()]{2,100})\)\s*$", text)
    if match:
        inner = match.group(1)
        if _WORKPLACE.search(inner) or _names_place(inner):
            return _Role(_cut(text[: match.start()].strip(" -,")), [inner.strip()])
    return _Role(_cut(text))


def _split_outside_parentheses(text: str) -> list[str]:
    """Split at role separators that are not inside parentheses."""
    parts: list[str] = []
    depth = 0
    start = 0
    index = 0
    while index < len(text):
        char = text[index]
        if char in "([":
            depth += 1
        elif char in ")]":
            depth = max(depth - 1, 0)
        elif depth == 0:
            match = _ROLE_SEPARATOR.match(text, index)
            if match and match.end() > index:
                parts.append(text[start:index].strip())
                start = index = match.end()
                continue
        index += 1
    parts.append(text[start:].strip())
    # A separator between words that are not each a role ("Senior, Staff Engineer",
    # "Software Engineer, Backend") is not a list of roles.
    if len(parts) > 1 and not all(_ROLE_NOUN.search(part) for part in parts if part):
        non_roles = [p for p in parts if p and not _ROLE_NOUN.search(p)]
        if any(not (_names_place(p) or _WORKPLACE.search(p)) for p in non_roles):
            return [text.strip()]
    return parts


def _cut(text: str) -> str:
    text = _PLURAL_ROLE.sub(r"\1", text.strip())
    return text if len(text) <= _MAX_TITLE else text[: _MAX_TITLE - 1].rstrip() + "\u2026"


def _is_generic(roles: list[_Role]) -> bool:
    return all(_GENERIC_TITLE.match(role.title) for role in roles)


def _body_titles(body: list[str]) -> list[_Role]:
    """Roles listed in the text under a generic first line: "Roles: …" or short bullet lines."""
    found: list[_Role] = []
    for paragraph in body:
        for line in re.split(r"\n", paragraph):
            text = _plain(line)
            if not text:
                continue
            if _ROLES_PREFIX.match(text):
                posting = _Posting()
                found.extend(_split_roles(text, posting))
                continue
            text = _BULLET.sub("", text)
            text = re.sub(r"\s*[-\u2013:]?\s*(?:https?://\S+|\(link\))\s*$", "", text)
            words = text.split()
            if (
                _ROLE_NOUN.search(text)
                and 1 <= len(words) <= 8
                and not text.endswith((".", "?", "!", ":"))
                and not _GENERIC_TITLE.match(text)
                and _title_case(re.split(r"\s[-\u2013(]|,", text, maxsplit=1)[0])
            ):
                found.append(_role(text))
    return found[:_MAX_ROLES]


def _title_case(text: str) -> bool:
    """Whether every word but the small ones starts with a capital ("Staff ML Engineer"), as
    a title does and a sentence ("Mentor other engineers") does not."""
    words = [word for word in text.split() if word.lower() not in _SMALL_WORDS]
    return bool(words) and all(not word[0].isalpha() or word[0].isupper() for word in words)


def _body_hiring(body: list[str]) -> list[_Role]:
    """Roles named in a sentence of the text's start: "We are hiring a Senior Data Engineer"."""
    for paragraph in body[:3]:
        text = _plain(paragraph)
        for sentence in re.split(r"(?<=[.!?])\s", text):
            if _HIRING_WORDS.search(sentence):
                titles = unique(m.group(1).strip() for m in _FREE_TITLE.finditer(sentence))
                if titles:
                    return [_Role(_cut(title)) for title in titles[:_MAX_ROLES]]
    return []


def _free_form(header: str, comment: _Comment) -> _Posting:
    """A first line without fields: "Acme is hiring ML Engineers in Berlin (onsite)"."""
    text = _plain(header)
    if not _HIRING_WORDS.search(_plain(comment.html)):
        raise BadItem(
            "not a job posting: its first line has no 'Company | Role | Location' fields "
            f"and it names no role it is hiring for ({_snippet(text)})",
            comment.id,
        )
    posting = _Posting()
    match = _FREE_COMPANY.match(text)
    if match:
        posting.company = _cut(_YC_BATCH.sub("", match.group(1)).strip(" -:,"))
    titles = unique(m.group(1).strip() for m in _FREE_TITLE.finditer(text))
    posting.roles = [_Role(_cut(_ROLES_PREFIX.sub("", title))) for title in titles]
    for match in _FREE_PLACE.finditer(text):
        if _names_place(match.group(1)):
            posting.locations.append(match.group(1))
    for piece in re.split(r"[,;()\u2013\u2014]|\s-\s|\.\s", text):
        piece = re.sub(r"^\s*(?:in|based\s+in|from|and|or)\s+", "", piece.strip(), flags=re.I)
        if piece and len(piece) <= 40 and not _ROLE.search(piece):
            if _WORKPLACE.search(piece):
                posting.locations.append(piece)
                posting.workplace_texts.append(piece)
            elif _names_place(piece):
                posting.locations.append(piece)
    salary = _FREE_SALARY.search(text)
    if salary:
        posting.salary = salary.group(0)
    return posting


def _workplace(texts: list[str]) -> str | None:
    """The workplace the first line states: remote beats hybrid beats on-site, as elsewhere."""
    joined = " ; ".join(texts)
    if not joined or not _WORKPLACE.search(joined):
        return None
    if _NOT_REMOTE.search(joined):
        return "hybrid" if re.search(r"\bhybrid\b", joined, re.I) else "onsite"
    if _PART_REMOTE.search(joined):
        return "hybrid"
    return normalise_workplace(joined)


def _applicant_countries(locations: list[str]) -> list[str]:
    """Countries and regions a remote field limits applicants to ("Remote (US only)" → US)."""
    remote = [
        piece
        for piece in split_locations(locations)
        if len(piece) <= 200 and re.search(r"\bremote|\bdistributed\b|\bwfh\b", piece, re.I)
    ]
    if not remote:
        return []
    codes, labels = resolve_countries(remote)
    return [*codes, *labels]


def _as_url(text: str) -> str:
    return text if re.match(r"https?://", text, re.I) else f"https://{text}"


def _bare_domains(segment: _Segment) -> list[str]:
    """A first-line field written as a bare domain ("acme.com/jobs"), which HN does not link."""
    if segment.kind != "url" or segment.links:
        return []
    url = clean_url(_as_url(segment.text))
    return [url] if url else []


def _apply_url(
    links: list[str], posting: _Posting, body: list[str]
) -> tuple[str | None, str | None]:
    """(the link to apply at, the company's homepage): an apply, jobs or careers link wins."""
    web = unique(link for link in links if not link.lower().startswith("mailto:"))
    homepages = [link for link in posting.company_links if link in web or clean_url(link)]
    company = next(iter(homepages), None) or next(iter(web), None)
    for link in web:
        if _APPLY_URL.search(link):
            return link, company
    # A link right after "apply" or "send" in the text, though its address says nothing.
    for paragraph in body:
        for href, _ in _LINK.findall(paragraph):
            url = unescape_html(href)
            before = _plain(paragraph.split(href, 1)[0])[-60:]
            if url != company and _APPLY_CONTEXT.search(before) and clean_url(url):
                return url, company
    return None, company


def _deobfuscate(text: str) -> str:
    """Undo the ways HN posters hide addresses: "jobs [at] acme [dot] com", "jobs AT acme DOT
    com", "jobs at acme dot com", "jobs at acme.com"."""
    if not re.search(r"\bat\b|@", text, re.I):
        return text
    text = _WORDS_AT_DOT.sub(lambda match: _words_at_dot(match, text), text)
    text = _BRACKET_DOT.sub(".", _BRACKET_AT.sub("@", text))
    text = _CAPITAL_DOT.sub(".", _CAPITAL_AT.sub("@", text))
    return _PLAIN_AT.sub(r"\1@\2", text)


def _words_at_dot(match: re.Match[str], text: str) -> str:
    """ "jobs at acme dot com" as an address, where a mailbox name or an e-mail word says it
    is one ("we are at acme dot com events" is not)."""
    local, domain = match.groups()
    before = text[max(match.start() - 40, 0) : match.start()]
    if not (_MAILBOX.fullmatch(local.split("+", 1)[0]) or _MAIL_WORDS.search(before)):
        return match.group(0)
    return f"{local}@{re.sub(' dot ', '.', domain, flags=re.I)}"


def _email(html_text: str, text: str) -> str | None:
    """The first address to apply to: a mailto: link, else one in the text, decoded."""
    for link in _links(html_text):
        if link.lower().startswith("mailto:"):
            address = link[7:].split("?", 1)[0].strip()
            if _EMAIL.fullmatch(address):
                return address
    match = _EMAIL.search(_deobfuscate(text))
    return match.group(0).rstrip(".") if match else None


def _body_salary(body: list[str]) -> str | None:
    """A salary stated in the text ("Compensation: $180k-$220k + equity") when the first
    line gives none."""
    for paragraph in body:
        text = _plain(paragraph)
        for match in _SALARY_WORDS.finditer(text):
            window = text[match.end() : match.end() + 80]
            amount = re.search(
                r"(?:[$€£]|\b(?:USD|EUR|GBP|CAD)\s?)\s?\d[\d,.]*\s?[kK]?"
                r"(?:\s*(?:-|\u2013|\u2014|to)\s*(?:[$€£]|\b(?:USD|EUR|GBP|CAD)\s?)?\s?\d[\d,.]*\s?[kK]?)?"
                r"(?:\s*(?:/|per\s+)(?:hr|hour|year|yr|month|mo)\b)?(?:\s?(?:USD|EUR|GBP|CAD)\b)?",
                window,
            )
            if amount:
                return amount.group(0).strip()
    return None

"""Where Greenhouse, Lever and Ashby put a company's job pages: the one place that knows
their hosts and paths, for the parsers (the board token in a job URL, a job's public URL)
and the tracker (which job an address a user pasted is).

    https://boards.greenhouse.io/<board>/jobs/<digits>     (also job-boards., .eu.)
    https://boards.greenhouse.io/embed/job_app?for=<board>&token=<digits>
    https://jobs.lever.co/<site>/<uuid>[/apply]            (also jobs.eu.lever.co)
    https://jobs.ashbyhq.com/<organisation>/<uuid>[/application]
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

GREENHOUSE = "greenhouse"
LEVER = "lever"
ASHBY = "ashby"

HOSTS = {
    **dict.fromkeys(
        (
            "boards.greenhouse.io",
            "job-boards.greenhouse.io",
            "boards.eu.greenhouse.io",
            "job-boards.eu.greenhouse.io",
        ),
        GREENHOUSE,
    ),
    "jobs.lever.co": LEVER,
    "jobs.eu.lever.co": LEVER,
    "jobs.ashbyhq.com": ASHBY,
}
EU_HOSTS = frozenset({"boards.eu.greenhouse.io", "job-boards.eu.greenhouse.io", "jobs.eu.lever.co"})

_SLUG = r"[A-Za-z0-9_-][A-Za-z0-9_.-]{0,99}"
# Ashby organisations may be named with spaces, percent-encoded in the address.
_ASHBY_SLUG = r"[A-Za-z0-9_%-][A-Za-z0-9_.%-]{0,99}"
_UUID = r"[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}"
_BOARD = {
    GREENHOUSE: re.compile(rf"^/({_SLUG})(?:/|$)"),
    LEVER: re.compile(rf"^/({_SLUG})(?:/|$)"),
    ASHBY: re.compile(rf"^/({_ASHBY_SLUG})(?:/|$)"),
}
_JOB = {
    GREENHOUSE: re.compile(rf"^/({_SLUG})/jobs/(\d+)/?$"),
    LEVER: re.compile(rf"^/({_SLUG})/({_UUID})(?:/apply)?/?$"),
    ASHBY: re.compile(rf"^/({_ASHBY_SLUG})/({_UUID})(?:/application)?/?$"),
}
_GREENHOUSE_EMBED = "/embed/job_app"
_JOB_URL = {
    GREENHOUSE: "https://boards.greenhouse.io/{board}/jobs/{job_id}",
    LEVER: "https://jobs.lever.co/{board}/{job_id}",
    ASHBY: "https://jobs.ashbyhq.com/{board}/{job_id}",
}


@dataclass(frozen=True, slots=True)
class JobPage:
    """One job's page on an ATS: which system, its host, the company's board token, the job."""

    kind: str  # GREENHOUSE, LEVER or ASHBY
    host: str
    board: str
    job_id: str


def _host_and_kind(url: str | None) -> tuple[str, str, str, str] | None:
    """(kind, host, path, query) of an http(s) address on one of the ATS hosts, else None."""
    try:
        parts = urlsplit(url or "")
        host = (parts.hostname or "").rstrip(".").lower()
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or host not in HOSTS:
        return None
    return HOSTS[host], host, parts.path, parts.query


def board_token(url: str | None) -> str | None:
    """The company's board token in a Greenhouse, Lever or Ashby job URL, or None."""
    found = _host_and_kind(url)
    if found is None:
        return None
    kind, _, path, _ = found
    match = _BOARD[kind].match(path)
    if match is None or match.group(1).lower() == "embed":
        return None
    return match.group(1)


def job_page(url: str | None) -> JobPage | None:
    """The job an ATS address shows, or None for any other page or address."""
    found = _host_and_kind(url)
    if found is None:
        return None
    kind, host, path, query = found
    if match := _JOB[kind].match(path):
        return JobPage(kind, host, match.group(1), match.group(2))
    if kind == GREENHOUSE and path.rstrip("/") == _GREENHOUSE_EMBED:
        values = parse_qs(query)
        board = (values.get("for") or [""])[0]
        job_id = (values.get("token") or [""])[0]
        if re.fullmatch(_SLUG, board) and job_id.isdigit():
            return JobPage(kind, host, board, job_id)
    return None


def job_url(kind: str, board: str, job_id: str) -> str:
    """A job's public page, for a payload that gives none."""
    return _JOB_URL[kind].format(board=board, job_id=job_id)

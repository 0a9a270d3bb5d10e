"""Text hygiene: the characters no text we store, render or syndicate may carry, in one place.

A title saved with a form feed breaks every XML feed that lists it (XML 1.0 refuses control
characters), PostgreSQL refuses NUL in text outright, bidirectional overrides make
"moc.elpmaxe" read as "example.com", and a lone surrogate cannot be encoded at all. None has any
meaning in a job posting or a search box. Parsers, normalising, services, the query-string
middleware and the feeds all clean through this module, so the rules cannot drift apart.
"""

from __future__ import annotations

import re

from opportunities.ingest.normalise.sanitise import sanitise_html

# C0 and C1 control characters and DEL (tab and newline aside), and the non-characters
# U+FFFE and U+FFFF.
CONTROL = "\x00-\x08\x0b-\x1f\x7f-\x9f\ufffe\uffff"
# Bidirectional embeddings, overrides and isolates.
BIDI_CONTROLS = "\u202a-\u202e\u2066-\u2069"
SURROGATES = "\ud800-\udfff"

CONTROL_RE = re.compile(f"[{CONTROL}]")
SURROGATES_RE = re.compile(f"[{SURROGATES}]")
UNWANTED_RE = re.compile(f"[{CONTROL}{BIDI_CONTROLS}{SURROGATES}]")


def text_clean(value: str | None) -> str:
    """The text without control (tab and newline aside), bidi-control or surrogate characters.

    Carriage returns become newlines, so Windows and old Mac line ends survive as line ends.
    """
    if not value:
        return ""
    if "\r" in value:
        value = value.replace("\r\n", "\n").replace("\r", "\n")
    return UNWANTED_RE.sub("", value) if UNWANTED_RE.search(value) else value


def has_unwanted(value: str) -> bool:
    """True when text_clean would remove a character from the text."""
    return "\r" in value or UNWANTED_RE.search(value) is not None


def html_clean(value: str | None) -> str:
    """Display-safe HTML: clean text, then the ingest's sanitiser (tags and URLs allowed)."""
    return text_clean(sanitise_html(text_clean(value)))

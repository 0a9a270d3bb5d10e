"""Text hygiene for every write path: control characters out, stored HTML sanitised.

A title saved with a form feed breaks every XML feed that lists it, and PostgreSQL refuses NUL
in text outright; neither has any meaning in a job posting. Services call these on every
string they store, so the stored text is clean whichever path wrote it.
"""

from __future__ import annotations

import re

from opportunities.ingest.normalise.sanitise import sanitise_html

# C0 and C1 control characters and DEL, except tab and newline (carriage returns are turned
# into newlines first, so Windows and old Mac line ends survive as line ends).
_CONTROL_RE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def text_clean(value: str) -> str:
    """The text without control characters other than tab and newline, NUL included."""
    if not value:
        return value
    if "\r" in value:
        value = value.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL_RE.sub("", value)


def html_clean(value: str) -> str:
    """Display-safe HTML: clean text, then the ingest's sanitiser (tags and URLs allowed)."""
    return sanitise_html(text_clean(value))

"""Text hygiene: the characters no text we store, render or syndicate may carry."""

from __future__ import annotations

import re

# C0 controls except tab and newline, DEL, C1 controls, and the two non-characters U+FFFE and
# U+FFFF: none is allowed in XML 1.0 (feeds and sitemaps refuse them), NUL is refused by
# PostgreSQL, and none is ever typed on purpose into a search box or a job title.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffe\uffff]")


def strip_control_characters(text: str) -> str:
    """The text without control characters (tab and newline are kept)."""
    return _CONTROL.sub("", text)


def has_control_characters(text: str) -> bool:
    """True when strip_control_characters would change the text."""
    return _CONTROL.search(text) is not None

"""Sanitise feed HTML for display and reduce it to plain text for search and matching."""

from __future__ import annotations

import html
import re

import nh3

_TAGS = {
    "p",
    "br",
    "hr",
    "div",
    "ul",
    "ol",
    "li",
    "dl",
    "dt",
    "dd",
    "strong",
    "em",
    "b",
    "i",
    "u",
    "s",
    "sub",
    "sup",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "a",
    "blockquote",
    "code",
    "pre",
    "table",
    "caption",
    "thead",
    "tbody",
    "tfoot",
    "tr",
    "th",
    "td",
}
# Tags dropped together with everything inside them; images and unknown tags are dropped
# but keep their text, which for <img> means nothing (a feed's logo is noise, not content).
_DROP_WITH_CONTENT = {
    "script",
    "style",
    "noscript",
    "template",
    "iframe",
    "object",
    "svg",
    "math",
    "title",
    "textarea",
    "select",
    "head",
}
_CLEANER = nh3.Cleaner(
    tags=_TAGS,
    clean_content_tags=_DROP_WITH_CONTENT,
    attributes={
        "a": {"href", "title"},
        "td": {"colspan", "rowspan"},
        "th": {"colspan", "rowspan", "scope"},
        "ol": {"start"},
    },
    link_rel="nofollow noopener",
    url_schemes={"http", "https", "mailto"},
    # A relative link in a feed would point at our own site, so it is removed.
    url_relative="deny",
    strip_comments=True,
)
_H1_RE = re.compile(r"<(/?)h1\b", re.I)
_EMPTY_P_RE = re.compile(r"<p>(?:\s|&nbsp;|<br>)*</p>")

# For text extraction: content that is never text, block boundaries, list items, other tags.
_INVISIBLE_RE = re.compile(
    r"<!--.*?(?:-->|$)|<(script|style|noscript|template|iframe|svg|math|title|head)\b.*?(?:</\1\s*>|$)",
    re.I | re.S,
)
# "[^<>]*", not "[^>]*": a tag never holds "<", and an unclosed "<li" repeated would otherwise
# be scanned to the end of the text once per repeat.
_LI_RE = re.compile(r"<li\b[^<>]*>", re.I)
_BLOCK_RE = re.compile(
    r"</?(?:p|div|br|hr|h[1-6]|ul|ol|li|dl|dt|dd|blockquote|pre|table|caption|thead|tbody|tfoot"
    r"|tr|td|th|section|article|header|footer|aside|nav|main|figure|figcaption|address)\b[^<>]*>",
    re.I,
)
_TAG_RE = re.compile(r"</?[a-zA-Z][^<>]*>|<![^<>]*>")
# Zero-width characters and soft hyphens split words invisibly ("Py\u00adTorch").
_INVISIBLE_CHARS_RE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
# Typographic punctuation folded to ASCII in plain text: search then matches "you'll" typed
# either way, and English text stays one byte per character, which makes every later pass
# (lower-casing, regexes, automatons) markedly cheaper.
_ASCII_FOLD = (
    ("\u2019", "'"),
    ("\u2018", "'"),
    ("\u201c", '"'),
    ("\u201d", '"'),
    ("\u2013", "-"),
    ("\u2014", "-"),
    ("\u2026", "..."),
    ("\u2022", "-"),
)
# Emoji and pictographs carry no searchable meaning and force four bytes per character.
_PICTOGRAPH_RE = re.compile(
    "[\U0001f000-\U0001faff\u2190-\u21ff\u2300-\u23ff\u2600-\u27bf\u2b00-\u2bff\ufe0f]"
)
BULLET = "- "


def sanitise_html(raw_html: str) -> str:
    """Return display-safe HTML: structure kept, scripts, handlers, images and bad URLs gone."""
    if not raw_html or not raw_html.strip():
        return ""
    cleaned = _CLEANER.clean(_H1_RE.sub(r"<\1h2", raw_html))
    return _EMPTY_P_RE.sub("", cleaned).strip()


def html_to_lines(raw_html: str, *, sanitised: bool = False) -> list[str]:
    """Split HTML into one plain-text line per block; list items start with "- ".

    Pass sanitised=True for sanitise_html output, which has no scripts or comments left.
    """
    if not raw_html:
        return []
    text = raw_html
    if "<" in text and not sanitised:
        text = _INVISIBLE_RE.sub(" ", text)
    if "<" in text:
        # In HTML a newline is just a space; only tags make blocks.
        text = text.replace("\r", " ").replace("\n", " ")
        text = _LI_RE.sub("\n" + BULLET, text)
        text = _BLOCK_RE.sub("\n", text)
        text = _TAG_RE.sub("", text)
    if "&" in text:
        text = html.unescape(text)
    if not text.isascii():
        text = _INVISIBLE_CHARS_RE.sub("", text)
        for fancy, plain in _ASCII_FOLD:
            if fancy in text:
                text = text.replace(fancy, plain)
        text = _PICTOGRAPH_RE.sub("", text)
    lines = []
    # "<li><p>text</p></li>" leaves the bullet on a line of its own: it belongs to the text
    # that follows, or "Nice to have" bullets lose their list.
    bullet_pending = False
    for line in text.split("\n"):
        # split() without arguments is the fastest whitespace collapse CPython has.
        collapsed = " ".join(line.split())
        if collapsed == "-":
            bullet_pending = True
        elif collapsed:
            if bullet_pending and not collapsed.startswith(BULLET):
                collapsed = BULLET + collapsed
            bullet_pending = False
            lines.append(collapsed)
    return lines


def lines_to_text(lines: list[str]) -> str:
    """Join block lines into one whitespace-collapsed string, without bullet markers."""
    return " ".join(line[2:] if line.startswith(BULLET) else line for line in lines)


def html_to_text(raw_html: str) -> str:
    """Plain text of an HTML fragment, whitespace collapsed, for search and snippets."""
    return lines_to_text(html_to_lines(raw_html))

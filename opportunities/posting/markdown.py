"""A recruiter's Markdown as the sanitised HTML the role page shows."""

from __future__ import annotations

from markdown_it import MarkdownIt

from opportunities.text import html_clean, text_clean

# CommonMark without raw HTML: whatever a recruiter types is text or Markdown, never markup;
# the ingest's sanitiser then applies the same rules as to every ingested description.
_MARKDOWN = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")


def markdown_to_html(source: str) -> str:
    """Rendered, sanitised HTML for the Markdown `source`."""
    source = text_clean(source)
    if not source.strip():
        return ""
    return html_clean(_MARKDOWN.render(source))

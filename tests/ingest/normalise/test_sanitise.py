"""Tests for opportunities.ingest.sanitise: display-safe HTML and plain text."""

from __future__ import annotations

from html.parser import HTMLParser

from hypothesis import given
from hypothesis import strategies as st

from opportunities.ingest.normalise.sanitise import html_to_lines, html_to_text, sanitise_html


class _Collector(HTMLParser):
    """Record every tag and attribute name the browser would see."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes.extend(attrs)


def _parsed(html: str) -> _Collector:
    collector = _Collector()
    collector.feed(html)
    collector.close()
    return collector


def test_scripts_styles_and_their_content_are_removed():
    html = (
        "<p>Hello</p><script>alert('x')</script><style>p{color:red}</style>"
        "<noscript>tracking</noscript><iframe src='https://evil.example'>frame text</iframe>"
    )

    cleaned = sanitise_html(html)

    assert cleaned == "<p>Hello</p>"


def test_event_handlers_and_javascript_urls_are_removed():
    html = (
        '<p onclick="steal()">Apply <a href="javascript:alert(1)" onmouseover="x()">here</a>'
        ' or <a href="https://example.com/jobs/1" target="_blank">there</a></p>'
    )

    cleaned = sanitise_html(html)

    parsed = _parsed(cleaned)
    names = {name for name, _value in parsed.attributes}
    assert not any(name.startswith("on") for name in names)
    assert "javascript" not in cleaned
    assert "target" not in names
    assert '<a href="https://example.com/jobs/1" rel="nofollow noopener">there</a>' in cleaned


def test_structure_is_kept():
    html = (
        "<h1>Role</h1><h3>What you'll do</h3><p>Build <strong>agents</strong> and <em>evals</em>"
        "<br>daily.</p><ul><li>Python</li><li>PyTorch</li></ul><ol><li>one</li></ol>"
        "<blockquote>quote</blockquote><pre><code>x = 1</code></pre>"
        "<table><tr><th>a</th><td>b</td></tr></table>"
    )

    parsed = _parsed(sanitise_html(html))

    assert parsed.tags == [
        "h2",  # a description's h1 would compete with the page's own heading
        "h3",
        "p",
        "strong",
        "em",
        "br",
        "ul",
        "li",
        "li",
        "ol",
        "li",
        "blockquote",
        "pre",
        "code",
        "table",
        "tbody",
        "tr",
        "th",
        "td",
    ]


def test_images_relative_links_and_odd_schemes_are_dropped():
    html = (
        '<img src="https://cdn.example/logo.png"><p>About us <a href="/about">page</a>'
        ' <a href="mailto:jobs@example.com">mail</a> <a href="ftp://x.example/f">ftp</a></p>'
    )

    cleaned = sanitise_html(html)

    assert "<img" not in cleaned
    assert 'href="/about"' not in cleaned
    assert 'href="mailto:jobs@example.com"' in cleaned
    assert "ftp:" not in cleaned
    assert cleaned.startswith("<p>About us")


def test_empty_input_and_empty_paragraphs_give_nothing():
    assert sanitise_html("") == ""
    assert sanitise_html("   ") == ""
    assert sanitise_html("<p>&nbsp;</p><p> </p>") == ""


def test_html_to_text_collapses_whitespace_and_unescapes():
    html = "<p>Build   <b>LLM</b>\n apps&nbsp;&amp; tools</p><ul><li>Python</li><li>Go</li></ul>"

    assert html_to_text(html) == "Build LLM apps & tools Python Go"


def test_html_to_text_drops_script_content_even_unsanitised():
    assert html_to_text("<p>a</p><script>var b = 1;</script><!-- c --><p>d</p>") == "a d"


def test_html_to_lines_marks_bullets_and_folds_typography():
    html = (
        "<p>You\u2019ll work on \u201cagents\u201d \u2014 fast\u2026</p>"
        "<ul><li>PyTorch 🚀</li><li></li></ul>"
    )

    assert html_to_lines(html) == ['You\'ll work on "agents" - fast...', "- PyTorch"]


def test_plain_text_keeps_its_lines():
    assert html_to_lines("First line\n\n  second   line \n- a bullet") == [
        "First line",
        "second line",
        "- a bullet",
    ]


_HOSTILE_FRAGMENTS = [
    "<script>",
    "</script>",
    "<SCRIPT SRC=//x>",
    "<scr",
    "ipt>",
    "<img src=x onerror=alert(1)>",
    "<a href='javascript:alert(1)'>",
    '<a href="java\tscript:x">',
    "<svg onload=alert(1)>",
    "<p onclick=x>",
    "<div style='x' onmouseover='y'>",
    "<iframe srcdoc='<script>x</script>'>",
    "<!--",
    "-->",
    "<",
    ">",
    "'",
    '"',
    "=",
    " on",
    "onload=",
    "&lt;script&gt;",
]


@given(
    st.lists(st.sampled_from(_HOSTILE_FRAGMENTS) | st.text(max_size=8), max_size=30).map("".join)
)
def test_sanitised_output_never_has_scripts_or_handlers(html: str):
    cleaned = sanitise_html(html)

    assert "<script" not in cleaned.lower()
    parsed = _parsed(cleaned)
    assert "script" not in parsed.tags
    assert not any(name.startswith("on") for name, _value in parsed.attributes)
    assert not any(
        (value or "").strip().lower().startswith("javascript") for _name, value in parsed.attributes
    )

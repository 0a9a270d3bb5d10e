"""A recruiter's Markdown as stored HTML (opportunities/posting/markdown.py)."""

from __future__ import annotations

from opportunities.posting.markdown import markdown_to_html


def test_markdown_becomes_the_html_the_role_page_shows():
    html = markdown_to_html("## Stack\n\n- **PyTorch**\n- [our blog](https://acme.example/blog)")
    assert "<h2>Stack</h2>" in html
    assert "<li><strong>PyTorch</strong></li>" in html
    assert 'href="https://acme.example/blog"' in html


def test_raw_html_and_script_links_never_survive():
    html = markdown_to_html(
        "<script>alert(1)</script>\n\n"
        '<img src=x onerror="alert(2)">\n\n'
        "[click](javascript:alert(3))"
    )
    # What was typed as HTML is shown as text, never parsed as markup.
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script" not in html and "<img" not in html
    assert "href" not in html


def test_control_characters_are_dropped_and_empty_text_is_empty():
    assert markdown_to_html("Hello\x00\x1b world") == "<p>Hello world</p>"
    assert markdown_to_html("   \n ") == ""

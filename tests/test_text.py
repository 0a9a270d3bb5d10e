"""Text hygiene for write paths (opportunities/text.py)."""

from __future__ import annotations

import pytest

from opportunities.text import html_clean, text_clean


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("ML\x0cEngineer", "MLEngineer"),
        ("nul\x00byte", "nulbyte"),
        ("bell\x07 del\x7f c1\x85", "bell del c1"),
        ("tab\tand\nnewline", "tab\tand\nnewline"),
        ("windows\r\nand old mac\rends", "windows\nand old mac\nends"),
        ("Zürich — 東京", "Zürich — 東京"),
        ("", ""),
    ],
)
def test_text_clean_strips_control_characters_but_tab_and_newline(raw, clean):
    assert text_clean(raw) == clean


def test_html_clean_strips_controls_and_sanitises():
    dirty = '<p onclick="x()">Hi\x0c<script>alert(1)</script><a href="javascript:x">l</a></p>'

    assert html_clean(dirty) == '<p>Hi<a rel="nofollow noopener">l</a></p>'


def test_html_clean_is_stable_on_its_own_output():
    once = html_clean('<h1>T</h1><p>R&D <a href="https://x.example">x</a> &amp; more</p>')

    assert html_clean(once) == once

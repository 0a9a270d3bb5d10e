"""The Jinja2 environment of templates/jinja2/ (settings.TEMPLATES): the role cards."""

from __future__ import annotations

from functools import lru_cache
from html import escape

from jinja2 import Environment


@lru_cache(maxsize=8192, typed=True)
def escape_output(value) -> str:
    """What {{ value }} prints: the value escaped as Django escapes it (&quot;, &#x27;), or as
    it is when it is already HTML (a SafeString or Markup: anything with __html__).

    Typed, so that a safe string and a plain one with the same text are told apart. Names,
    labels and links repeat from card to card and page to page; each is escaped once.
    """
    if hasattr(value, "__html__"):
        return value.__html__()
    return escape(str(value))


class CardEnvironment(Environment):
    """Escapes every {{ }} output, and reads `a.b` as the attribute b of a and only that.

    Jinja2's own autoescape runs markupsafe's escape (two Python calls and a Markup object per
    value, and &#34; where Django writes &quot;); a page's ~300 printed values cost more through
    it than the whole card did as f-strings. So Jinja2's autoescape is off and `finalize`, which
    Jinja2 applies to every printed value, escapes instead: autoescaping all the same. Printing
    the output of a macro (a plain string here) would escape it: use includes.

    Jinja2's attribute lookup is a Python method that falls back to a["b"] and to Undefined;
    here it is the built-in getattr: a misspelt attribute raises AttributeError instead of
    printing "".
    """

    def __init__(self, **options):
        super().__init__(**{**options, "autoescape": False, "finalize": escape_output})
        self.getattr = getattr


def environment(**options) -> Environment:
    """Django's Jinja2 backend calls this with the TEMPLATES entry's options."""
    return CardEnvironment(**options)

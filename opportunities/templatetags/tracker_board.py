"""The tracker board's cards, rendered through the Jinja2 environment (templates/jinja2/)."""

from __future__ import annotations

from functools import lru_cache
from html import escape

from django import template
from django.template import engines
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from opportunities.models import Stage
from opportunities.search.cards import url_template

register = template.Library()

CARDS_TEMPLATE = "tracker/_board_cards.html"  # in templates/jinja2/


@lru_cache(maxsize=1)
def _options() -> dict[str, SafeString]:
    """For each stage, the Move select's options with that stage selected."""
    return {
        current: mark_safe(
            "".join(
                f'<option value="{value}"{" selected" if value == current else ""}>'
                f"{escape(str(label))}</option>"
                for value, label in Stage.choices
            )
        )
        for current in Stage.values
    }


@register.simple_tag(takes_context=True)
def board_cards(context, cards) -> SafeString:
    """One column's cards, each with its Move form."""
    if not cards:
        return mark_safe("")
    return mark_safe(
        engines["jinja2"]
        .get_template(CARDS_TEMPLATE)
        .render(
            {
                "cards": cards,
                "move_url": url_template("tracker_move", pk="9090909"),
                "detail_url": url_template("tracker_detail", pk="9090909"),
                "csrf": str(context.get("csrf_token", "")),
                "options": _options(),
                "today": context.get("today") or timezone.localdate(),
            }
        )
    )

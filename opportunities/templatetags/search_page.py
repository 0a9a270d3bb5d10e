"""Repeated markup: role cards and the search sidebar's facet checkboxes.

A page has 20 cards of ~15 fields and 8 skills each, and ~50 facet checkboxes; rendered node by
node through Django's engine they cost more than the page's SQL. The cards are a Jinja2
template (templates/jinja2/search/_role_cards.html, the only place a card's markup is written:
the search, home and company pages all use it); the checkboxes are written as strings.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from html import escape

from django import template
from django.template import engines
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.timesince import TIME_STRINGS, timesince
from django.utils.translation import get_language

from opportunities.models import Role
from opportunities.search.cards import RoleCard, salary_text, url_template

register = template.Library()

CARDS_TEMPLATE = "search/_role_cards.html"  # in templates/jinja2/


@lru_cache(maxsize=1024)
def _unit_text(language: str | None, name: str, number: int) -> str:
    return TIME_STRINGS[name] % {"num": number}


class _Unit:
    """A timesince unit ("3 days") translated once per language and number: the lazy
    translations Django's timesince formats cost ~40 µs a card."""

    __slots__ = ("language", "name")

    def __init__(self, language: str | None, name: str):
        self.language, self.name = language, name

    def __mod__(self, params: dict) -> str:
        return _unit_text(self.language, self.name, params["num"])


@lru_cache(maxsize=64)
def _units(language: str | None) -> dict[str, _Unit]:
    """timesince's time_strings for one language."""
    return {name: _Unit(language, name) for name in TIME_STRINGS}


def _posted(
    card: RoleCard, now: datetime, zone, units: dict[str, _Unit]
) -> tuple[RoleCard, str | None, str]:
    """The card, with when it was posted as {{ posted_at|date:'c' }} and |timesince print it."""
    moment = card.posted_at
    if moment is None:
        return card, None, ""
    aware = timezone.is_aware(moment)
    local = moment.astimezone(zone) if aware else moment
    since = timesince(moment, now if aware else now.replace(tzinfo=None), time_strings=units)
    return card, local.isoformat(), since


@dataclass(frozen=True, slots=True)
class TrackButtons:
    """What the cards' Track buttons need, worked out once per page: the POST address as a
    str.format template on `role_pk`, the CSRF token (for htmx; without JavaScript the buttons
    submit base.html's #track-form) and the ids of the roles the user tracks already."""

    url: str
    csrf: str
    tracked: frozenset[int] | set[int]
    tracker_url: str


def track_buttons(context) -> TrackButtons | None:
    """The Track buttons of a page's cards, for a signed-in user; None for a visitor."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    return TrackButtons(
        url=url_template("tracker_track", role_pk="9090909"),
        csrf=str(context.get("csrf_token", "")),
        tracked=context.get("tracked_role_ids") or frozenset(),
        tracker_url=reverse("tracker_board"),
    )


def role_cards_html(
    cards: list[RoleCard],
    highlighted: set[str] | frozenset[str] = frozenset(),
    track: TrackButtons | None = None,
) -> str:
    """The cards, one after the other; skills whose slugs are in `highlighted` are marked as
    searched for; with `track`, each card has its Track button (or says it is tracked)."""
    now, zone, units = timezone.now(), timezone.get_current_timezone(), _units(get_language())
    dated = [_posted(card, now, zone, units) for card in cards]
    template = engines["jinja2"].get_template(CARDS_TEMPLATE)
    return template.render({"cards": dated, "highlighted": highlighted, "track": track})


@register.simple_tag(takes_context=True)
def role_cards(context, cards: list[RoleCard], highlighted: set[str] | None = None) -> SafeString:
    """Every card of the page, one after the other; the page's `tracked_role_ids` (a set)
    says which the user tracks."""
    return mark_safe(role_cards_html(cards, highlighted or frozenset(), track_buttons(context)))


@register.filter
def salary(role: Role) -> str:
    """A role's salary in the words its card uses ("EUR 90,000+ per month")."""
    return salary_text(role.salary_min, role.salary_max, role.salary_currency, role.salary_period)


@register.simple_tag
def facet_checkboxes(options, name: str, about: bool = False) -> SafeString:
    """The checkbox rows of one facet: value, label, count, checked when selected."""
    prefix = "about " if about else ""
    rows = []
    for option in options:
        value = escape(str(option.value))
        checked = " checked" if option.selected else ""
        rows.append(
            f'\n  <div class="check"><input type="checkbox" name="{name}" value="{value}" '
            f'id="f-{name}-{value}"{checked}>\n'
            f'    <label for="f-{name}-{value}">{escape(str(option.label))} '
            f'<span class="facet-count">{prefix}{option.count_display}</span></label></div>\n  '
        )
    return mark_safe("".join(rows))

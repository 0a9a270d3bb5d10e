"""Repeated markup written as strings: role cards and the search sidebar's facet checkboxes.

A page has 20 cards of ~15 fields and 8 skills each, and ~50 facet checkboxes; rendering them
node by node through includes cost more than the page's SQL. These tags write them in one pass
over plain values. This is the only place a role card's markup is written: the search, home and
company pages all use it.
"""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from html import escape

from django import template
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.timesince import TIME_STRINGS, timesince
from django.utils.translation import get_language

from opportunities.search.cards import RoleCard

register = template.Library()

_VERIFIED = (
    ' <span class="verified" title="Verified company">✔'
    '<span class="visually-hidden"> verified</span></span>'
)
_WORLDWIDE = '<li class="badge badge-worldwide">Worldwide</li>'
_VISA = '<li class="badge">Visa sponsorship</li>'
_HIT = '<span class="visually-hidden"> (in your search)</span>'
SKILLS_SHOWN = 8
# Names of skills, industries and labels repeat from card to card and page to page.
_escape_name = lru_cache(maxsize=4096)(escape)


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


def _posted(card: RoleCard, now: datetime, zone, units: dict[str, _Unit]) -> str:
    moment = card.posted_at
    if moment is None:
        return ""
    # As {{ posted_at|date:'c' }} and {{ posted_at|timesince }} print it.
    aware = timezone.is_aware(moment)
    local = moment.astimezone(zone) if aware else moment
    since = timesince(moment, now if aware else now.replace(tzinfo=None), time_strings=units)
    return f'<span>Posted <time datetime="{local.isoformat()}">{escape(since)} ago</time></span>'


def _skills(card: RoleCard, highlighted: set[str] | frozenset[str]) -> str:
    if not card.skills:
        return ""
    items = []
    for skill in card.skills[:SKILLS_SHOWN]:
        hit = skill.slug in highlighted
        css = "skill" + (" skill-nice" if skill.nice else "") + (" skill-hit" if hit else "")
        items.append(f'<li class="{css}">{_escape_name(skill.name)}{_HIT if hit else ""}</li>')
    more = len(card.skills) - SKILLS_SHOWN
    more_item = f'<li class="skill skill-more">+{more} more</li>' if more > 0 else ""
    return (
        '\n  <ul class="skills" aria-label="Skills">\n    '
        + "".join(items)
        + "\n    "
        + more_item
        + "\n  </ul>\n  "
    )


def role_card_html(
    card: RoleCard,
    highlighted: set[str] | frozenset[str] = frozenset(),
    now: datetime | None = None,
    zone=None,
    units: dict[str, _Unit] | None = None,
) -> str:
    """One role card; skills whose slugs are in `highlighted` are marked as searched for."""
    now = now or timezone.now()
    zone = zone or timezone.get_current_timezone()
    units = units or _units(get_language())
    industry = (
        f'<li class="badge badge-industry">{_escape_name(card.industry_name)}</li>'
        if card.industry_name
        else ""
    )
    seniority = (
        f'<li class="badge">{_escape_name(card.seniority_label)}</li>'
        if card.seniority_label
        else ""
    )
    location = f"<span>{escape(card.location)}</span>" if card.location else ""
    salary = f"<span>{escape(card.salary)}\n</span>" if card.salary else ""
    return (
        '<article class="card role-card">\n'
        '  <header class="role-card-head">\n'
        f'    <h3 class="role-title"><a href="{escape(card.url)}">{escape(card.title)}</a></h3>\n'
        f'    <p class="role-company"><a href="{escape(card.company_url)}">'
        f"{escape(card.company_name)}</a>{_VERIFIED if card.company_verified else ''}</p>\n"
        "  </header>\n"
        '  <ul class="badges" aria-label="Role facts">\n'
        f"    {industry}\n"
        f'    <li class="badge badge-{_escape_name(card.workplace)}">'
        f"{_escape_name(card.workplace_label)}</li>\n"
        f"    {_WORLDWIDE if card.worldwide else ''}\n"
        f"    {seniority}\n"
        f"    {_VISA if card.visa_sponsorship else ''}\n"
        "  </ul>\n"
        '  <p class="role-meta">\n'
        f"    {location}\n"
        f"    {salary}\n"
        f"    {_posted(card, now, zone, units)}\n"
        "  </p>\n"
        f"  \n  {_skills(card, highlighted)}\n  \n"
        "</article>\n"
    )


@register.simple_tag
def role_cards(cards: list[RoleCard], highlighted: set[str] | None = None) -> SafeString:
    """Every card of the page, one after the other."""
    chosen = highlighted or frozenset()
    now, zone, units = timezone.now(), timezone.get_current_timezone(), _units(get_language())
    return mark_safe("".join(role_card_html(card, chosen, now, zone, units) for card in cards))


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

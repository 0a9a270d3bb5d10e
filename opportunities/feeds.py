"""RSS and Atom feeds for any search: the same query parameters as the search page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib.syndication.views import Feed
from django.http import HttpRequest
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed

from opportunities.jsonld import country_name
from opportunities.models import Role
from opportunities.search import SearchResult, search_roles
from opportunities.search.cards import RoleCard
from opportunities.text import text_clean

FEED_SIZE = 50
# A feed is always the newest matches from the top, whatever page or order the page showed.
_PAGE_PARAMS = ("page", "sort", "after", "before")


def _clean(value: Any) -> Any:
    """The value with control characters stripped from every string in it."""
    if isinstance(value, str):
        return text_clean(value)
    if isinstance(value, list | tuple):
        return type(value)(_clean(item) for item in value)
    if isinstance(value, dict):
        return {key: _clean(item) for key, item in value.items()}
    return value


class _CleanTextMixin:
    """Strips control characters from every text a feed writes, just before it is written.

    XML 1.0 has no way to carry them, so one in any title, name or description would make the
    whole feed fail; the writers strip them on the way in, and this is the last line.
    """

    feed: dict[str, Any]
    items: list[dict[str, Any]]

    def write(self, outfile, encoding):
        self.feed = _clean(self.feed)
        self.items = [_clean(item) for item in self.items]
        super().write(outfile, encoding)


class CleanRssFeed(_CleanTextMixin, Rss201rev2Feed):
    """RSS 2.0 that never writes a control character."""


class CleanAtomFeed(_CleanTextMixin, Atom1Feed):
    """Atom 1.0 that never writes a control character."""


@dataclass(slots=True)
class FeedItem:
    """A role as a feed writes it: its card (title, company, place, skills) and what only a
    feed needs. Plain values: a page of 50 model instances with their companies, industries
    and ~500 skills cost the feed more CPU than its SQL."""

    card: RoleCard
    description: str
    created_at: datetime
    updated_at: datetime


def feed_items(cards: list[RoleCard]) -> list[FeedItem]:
    """The cards with their roles' stored (sanitised) descriptions and dates, in one query."""
    extra = {
        pk: (description, created, updated)
        for pk, description, created, updated in Role.objects.filter(
            pk__in=[card.pk for card in cards]
        ).values_list("pk", "description", "created_at", "updated_at")
    }
    return [FeedItem(card, *extra[card.pk]) for card in cards if card.pk in extra]


class RoleSearchFeed(Feed):
    """The newest roles matching a search, as RSS 2.0."""

    feed_type = CleanRssFeed

    def get_object(self, request: HttpRequest) -> SearchResult:
        params = request.GET.copy()
        for name in _PAGE_PARAMS:
            params.pop(name, None)
        params["sort"] = "newest"
        # Invalid values are ignored by the search (they only carry a message for the page).
        return search_roles(
            params, user=request.user, page_size=FEED_SIZE, facets=False, cards=True
        )

    def title(self, result: SearchResult) -> str:
        return f"GenAI Jobs: {search_phrase(result)}"

    def description(self, result: SearchResult) -> str:
        return f"The newest {search_phrase(result)} for generative-AI developers."

    def link(self, result: SearchResult) -> str:
        params = result.filterset.data.copy()
        for name in _PAGE_PARAMS:
            params.pop(name, None)
        query = params.urlencode()
        return reverse("role_search") + (f"?{query}" if query else "")

    def items(self, result: SearchResult) -> list[FeedItem]:
        return feed_items(result.roles[:FEED_SIZE])

    def item_title(self, item: FeedItem) -> str:
        return f"{item.card.title} at {item.card.company_name}"

    def item_description(self, item: FeedItem) -> str:
        card = item.card
        facts = [card.workplace_label]
        if card.worldwide:
            facts.append("worldwide")
        if card.location:
            facts.append(card.location)
        # The stored description is HTML the services sanitised before storing it (nh3), so
        # the feed carries it as it is; the feed generator escapes it into the XML.
        return f"<p>{' · '.join(facts)}</p>{item.description}"

    def item_link(self, item: FeedItem) -> str:
        return item.card.url

    def item_pubdate(self, item: FeedItem) -> datetime:
        return item.card.posted_at or item.created_at

    def item_updateddate(self, item: FeedItem) -> datetime:
        return item.updated_at

    def item_author_name(self, item: FeedItem) -> str:
        return item.card.company_name

    def item_categories(self, item: FeedItem) -> list[str]:
        categories = [skill.name for skill in item.card.skills]
        if item.card.industry_name:
            categories.insert(0, item.card.industry_name)
        return categories


class RoleSearchAtomFeed(RoleSearchFeed):
    """The same search as Atom 1.0."""

    feed_type = CleanAtomFeed

    def subtitle(self, result: SearchResult) -> str:
        return self.description(result)


def search_phrase(result: SearchResult) -> str:
    """The valid part of a search in words: "remote pytorch roles in Germany", "newest roles"."""
    value = result.filterset.value
    words: list[str] = list(value("workplace", []))
    if value("worldwide"):
        words.append("worldwide")
    words += [industry.name.lower() for industry in value("industry", [])]
    words += [skill.name.lower() for skill in value("skill", [])]
    if result.query:
        words.append(f"“{result.query[:80]}”")
    phrase = f"{' '.join(words) or 'newest'} roles"
    if value("country"):
        phrase += f" in {country_name(value('country'))}"
    if value("company"):
        phrase += f" at {value('company').name}"
    return phrase

"""RSS and Atom feeds for any search: the same query parameters as the search page."""

from __future__ import annotations

from typing import Any

from django.contrib.syndication.views import Feed
from django.http import HttpRequest
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed

from opportunities.jsonld import country_name
from opportunities.models import Role
from opportunities.search import SearchResult, search_roles
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


class RoleSearchFeed(Feed):
    """The newest roles matching a search, as RSS 2.0."""

    feed_type = CleanRssFeed

    def get_object(self, request: HttpRequest) -> SearchResult:
        params = request.GET.copy()
        for name in _PAGE_PARAMS:
            params.pop(name, None)
        params["sort"] = "newest"
        # Invalid values are ignored by the search (they only carry a message for the page).
        return search_roles(params, user=request.user, page_size=FEED_SIZE, facets=False)

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

    def items(self, result: SearchResult) -> list[Role]:
        return result.roles[:FEED_SIZE]

    def item_title(self, role: Role) -> str:
        return f"{role.title} at {role.company.name}"

    def item_description(self, role: Role) -> str:
        facts = [role.get_workplace_display()]
        if role.worldwide:
            facts.append("worldwide")
        if role.location_display:
            facts.append(role.location_display)
        # The stored description is HTML the services sanitised before storing it (nh3), so
        # the feed carries it as it is; the feed generator escapes it into the XML.
        return f"<p>{' · '.join(facts)}</p>{role.description}"

    def item_link(self, role: Role) -> str:
        return role.get_absolute_url()

    def item_pubdate(self, role: Role):
        return role.posted_at or role.created_at

    def item_updateddate(self, role: Role):
        return role.updated_at

    def item_author_name(self, role: Role) -> str:
        return role.company.name

    def item_categories(self, role: Role) -> list[str]:
        categories = [rs.skill.name for rs in role.role_skills.all()]
        if role.industry_id:
            categories.insert(0, role.industry.name)
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

"""The sitemap (an index of pages of up to 5,000 addresses) and robots.txt that points at it."""

from __future__ import annotations

from functools import cached_property
from types import SimpleNamespace

from django.contrib.sitemaps import Sitemap
from django.core.paginator import EmptyPage, PageNotAnInteger
from django.db.models import Exists, OuterRef, QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_GET

from opportunities.models import Company, Role

SITEMAP_PAGE_SIZE = 5000


class PkRangePaginator:
    """Page n holds the rows whose primary key falls in the n-th block of `per_page` keys.

    Django's Paginator counts every row and reaches deep pages with OFFSET, which at a million
    roles costs seconds; a key range is one short index scan at any depth. A page can hold
    fewer rows than `per_page` (or none) where keys are missing, never more.
    """

    def __init__(self, queryset: QuerySet, per_page: int):
        self.queryset = queryset
        self.per_page = per_page

    @cached_property
    def num_pages(self) -> int:
        top = self.queryset.order_by("-pk").values_list("pk", flat=True).first()
        return 1 if top is None else (top - 1) // self.per_page + 1

    @property
    def page_range(self) -> range:
        return range(1, self.num_pages + 1)

    def page(self, number) -> SimpleNamespace:
        try:
            number = int(number)
        except (TypeError, ValueError) as error:
            raise PageNotAnInteger("That page number is not an integer") from error
        if number < 1 or number > self.num_pages:
            raise EmptyPage("That page contains no results")
        first = (number - 1) * self.per_page
        rows = self.queryset.filter(pk__gt=first, pk__lte=first + self.per_page).order_by("pk")
        return SimpleNamespace(number=number, object_list=rows)


class KeyRangeSitemap(Sitemap):
    limit = SITEMAP_PAGE_SIZE

    @property
    def paginator(self) -> PkRangePaginator:
        return PkRangePaginator(self.items(), self.limit)

    def get_latest_lastmod(self):
        # Django's default reads every item to find the newest; the index page stays cheap.
        return None


class RoleSitemap(KeyRangeSitemap):
    changefreq = "daily"
    priority = 0.8

    def items(self) -> QuerySet:
        return Role.objects.open().only("pk", "slug", "updated_at")

    def lastmod(self, role: Role):
        return role.updated_at


class CompanySitemap(KeyRangeSitemap):
    changefreq = "daily"
    priority = 0.5

    def items(self) -> QuerySet:
        return Company.objects.filter(
            Exists(Role.objects.open().filter(company=OuterRef("pk")))
        ).only("pk", "slug", "updated_at")

    def lastmod(self, company: Company):
        return company.updated_at


class PageSitemap(Sitemap):
    changefreq = "hourly"
    priority = 1.0

    def items(self) -> list[str]:
        return ["home", "role_search"]

    def location(self, name: str) -> str:
        return reverse(name)


SITEMAPS = {"pages": PageSitemap, "roles": RoleSitemap, "companies": CompanySitemap}


@require_GET
def robots_txt(request: HttpRequest) -> HttpResponse:
    """Crawlers may read the board, not the curation area, and find everything in the sitemap."""
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        # The apply redirect counts clicks; a crawler following it would only inflate them.
        "Disallow: /jobs/*/apply/",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap_index'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")

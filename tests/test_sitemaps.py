"""Tests for opportunities.sitemaps: the sitemap index, its sections and robots.txt."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from opportunities import sitemaps
from opportunities.models import Role
from opportunities.sitemaps import SITEMAP_PAGE_SIZE
from tests import factories

pytestmark = pytest.mark.django_db

LOC = re.compile(r"<loc>(.*?)</loc>")


def locs(response) -> list[str]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    return LOC.findall(response.content.decode())


def test_index_lists_each_section(client, db):
    assert locs(client.get("/sitemap.xml")) == [
        "http://testserver/sitemap-pages.xml",
        "http://testserver/sitemap-roles.xml",
        "http://testserver/sitemap-companies.xml",
    ]


def test_pages_section_has_home_and_search(client, db):
    assert locs(client.get("/sitemap-pages.xml")) == [
        "http://testserver/",
        "http://testserver/jobs/",
    ]


def test_roles_section_lists_open_roles_with_lastmod(client, company):
    open_role = factories.RoleFactory(company=company)
    factories.RoleFactory(company=company, status=Role.Status.DRAFT)
    factories.RoleFactory(company=company, status=Role.Status.CLOSED)
    factories.RoleFactory(company=company, expires_at=timezone.now() - timedelta(days=1))
    factories.RoleFactory(company=company, duplicate_of=open_role)
    # Pages are blocks of primary keys, and on PostgreSQL earlier tests have used up keys:
    # ask for the page that holds this role's (the index lists every page).
    page = (open_role.pk - 1) // SITEMAP_PAGE_SIZE + 1

    response = client.get(f"/sitemap-roles.xml?p={page}")

    assert locs(response) == [f"http://testserver{open_role.get_absolute_url()}"]
    assert f"<lastmod>{open_role.updated_at:%Y-%m-%d}</lastmod>" in response.content.decode()


def test_companies_section_lists_companies_with_open_roles(client, company):
    factories.RoleFactory(company=company)
    quiet = factories.CompanyFactory(name="Quiet Co")
    factories.RoleFactory(company=quiet, status=Role.Status.EXPIRED)
    factories.CompanyFactory(name="Empty Co")
    # As for roles: the page of key ranges that holds this company's key.
    page = (company.pk - 1) // SITEMAP_PAGE_SIZE + 1

    assert locs(client.get(f"/sitemap-companies.xml?p={page}")) == [
        "http://testserver/companies/acme-health-ai/"
    ]


def test_sections_are_paginated_by_key_range(client, company, monkeypatch):
    monkeypatch.setattr(sitemaps.RoleSitemap, "limit", 3)
    roles = [factories.RoleFactory(company=company) for _ in range(7)]
    Role.objects.filter(pk=roles[1].pk).update(status=Role.Status.CLOSED)
    first_pk = roles[0].pk
    expected_pages = (roles[-1].pk - 1) // 3 + 1

    index = locs(client.get("/sitemap.xml"))
    pages = [client.get("/sitemap-roles.xml", {"p": n}) for n in range(1, expected_pages + 1)]

    assert f"http://testserver/sitemap-roles.xml?p={expected_pages}" in index
    assert f"http://testserver/sitemap-roles.xml?p={expected_pages + 1}" not in index
    listed = [url for page in pages for url in locs(page)]
    assert listed == [f"http://testserver{r.get_absolute_url()}" for r in roles if r != roles[1]]
    assert all(len(locs(page)) <= 3 for page in pages)
    assert first_pk >= 1
    assert client.get("/sitemap-roles.xml", {"p": expected_pages + 1}).status_code == 404
    assert client.get("/sitemap-roles.xml", {"p": "x"}).status_code == 404


def test_deep_sitemap_page_is_one_range_query(company, django_assert_max_num_queries):
    for _ in range(3):
        factories.RoleFactory(company=company)
    paginator = sitemaps.RoleSitemap().paginator
    with django_assert_max_num_queries(2):
        rows = list(paginator.page(paginator.num_pages).object_list)
    assert rows


def test_robots_txt_points_at_the_sitemap(client, db):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    body = response.content.decode()
    assert "User-agent: *" in body
    assert "Disallow: /admin/" in body
    assert "Disallow: /jobs/*/apply/" in body
    assert "Sitemap: http://testserver/sitemap.xml" in body

"""The data migration that cleans text stored before every write path cleaned it (0013)."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.db import connection

from opportunities.models import Company, Role
from tests import factories

pytestmark = pytest.mark.django_db

migration = importlib.import_module("opportunities.migrations.0013_catalog_text_clean")


class _SchemaEditor:
    connection = connection


def test_existing_rows_are_cleaned_in_batches_and_clean_rows_left_alone(monkeypatch):
    monkeypatch.setattr(migration, "BATCH", 2)
    company = factories.CompanyFactory(name="Acme AI")
    dirty = [factories.RoleFactory(company=company) for _ in range(5)]
    clean = factories.RoleFactory(company=company, description="<p>Fine as it is.</p>")
    # Written the way the admin used to: straight to the table, unsanitised.
    Role.objects.filter(pk__in=[r.pk for r in dirty]).update(
        title="ML\x0c Engineer",
        description='<p>Hi</p><script>alert(1)</script><img src=x onerror="alert(2)">',
    )
    Company.objects.filter(pk=company.pk).update(name="Acme\x0b AI", description="R&D\x01")
    before = Role.objects.filter(pk=clean.pk).values_list("description", flat=True).get()

    migration.catalog_text_clean(apps, _SchemaEditor())

    rows = set(
        Role.objects.filter(pk__in=[r.pk for r in dirty]).values_list("title", "description")
    )
    assert rows == {("ML Engineer", "<p>Hi</p>")}
    assert Role.objects.get(pk=clean.pk).description == before
    company.refresh_from_db()
    assert (company.name, company.description) == ("Acme AI", "R&D")

"""The curators' tool: Django's admin, registered by each area's own admin module."""

from opportunities.catalog import admin as catalog_admin
from opportunities.ingest import admin as ingest_admin
from opportunities.insights import admin as insights_admin
from opportunities.posting import admin as posting_admin
from opportunities.profiles import admin as profiles_admin

__all__ = ["catalog_admin", "ingest_admin", "insights_admin", "posting_admin", "profiles_admin"]

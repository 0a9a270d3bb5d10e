"""The curators' tool: Django admin, one module per area."""

from . import companies, profiles, roles, sources, taxonomy  # noqa: F401

"""The curators' tool: Django admin, one module per area."""

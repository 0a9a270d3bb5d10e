"""The opportunity tracker: a developer's own pipeline of roles, from saved to offer."""

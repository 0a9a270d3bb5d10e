"""The opportunity tracker: a developer's own pipeline of board roles and outside ones."""

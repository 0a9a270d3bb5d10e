"""Recruiters' listings and their moderation: writing help, trust flags and developers' reports."""

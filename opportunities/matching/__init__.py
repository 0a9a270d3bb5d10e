"""Matching: scoring profiles against roles, the in-memory indexes, storing and rematching."""

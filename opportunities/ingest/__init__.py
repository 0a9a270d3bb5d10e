"""Ingest: outside feeds fetched, parsed, normalised and upserted as roles."""

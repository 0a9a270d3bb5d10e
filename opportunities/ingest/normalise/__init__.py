"""Normalising: a parsed item's text, places, salary, skills and industry made comparable."""

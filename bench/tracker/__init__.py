"""Tracker benchmark: one developer with 5,000 tracked opportunities among 1,000,000."""

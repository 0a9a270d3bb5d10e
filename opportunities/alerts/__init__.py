"""Alerts: saved searches, match digests by e-mail, and one-click unsubscribe."""

"""A role from another site, read from its address: what the "add by URL" form is filled from.

This module's fetching is replaced at merge by the version that reads the page through the
ingest's guarded fetcher (JSON-LD JobPosting, Greenhouse, Lever and Ashby APIs, Open Graph).
Until then every address is answered with OutsideRoleError, and the user fills the form by hand.
"""

from __future__ import annotations

from dataclasses import dataclass


class OutsideRoleError(Exception):
    """The address could not be read; the message is fit to show the user."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class OutsideRole:
    """What could be read about a role at an address; empty strings and None when unknown."""

    title: str = ""
    company_name: str = ""
    location: str = ""
    description_html: str = ""
    apply_url: str = ""
    canonical_url: str = ""
    salary_min: int | None = None
    salary_max: int | None = None
    salary_currency: str = ""
    salary_period: str = ""
    employment_type: str = ""
    found_by: str = "none"  # "jsonld", "greenhouse", "lever", "ashby", "opengraph" or "none"


def outside_role_from_url(url: str) -> OutsideRole:
    """The role at this address.

    A placeholder replaced at merge by the fetching version; it always raises.
    """
    raise OutsideRoleError("Fetching is not available yet")

"""The domain's plain facts, shared by pure code (parsers, scoring) and the models alike."""

from __future__ import annotations

# Seniority from the most junior up; matching ranks by position in this list.
SENIORITY_ORDER = ["intern", "junior", "mid", "senior", "lead", "executive"]
SENIORITY_RANK = {name: rank for rank, name in enumerate(SENIORITY_ORDER)}

# Working time behind each salary period, to compare salaries on a yearly basis.
YEARLY_FACTOR = {"year": 1, "month": 12, "week": 52, "day": 260, "hour": 2080}


def open_to_country(
    code: str,
    *,
    workplace: str,
    worldwide: bool,
    country: str,
    applicant_countries,
    excluded_countries=(),
) -> bool:
    """Whether a developer living in `code` may take the role: the one eligibility rule.

    Search's country filter (RoleQuerySet.open_to_country) and matching's exclusions
    (matching.scoring, matching.index) each express exactly this, and a test holds them to it.
    A country the company cannot hire in is never open. A remote role is open where it is
    worldwide, where its applicants' countries include the developer's, or everywhere when it
    names none (plain "Remote" is not a restriction anyone stated). An on-site or hybrid role
    is open in its own country, or everywhere when its country is unknown.
    """
    if code in excluded_countries:
        return False
    if workplace == "remote":
        return worldwide or not applicant_countries or code in applicant_countries
    return not country or country == code

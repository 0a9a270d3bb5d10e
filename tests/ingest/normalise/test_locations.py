"""Tests for opportunities.ingest.locations: workplace, base place and applicant restrictions."""

from __future__ import annotations

from dataclasses import astuple

import pytest
from hypothesis import given
from hypothesis import strategies as st

from opportunities.ingest.normalise.locations import (
    format_offset,
    normalise_workplace,
    parse_locations,
    resolve_countries,
)
from opportunities.ingest.normalise.places import REGIONS


def _where(info) -> tuple:
    """The place and restriction values (not the exclusions or how the workplace was known)."""
    return astuple(info)[:8]


def _utc(first: int, last: int) -> list[str]:
    return [format_offset(hours * 60) for hours in range(first, last + 1)]


def _region(label: str) -> list[str]:
    return list(REGIONS[label])


# (location, (workplace, worldwide, country, city, region, applicant_countries,
#             applicant_regions, timezones))
CASES = [
    ("Remote", ("remote", False, "", "", "", [], [], [])),
    ("Remote (US only)", ("remote", False, "US", "", "", ["US"], [], [])),
    ("Remote - US", ("remote", False, "US", "", "", ["US"], [], [])),
    ("US-Remote", ("remote", False, "US", "", "", ["US"], [], [])),
    ("Anywhere", ("remote", True, "", "", "", [], [], [])),
    ("Worldwide", ("remote", True, "", "", "", [], [], [])),
    ("Remote, Worldwide", ("remote", True, "", "", "", [], [], [])),
    ("Anywhere in the World", ("remote", True, "", "", "", [], [], [])),
    ("Anywhere in the US", ("remote", False, "US", "", "", ["US"], [], [])),
    ("EMEA", ("remote", False, "", "", "", _region("EMEA"), ["EMEA"], [])),
    ("Europe", ("remote", False, "", "", "", _region("Europe"), ["Europe"], [])),
    ("EU", ("remote", False, "", "", "", _region("EU"), ["EU"], [])),
    ("APAC", ("remote", False, "", "", "", _region("APAC"), ["APAC"], [])),
    ("LATAM", ("remote", False, "", "", "", _region("LATAM"), ["LATAM"], [])),
    ("Americas", ("remote", False, "", "", "", _region("Americas"), ["Americas"], [])),
    (
        "North America",
        ("remote", False, "", "", "", ["US", "CA", "MX"], ["North America"], []),
    ),
    ("Hybrid \u2013 London", ("hybrid", False, "GB", "London", "", [], [], [])),
    ("London, UK (Hybrid)", ("hybrid", False, "GB", "London", "", [], [], [])),
    ("San Francisco, CA", ("onsite", False, "US", "San Francisco", "California", [], [], [])),
    ("New York, NY, United States", ("onsite", False, "US", "New York", "New York", [], [], [])),
    ("*HQ - San Francisco, CA", ("onsite", False, "US", "San Francisco", "California", [], [], [])),
    ("Berlin, Germany", ("onsite", False, "DE", "Berlin", "", [], [], [])),
    (
        "Remote, Canada; Remote, United States",
        ("remote", False, "", "", "", ["CA", "US"], [], []),
    ),
    ("Toronto or Remote (Canada)", ("remote", False, "CA", "Toronto", "Ontario", ["CA"], [], [])),
    ("UTC-5 to UTC+1", ("remote", False, "", "", "", [], [], _utc(-5, 1))),
    ("CET ±2h", ("remote", False, "", "", "", [], [], _utc(-1, 3))),
    ("Remote (GMT+0 - GMT+3)", ("remote", False, "", "", "", [], [], _utc(0, 3))),
    ("USA, CST (UTC-6)", ("remote", False, "US", "", "", ["US"], [], ["UTC-06:00"])),
    ("100% Remote", ("remote", False, "", "", "", [], [], [])),
    ("On-site", ("onsite", False, "", "", "", [], [], [])),
    ("Portland, OR", ("onsite", False, "US", "Portland", "Oregon", [], [], [])),
    ("Berlin, DE", ("onsite", False, "DE", "Berlin", "", [], [], [])),
    ("London, ON", ("onsite", False, "CA", "London", "Ontario", [], [], [])),
    ("Atlanta, Georgia", ("onsite", False, "US", "Atlanta", "Georgia", [], [], [])),
    ("Texas", ("onsite", False, "US", "", "Texas", [], [], [])),
    ("Kraków, Poland", ("onsite", False, "PL", "Kraków", "", [], [], [])),
    ("Pine Bluff", ("onsite", False, "", "Pine Bluff", "", [], [], [])),
    ("Remote Ireland", ("remote", False, "IE", "", "", ["IE"], [], [])),
    ("United States - Remote Flexibility", ("remote", False, "US", "", "", ["US"], [], [])),
    ("Remote, Flexible Hours", ("remote", False, "", "", "", [], [], [])),
]


@pytest.mark.parametrize(("location", "expected"), CASES, ids=[case[0] for case in CASES])
def test_location_strings(location, expected):
    assert _where(parse_locations([location])) == expected


def test_several_office_locations_take_the_first_as_base():
    info = parse_locations(["London, UK", "Berlin, Germany"])

    assert _where(info) == ("onsite", False, "GB", "London", "", [], [], [])


def test_a_remote_alternative_makes_the_role_remote_with_its_office_as_base():
    info = parse_locations(["Bangalore, India; Remote, Canada; Remote, United Kingdom"])

    assert _where(info) == ("remote", False, "IN", "Bangalore", "Karnataka", ["CA", "GB"], [], [])


def test_source_hint_wins_and_country_only_strings_become_the_restriction():
    info = parse_locations(["United States"], workplace_hint="REMOTE")

    assert _where(info) == ("remote", False, "US", "", "", ["US"], [], [])


def test_source_applicant_countries_are_resolved():
    info = parse_locations(
        [], workplace_hint="remote", applicant_countries=["United States", "USA", "UK"]
    )

    assert info.applicant_countries == ["US", "GB"]
    assert info.worldwide is False


def test_explicit_worldwide_with_a_restriction_is_not_worldwide():
    info = parse_locations(["Worldwide"], applicant_countries=["Germany"])

    assert (info.worldwide, info.applicant_countries) == (False, ["DE"])


def test_title_decides_when_locations_do_not():
    assert parse_locations(["London"], title="ML Engineer (Remote)").workplace == "remote"
    assert parse_locations([], title="ML Engineer - Hybrid").workplace == "hybrid"
    assert parse_locations([], title="ML Engineer").workplace == "onsite"


def test_hint_hybrid_keeps_remote_strings_as_restrictions_only_from_source():
    info = parse_locations(["London"], workplace_hint="Hybrid", applicant_countries=["UK"])

    assert _where(info) == ("hybrid", False, "GB", "London", "", ["GB"], [], [])


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("OnSite", "onsite"),
        ("on_site", "onsite"),
        ("In office", "onsite"),
        ("REMOTE", "remote"),
        ("hybrid", "hybrid"),
        ("unspecified", None),
        (None, None),
    ],
)
def test_normalise_workplace(value, expected):
    assert normalise_workplace(value) == expected


def test_resolve_countries_handles_names_codes_and_regions():
    assert resolve_countries(["United States", "USA", "UK", "Deutschland", "DACH"]) == (
        ["US", "GB", "DE"],
        ["DACH"],
    )


def test_results_are_independent_between_calls():
    first = parse_locations(["Remote, Canada"])
    first.applicant_countries.append("XX")

    assert parse_locations(["Remote, Canada"]).applicant_countries == ["CA"]


@given(st.lists(st.text(max_size=40), max_size=4), st.text(max_size=40))
def test_parse_locations_never_raises(locations: list[str], title: str):
    info = parse_locations(locations, title=title, applicant_countries=locations)

    assert info.workplace in ("onsite", "hybrid", "remote")
    assert len(info.country) in (0, 2)
    assert not (info.worldwide and info.applicant_countries)

"""Tests for opportunities.ingest.places: the lookup tables hold valid codes."""

from __future__ import annotations

import pycountry

from opportunities.ingest.normalise.places import (
    CITIES,
    COUNTRY_ALIASES,
    COUNTRY_CODES,
    REGION_ALIASES,
    REGIONS,
    TZ_NAMES,
)

ISO = {country.alpha_2 for country in pycountry.countries}


def test_region_lists_hold_iso_codes_without_duplicates():
    for label, codes in REGIONS.items():
        assert set(codes) <= ISO, label
        assert len(codes) == len(set(codes)), label


def test_every_alias_points_somewhere_real():
    assert set(REGION_ALIASES.values()) <= set(REGIONS)
    assert set(COUNTRY_ALIASES.values()) <= ISO
    assert set(COUNTRY_CODES.values()) <= ISO
    assert {country for _name, country, _region in CITIES.values()} <= ISO


def test_regions_nest_as_people_expect():
    assert set(REGIONS["EU"]) < set(REGIONS["Europe"]) < set(REGIONS["EMEA"])
    assert set(REGIONS["North America"]) < set(REGIONS["Americas"])
    assert set(REGIONS["LATAM"]) < set(REGIONS["Americas"])
    assert "GB" not in REGIONS["EU"]


def test_zone_groups_are_ordered_ranges():
    assert all(first <= last for first, last in TZ_NAMES.values())

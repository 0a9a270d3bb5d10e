"""Workplace, applicant countries, time zones and exclusions as a posting's text states them."""

from __future__ import annotations

import pytest

from opportunities.ingest.normalise.eligibility import stated_eligibility
from opportunities.ingest.normalise.locations import parse_locations
from opportunities.ingest.normalise.places import REGIONS
from opportunities.ingest.normalise.role import normalise
from opportunities.ingest.normalise.skills import SkillRecogniser, SkillTerms
from opportunities.ingest.parsers.records import RawRole

SKILLS = SkillRecogniser([SkillTerms("python", "Python")])


def _role(description: str, locations=(), workplace: str | None = None):
    raw = RawRole(
        external_id="1",
        title="ML Engineer",
        company="Acme",
        description_html=description,
        locations=list(locations),
        workplace=workplace,
    )
    return normalise(raw, skills=SKILLS)


@pytest.mark.parametrize(
    ("locations", "country"),
    [(["Berlin"], "DE"), (["Canada - Remote"], "CA"), (["Toronto, ON"], "CA")],
)
def test_a_remote_posting_whose_only_location_is_a_city_or_country_is_remote_there(
    locations, country
):
    info = parse_locations(locations, workplace_hint="remote")
    assert (info.workplace, info.worldwide, info.applicant_countries) == (
        "remote",
        False,
        [country],
    )


def test_plain_remote_beside_an_office_stays_unrestricted():
    info = parse_locations(["Remote", "New York, NY"])
    assert (info.workplace, info.applicant_countries) == ("remote", [])


@pytest.mark.parametrize(
    ("location", "expected"),
    [
        ("Remote - EU", set(REGIONS["EU"])),
        ("Remote (US and Canada)", {"US", "CA"}),
        ("US & Canada", {"US", "CA"}),
        ("EMEA", set(REGIONS["EMEA"])),
    ],
)
def test_regions_expand_to_every_country_they_name(location, expected):
    info = parse_locations([location], workplace_hint="remote")
    assert set(info.applicant_countries) == expected
    assert {"DE", "FR", "PL"} <= set(REGIONS["EU"]) and "GB" not in REGIONS["EU"]


@pytest.mark.parametrize(
    ("text", "workplace"),
    [
        ("This is a hybrid role: 3 days a week in our London office.", "hybrid"),
        ("Your week is split between home and office.", "hybrid"),
        ("You must live in or relocate to Austin, TX.", "onsite"),
        ("This role is on-site in Munich.", "onsite"),
        ("This position is not remote.", "onsite"),
        ("This role is fully remote.", "remote"),
        ("We are 100% remote and async.", "remote"),
        ("We build hybrid search over your documents.", None),
        ("Occasional on-site visits to customers.", None),
        ("We are a remote-first company. This role is on-site in Berlin.", "onsite"),
    ],
)
def test_workplace_stated_in_text(text, workplace):
    assert stated_eligibility(text).workplace == workplace


def test_text_saying_on_site_beats_the_boards_remote_flag():
    role = _role("<p>You must live in or relocate to Austin, TX.</p>", ["Remote"], "remote")
    assert (role.workplace, role.worldwide, role.country) == ("onsite", False, "US")


def test_text_saying_hybrid_beats_the_boards_silence():
    role = _role("<p>Hybrid: two days a week in our Paris office.</p>", ["Paris, France"])
    assert (role.workplace, role.country) == ("hybrid", "FR")


def test_text_saying_fully_remote_beats_an_onsite_default():
    role = _role("<p>This role is fully remote.</p>")
    assert role.workplace == "remote"


def test_text_saying_remote_does_not_override_a_stated_onsite_location():
    role = _role("<p>This role is fully remote.</p>", ["Berlin (On-site)"])
    assert role.workplace == "onsite"


@pytest.mark.parametrize(
    ("text", "zones"),
    [
        ("You must be within two hours of UTC.", {"UTC-02:00", "UTC+00:00", "UTC+02:00"}),
        ("Strong overlap with Pacific time is required.", {"UTC-08:00"}),
        ("Working hours: overlap with CET ±2h.", {"UTC-01:00", "UTC+03:00"}),
    ],
)
def test_time_zone_limits_become_applicant_time_zones(text, zones):
    role = _role(f"<p>{text}</p>", ["Remote"], "remote")
    assert zones <= set(role.timezones)
    assert role.worldwide is False


def test_within_hours_covers_exactly_the_spread():
    role = _role("<p>You must be within two hours of UTC.</p>", ["Remote"], "remote")
    assert role.timezones == ["UTC-02:00", "UTC-01:00", "UTC+00:00", "UTC+01:00", "UTC+02:00"]


@pytest.mark.parametrize(
    ("text", "excluded"),
    [
        ("We cannot hire in India or Brazil at this time.", ["IN", "BR"]),
        (
            "We are unable to hire candidates based in the US, Canada and Mexico.",
            ["US", "CA", "MX"],
        ),
        ("This role is not open to candidates in Germany.", ["DE"]),
    ],
)
def test_countries_the_company_cannot_hire_in_are_excluded(text, excluded):
    role = _role(f"<p>Remote anywhere in the world. {text}</p>", ["Remote - Worldwide"])
    assert role.excluded_countries == excluded
    # Exclusions alone leave a role worldwide; search and matching honour them themselves.
    assert role.worldwide is True


def test_excluded_countries_leave_the_applicant_list():
    role = _role("<p>We can't hire in Russia.</p>", ["Remote - Europe"])
    assert "RU" not in role.applicant_countries and "DE" in role.applicant_countries
    assert role.excluded_countries == ["RU"]


@pytest.mark.parametrize(
    ("text", "countries"),
    [
        ("Remote from the United Kingdom, Ireland or Portugal.", {"GB", "IE", "PT"}),
        ("Remote, US and Canada only.", {"US", "CA"}),
        (
            "Please apply only if you live in the Netherlands, Belgium or Germany.",
            {"NL", "BE", "DE"},
        ),
        ("Remote from Mexico, Colombia, Brazil or Argentina.", {"MX", "CO", "BR", "AR"}),
    ],
)
def test_countries_the_text_names_narrow_a_remote_role(text, countries):
    role = _role(f"<p>{text}</p>", ["Europe"], "remote")
    assert set(role.applicant_countries) == countries
    assert role.worldwide is False


def test_a_region_the_text_names_less_its_exclusions():
    text = "Remote from anywhere in the EU. We cannot hire in Hungary or Malta at this time."
    role = _role(f"<p>{text}</p>", ["Remote"], "remote")
    assert set(role.applicant_countries) == set(REGIONS["EU"]) - {"HU", "MT"}
    assert role.excluded_countries == ["HU", "MT"]


def test_states_a_company_cannot_hire_in_exclude_no_country():
    text = "Remote in the US; we cannot hire in California, New York or Texas."
    role = _role(f"<p>{text}</p>", ["Remote - United States"], "remote")
    assert (role.applicant_countries, role.excluded_countries) == (["US"], [])


@pytest.mark.parametrize(
    "text",
    [
        "This role requires you to be onsite at our Charlotte headquarters four days per week.",
        "You will work from our Toronto office three days a week.",
    ],
)
def test_office_days_each_week_make_a_remote_listing_hybrid(text):
    role = _role(f"<p>{text}</p>", ["Charlotte, NC"], "remote")
    assert (role.workplace, role.applicant_countries) == ("hybrid", [])


def test_region_time_zones_are_not_applicant_countries():
    info = parse_locations(["REMOTE (EU timezones)"])
    assert (info.workplace, info.applicant_countries) == ("remote", [])


def test_a_sources_anywhere_applicant_field_is_worldwide():
    info = parse_locations([], workplace_hint="remote", applicant_countries=["Anywhere"])
    assert info.worldwide is True

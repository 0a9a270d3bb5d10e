"""normalise on hostile values: control and bidi characters, invisible titles, lengths, dates."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from opportunities.ingest.normalise import role as role_module
from opportunities.ingest.normalise.role import NormaliseError, normalise
from opportunities.ingest.normalise.skills import SkillRecogniser
from opportunities.ingest.parsers.records import RawRole
from opportunities.models import Company, Role

NOW = datetime(2026, 6, 1, 12, tzinfo=UTC)
SKILLS = SkillRecogniser([])
UNWANTED = ["\x00", "\x07", "\x1b", "\x7f", "\x85", "\u202e", "\u202a", "\u2066", "\u2069"]


def raw(**changes) -> RawRole:
    values = {
        "external_id": "job-1",
        "title": "LLM Engineer",
        "company": "Acme AI",
        "url": "https://jobs.example.com/1",
        "description_html": "<p>Build agents.</p>",
        "locations": ["Berlin, Germany"],
        "posted_at": datetime(2026, 5, 1, tzinfo=UTC),
    }
    values.update(changes)
    return RawRole(**values)


def run(item: RawRole):
    return normalise(item, skills=SKILLS, now=NOW)


def texts(normalised) -> list[str]:
    """Every text value normalise hands on for the database."""
    values = [
        normalised.external_id,
        normalised.title,
        normalised.company_name,
        normalised.canonical_url,
        normalised.apply_url,
        normalised.apply_email,
        normalised.description_html,
        normalised.description_text,
        normalised.department,
        normalised.location_text,
        normalised.city,
        normalised.region,
        normalised.country,
        normalised.dedupe_key,
        *normalised.applicant_countries,
        *normalised.applicant_regions,
        *normalised.timezones,
        *normalised.unknown_terms,
    ]
    return [value for value in values if value]


@pytest.mark.parametrize("char", UNWANTED)
def test_control_and_bidi_characters_are_stripped_from_every_text(char: str) -> None:
    normalised = run(
        raw(
            title=f"LLM{char} Engineer",
            company=f"Acme{char} AI",
            department=f"Research{char}",
            description_html=f"<p>Build{char} agents with Py{char}Torch.</p><p>RAG{char}</p>",
            locations=[f"Berlin{char}, Germany"],
            tags=[f"Mamba{char}"],
        )
    )

    assert normalised.title == "LLM Engineer"
    assert normalised.company_name == "Acme AI"
    for value in texts(normalised):
        assert char not in value


def test_character_references_to_bidi_overrides_are_stripped_too() -> None:
    normalised = run(raw(description_html="<p>moc.elpmaxe&#x202e; at &#8238;Acme</p>"))

    assert "\u202e" not in normalised.description_html
    assert "\u202e" not in normalised.description_text


def test_tabs_and_newlines_are_kept_in_descriptions() -> None:
    normalised = run(raw(description_html="Line one\n\nLine\ttwo"))

    assert "Line one" in normalised.description_text
    assert "Line\ttwo" in normalised.description_html or "Line two" in normalised.description_text


@pytest.mark.parametrize(
    "title", ["\u200b\u200b", "\u3164", "\u2800\u2800", "\u202e\u200d", "\x00\x00", "\u0301"]
)
def test_a_title_made_only_of_invisible_characters_is_rejected(title: str) -> None:
    with pytest.raises(NormaliseError, match="title"):
        run(raw(title=title))


def test_an_id_longer_than_its_column_is_rejected() -> None:
    with pytest.raises(NormaliseError, match="longer than 300"):
        run(raw(external_id="x" * 301))


@pytest.mark.parametrize("external_id", ["job\x00-1", "job-\u202e1"])
def test_an_id_with_control_characters_is_rejected(external_id: str) -> None:
    with pytest.raises(NormaliseError, match="id contains"):
        run(raw(external_id=external_id))


def test_a_long_title_is_cut_at_a_word() -> None:
    title = "Senior Machine Learning Engineer " * 10

    normalised = run(raw(title=title))

    assert len(normalised.title) <= Role._meta.get_field("title").max_length
    assert normalised.title.endswith("Engineer\u2026") or normalised.title.endswith(
        ("Senior\u2026", "Machine\u2026", "Learning\u2026")
    )


def test_values_never_exceed_their_columns() -> None:
    normalised = run(
        raw(
            title="T" * 5000,
            company="C" * 5000,
            url="https://jobs.example.com/" + "a" * 3000,
            apply_email="a" * 300 + "@example.com",
            locations=["Berlin " * 2000] * 500,
            tags=["x" * 5000] * 500,
        )
    )

    assert len(normalised.title) <= Role._meta.get_field("title").max_length
    assert len(normalised.company_name) <= Company._meta.get_field("name").max_length
    assert normalised.canonical_url == "" and normalised.apply_email == ""
    assert len(normalised.dedupe_key) <= 10_000  # cut to its column by the writer


def test_the_limits_match_the_columns() -> None:
    assert Role._meta.get_field("title").max_length == role_module.TITLE_MAX
    assert Company._meta.get_field("name").max_length == role_module.COMPANY_MAX
    assert Role._meta.get_field("external_id").max_length == role_module.EXTERNAL_ID_MAX
    assert Role._meta.get_field("apply_url").max_length == role_module.URL_MAX
    assert Role._meta.get_field("canonical_url").max_length == role_module.URL_MAX
    assert Role._meta.get_field("apply_email").max_length == role_module.EMAIL_MAX


@pytest.mark.parametrize(
    "posted_at",
    [
        datetime(9999, 12, 31, tzinfo=UTC),
        NOW + timedelta(days=400),
        datetime(1989, 12, 31, tzinfo=UTC),
        datetime(1, 1, 1, tzinfo=UTC),
    ],
)
def test_implausible_posting_dates_are_cleared(posted_at: datetime) -> None:
    assert run(raw(posted_at=posted_at)).posted_at is None


def test_plausible_posting_dates_are_kept() -> None:
    for posted_at in (datetime(1990, 1, 2, tzinfo=UTC), NOW + timedelta(days=300)):
        assert run(raw(posted_at=posted_at)).posted_at == posted_at


def test_an_expiry_before_the_posting_date_is_cleared() -> None:
    normalised = run(
        raw(posted_at=datetime(2026, 5, 1, tzinfo=UTC), expires_at=datetime(2026, 4, 1, tzinfo=UTC))
    )

    assert normalised.posted_at == datetime(2026, 5, 1, tzinfo=UTC)
    assert normalised.expires_at is None


def test_an_expiry_in_year_9999_is_cleared() -> None:
    assert run(raw(expires_at=datetime(9999, 1, 1, tzinfo=UTC))).expires_at is None

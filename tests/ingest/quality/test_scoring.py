"""The quality gate's arithmetic on tiny hand-made labels and observations."""

from __future__ import annotations

import pytest

from tests.ingest.quality.scoring import Observed, Salary, Taxonomy, expected_from, score

TAXONOMY = Taxonomy(
    slugs=frozenset({"python", "react", "go", "docker", "swift"}),
    terms={"python": "python", "react": "react", "golang": "go", "swiftui": "swift"},
)


def label(**values):
    base = {
        "title": "Engineer",
        "required": [],
        "nice": [],
        "unlisted": [],
        "workplace": "remote",
        "worldwide": True,
        "applicant_countries": [],
        "excluded_countries": [],
        "applicant_timezones": "",
        "salary": None,
        "industry": "gaming",
    }
    return base | values


def observed(**values):
    base = {"workplace": "remote", "worldwide": True, "industry": "gaming"}
    return Observed(**(base | values))


def test_skill_recall_and_precision_are_micro_averaged_over_postings():
    labels = {
        "a#1": label(required=["python", "react"], nice=["go"]),
        "a#2": label(required=["docker"]),
    }
    got = {
        "a#1": observed(required=frozenset({"python", "swift"}), nice=frozenset({"go"})),
        "a#2": observed(required=frozenset({"docker"})),
    }

    card = score(labels, got, TAXONOMY)

    # Marked: python, react, go, docker (4); found: python, go, docker (3); stored 4, 3 right.
    assert (card.figures["recall"].right, card.figures["recall"].total) == (3, 4)
    assert (card.figures["precision"].right, card.figures["precision"].total) == (3, 4)
    assert card.figures["recall"].value == pytest.approx(0.75)
    missed = [(m.posting, m.field, m.expected, m.got) for m in card.misses_of("skill missed")]
    extra = [(m.posting, m.field, m.expected, m.got) for m in card.misses_of("skill not marked")]
    assert missed == [("a#1", "skill missed", "react", None)]
    assert extra == [("a#1", "skill not marked", None, "swift")]


def test_coverage_counts_unlisted_names_and_resolves_those_the_taxonomy_now_knows():
    labels = {
        "a#1": label(
            required=["python"],
            unlisted=[
                {"name": "Vue.js", "kind": "required"},
                {"name": "Golang", "kind": "nice"},
            ],
        )
    }
    got = {"a#1": observed(required=frozenset({"python"}), nice=frozenset({"go"}))}

    card = score(labels, got, TAXONOMY)

    # python and go (through its alias) are covered; Vue.js is not: 2 of 3.
    assert (card.figures["coverage"].right, card.figures["coverage"].total) == (2, 3)
    assert card.figures["recall"].value == 1.0
    assert card.figures["precision"].value == 1.0
    assert [m.expected for m in card.misses_of("skill not in taxonomy")] == ["Vue.js"]


def test_an_unlisted_name_that_is_an_alias_of_a_marked_skill_counts_once():
    expected = expected_from(
        label(required=["swift"], unlisted=[{"name": "SwiftUI", "kind": "nice"}]), TAXONOMY
    )

    assert expected.required == {"swift"}
    assert expected.nice == frozenset()
    assert expected.unlisted == ()


def test_a_labelled_slug_missing_from_the_taxonomy_counts_as_unlisted():
    expected = expected_from(label(required=["python", "cobol"]), TAXONOMY)

    assert expected.required == {"python"}
    assert expected.unlisted == ("cobol",)


def test_nice_accuracy_counts_only_nice_skills_that_were_found():
    labels = {"a#1": label(required=["python"], nice=["go", "docker", "react"])}
    # go stored as nice (right), docker stored as required (wrong), react not found at all.
    got = {
        "a#1": observed(required=frozenset({"python", "docker"}), nice=frozenset({"go"})),
    }

    card = score(labels, got, TAXONOMY)

    assert (card.figures["nice"].right, card.figures["nice"].total) == (1, 2)
    wrong = card.misses_of("nice stored as required")
    assert [(m.expected, m.got) for m in wrong] == [("docker", "required")]


def test_eligibility_needs_worldwide_countries_and_exclusions_all_right():
    labels = {
        "a#1": label(worldwide=False, applicant_countries=["US", "CA"]),
        "a#2": label(worldwide=True, excluded_countries=["RU"]),
        "a#3": label(worldwide=False, applicant_countries=["DE"]),
    }
    got = {
        "a#1": observed(worldwide=False, applicant_countries=frozenset({"CA", "US"})),
        "a#2": observed(worldwide=True),
        "a#3": observed(worldwide=True),
    }

    card = score(labels, got, TAXONOMY)

    assert (card.figures["eligibility"].right, card.figures["eligibility"].total) == (1, 3)
    fields = [
        (m.posting, m.field)
        for m in card.misses_of(*("worldwide", "applicant_countries", "excluded_countries"))
    ]
    assert fields == [
        ("a#2", "excluded_countries"),
        ("a#3", "worldwide"),
        ("a#3", "applicant_countries"),
    ]


def test_salary_is_scored_where_either_side_has_one_and_must_match_whole():
    yearly = {"min": 130000, "max": 146000, "currency": "USD", "period": "year"}
    labels = {
        "a#1": label(salary=yearly),
        "a#2": label(salary={"min": 5000, "max": 5000, "currency": "USD", "period": None}),
        "a#3": label(salary=None),
        "a#4": label(salary=None),
    }
    got = {
        "a#1": observed(salary=Salary(130000, 146000, "USD", "year")),
        "a#2": observed(salary=Salary(5000, 5000, "USD", "year")),  # a guessed period
        "a#3": observed(salary=Salary(60, 60, "USD", "hour")),  # none was stated
        "a#4": observed(),
    }

    card = score(labels, got, TAXONOMY)

    assert (card.figures["salary"].right, card.figures["salary"].total) == (1, 3)
    assert [m.posting for m in card.misses_of("salary")] == ["a#2", "a#3"]


def test_workplace_and_industry_are_exact_per_posting():
    labels = {
        "a#1": label(workplace="hybrid", worldwide=False, industry="finance-business"),
        "a#2": label(workplace="onsite", worldwide=False, industry="gaming"),
    }
    got = {
        "a#1": observed(workplace="remote", worldwide=False, industry="customer-support"),
        "a#2": observed(workplace="onsite", worldwide=False, industry="gaming"),
    }

    card = score(labels, got, TAXONOMY)

    assert card.figures["workplace"].value == 0.5
    assert card.figures["industry"].value == 0.5
    assert [(m.expected, m.got) for m in card.misses_of("workplace")] == [("hybrid", "remote")]
    assert [(m.expected, m.got) for m in card.misses_of("industry")] == [
        ("finance-business", "customer-support")
    ]


def test_a_posting_the_board_did_not_store_is_wrong_on_every_figure():
    labels = {
        "a#1": label(
            required=["python"], salary={"min": 1, "max": 2, "currency": "EUR", "period": "year"}
        )
    }

    card = score(labels, {}, TAXONOMY)

    for name in ("recall", "workplace", "eligibility", "salary", "industry"):
        assert card.figures[name].value == 0.0, name
    assert [m.field for m in card.misses if m.field == "posting missing"] == ["posting missing"]


def test_a_stored_posting_nobody_labelled_counts_against_precision():
    labels = {"a#1": label(required=["python"])}
    got = {
        "a#1": observed(required=frozenset({"python"})),
        "a#9": observed(title="Not a job", required=frozenset({"go"})),
    }

    card = score(labels, got, TAXONOMY)

    assert (card.figures["precision"].right, card.figures["precision"].total) == (1, 2)
    assert [m.posting for m in card.misses_of("posting not labelled")] == ["a#9"]


def test_a_figure_with_nothing_to_count_is_met():
    card = score({"a#1": label()}, {"a#1": observed()}, TAXONOMY)

    assert card.figures["recall"].total == 0
    assert card.figures["recall"].value == 1.0
    assert card.figures["recall"].passed

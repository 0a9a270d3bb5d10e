"""Tests for opportunities.ingest.salary: figures, currency, period and yearly equivalents."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from opportunities.ingest.normalise.salary import (
    Salary,
    normalise_period,
    normalise_salary,
    parse_salary_text,
    salary_in_text,
    yearly,
)
from opportunities.ingest.parsers.records import RawSalary

D = Decimal


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("$150k - $230k", (D(150000), D(230000), "USD", "year")),
        ("$18 - $22/hr", (D(18), D(22), "USD", "hour")),
        ("€60.000\u2013€75.000 per year", (D(60000), D(75000), "EUR", "year")),
        ("£45,000", (D(45000), D(45000), "GBP", "year")),
        ("USD 120,000-150,000", (D(120000), D(150000), "USD", "year")),
        ("120k-150k USD", (D(120000), D(150000), "USD", "year")),
        ("$200K+", (D(200000), None, "USD", "year")),
        ("80 000 - 100 000 EUR / an", (D(80000), D(100000), "EUR", "year")),
        ("$10,000/month", (D(10000), D(10000), "USD", "month")),
        ("$180K \u2013 $250K • Offers Equity", (D(180000), D(250000), "USD", "year")),
        ("$31,2k- $52k", (D(31200), D(52000), "USD", "year")),
        ("OTE $25k - $35k", (D(25000), D(35000), "USD", "year")),
        ("$8K \u2013 $12K per month", (D(8000), D(12000), "USD", "month")),
        ("$90 - $150 /hour", (D(90), D(150), "USD", "hour")),
        ("₹70L \u2013 ₹90L", (D(7000000), D(9000000), "INR", "year")),
        ("Up to $150k", (None, D(150000), "USD", "year")),
        ("120-150k €", (D(120000), D(150000), "EUR", "year")),
        ("C$90,000 - 110,000", (D(90000), D(110000), "CAD", "year")),
        ("CA$95k", (D(95000), D(95000), "CAD", "year")),
        ("A$150k", (D(150000), D(150000), "AUD", "year")),
        ("CHF 120k-140k", (D(120000), D(140000), "CHF", "year")),
        ("¥12,000,000", (D(12000000), D(12000000), "JPY", "year")),
        ("$500 per day", (D(500), D(500), "USD", "day")),
        ("$230k - $150k", (D(150000), D(230000), "USD", "year")),  # reversed range swapped
        ("150k - 200k", (D(150000), D(200000), "", "year")),  # no currency said
    ],
)
def test_salary_text(text, expected):
    salary = parse_salary_text(text)

    assert salary is not None
    assert (salary.minimum, salary.maximum, salary.currency, salary.period) == expected


@pytest.mark.parametrize(
    "text",
    [
        "competitive",
        "DOE",
        "",
        "10% bonus",
        "$50,000,000",
        "$0",
        "Negotiable",
        "10000000000000000000000000000",
    ],
)
def test_unusable_salary_text_gives_none(text):
    assert parse_salary_text(text) is None


@pytest.mark.parametrize(
    ("amount", "period", "expected"),
    [
        (D(20), "hour", D(41600)),
        (D(400), "day", D(104000)),
        (D(2000), "week", D(104000)),
        (D(8000), "month", D(96000)),
        (D("90000.40"), "year", D(90000)),
    ],
)
def test_yearly(amount, period, expected):
    assert yearly(amount, period) == expected


def test_salary_exposes_yearly_figures():
    salary = Salary(D(18), D(22), "USD", "hour")

    assert (salary.yearly_min, salary.yearly_max) == (D(37440), D(45760))


def test_structured_fields_win_over_text():
    raw = RawSalary(
        minimum=D(180000), maximum=D(210000), currency="usd", period="YEAR", text="$1 - $2"
    )

    assert normalise_salary(raw) == Salary(D(180000), D(210000), "USD", "year")


def test_structured_zeroes_mean_unknown_and_fall_back_to_text():
    raw = RawSalary(minimum=D(0), maximum=D(0), text="$150k - $230k")

    assert normalise_salary(raw) == Salary(D(150000), D(230000), "USD", "year")


def test_structured_period_is_unknown_when_missing_and_the_figure_is_small():
    salary = normalise_salary(RawSalary(minimum=D(30), maximum=D(45), currency="USD"))
    assert salary.period == "unknown"
    assert salary.yearly_min is None and salary.yearly_max is None


def test_structured_period_is_yearly_when_only_a_year_pays_that_much():
    salary = normalise_salary(RawSalary(minimum=D(90_000), maximum=D(120_000), currency="USD"))
    assert (salary.period, salary.yearly_max) == ("year", D(120_000))
    # 900,000 yen is a month's pay, not a year's.
    assert normalise_salary(RawSalary(minimum=D(900_000), currency="JPY")).period == "unknown"


def test_structured_absurd_or_reversed_values():
    assert normalise_salary(RawSalary(minimum=D(50_000_000), currency="USD")) is None
    assert normalise_salary(RawSalary(minimum=D("1E+40"), currency="USD")) is None
    assert normalise_salary(RawSalary(minimum=D("NaN"), maximum=D(100000))) == Salary(
        None, D(100000), "", "year"
    )
    assert normalise_salary(RawSalary(minimum=D(9), maximum=D(5), currency="EUR")) == Salary(
        D(5), D(9), "EUR", "unknown"
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [("per-year-salary", "year"), ("HOURLY", "hour"), ("monthly", "month"), ("", None)],
)
def test_normalise_period(value, expected):
    assert normalise_period(value) == expected


@given(st.text(max_size=60))
def test_salary_text_never_raises_and_stays_sane(text: str):
    salary = parse_salary_text(text)

    if salary is not None:
        assert salary.minimum is None or salary.minimum > 0
        assert salary.minimum is None or salary.maximum is None or salary.minimum <= salary.maximum
        assert salary.period in ("year", "month", "week", "day", "hour", "unknown")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The base salary range is $130K\u2013$146K.", (D(130000), D(146000), "USD", "year")),
        ("Pay: $120k+ plus equity", (D(120000), None, "USD", "year")),
        ("We pay \u20ac60\u201370k per year.", (D(60000), D(70000), "EUR", "year")),
        ("We pay EUR 60-70k per year.", (D(60000), D(70000), "EUR", "year")),
        ("Contract, $45/hr, 20 hours a week.", (D(45), D(45), "USD", "hour")),
        ("Gehalt: 60.000 - 70.000 \u20ac brutto", (D(60000), D(70000), "EUR", "year")),
        ("Compensation: up to $200k OTE", (None, D(200000), "USD", "year")),
        ("Five years of Python.\nSalary: \u00a385,000", (D(85000), D(85000), "GBP", "year")),
        ("Hourly pay: $24 to $28 CAD per hour.", (D(24), D(28), "CAD", "hour")),
        (
            "The base salary is CAD 150,000 to CAD 185,000 per year, plus bonus.",
            (D(150000), D(185000), "CAD", "year"),
        ),
    ],
)
def test_salary_in_description_text(text, expected):
    salary = salary_in_text(text)
    assert (salary.minimum, salary.maximum, salary.currency, salary.period) == expected


def test_a_figure_without_a_period_that_could_be_hourly_is_stored_as_unknown():
    salary = salary_in_text("Compensation: $45 - $60 depending on experience")
    assert (salary.minimum, salary.maximum, salary.period) == (D(45), D(60), "unknown")
    assert (salary.yearly_min, salary.yearly_max) == (None, None)


@pytest.mark.parametrize(
    "text",
    [
        "We raised $20M in our Series A from top investors.",
        "A $1,000 yearly learning budget and a $500 home-office stipend.",
        "Our customers save $2,000 per year on average.",
        "Python, 5+ years, remote in the EU.",
        "We pay well.",
    ],
)
def test_money_that_is_not_the_pay_is_not_a_salary(text):
    assert salary_in_text(text) is None

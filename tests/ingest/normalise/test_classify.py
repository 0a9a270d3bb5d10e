"""Tests for opportunities.ingest.classify: employment type and seniority."""

from __future__ import annotations

import pytest

from opportunities.ingest.normalise.classify import (
    EMPLOYMENT_TYPES,
    SENIORITIES,
    employment_type,
    seniority,
)


@pytest.mark.parametrize(
    ("source", "title", "expected"),
    [
        ("Full-time", "", "full_time"),
        ("FULL_TIME", "", "full_time"),
        ("Full Time", "", "full_time"),
        ("FullTime", "", "full_time"),
        ("Permanent", "", "full_time"),
        ("Contract", "", "contract"),
        ("Contractor", "", "contract"),
        ("Freelance", "", "contract"),
        ("Part-time", "", "part_time"),
        ("PartTime", "", "part_time"),
        ("Internship", "", "internship"),
        ("Intern", "", "internship"),
        ("Temporary", "", "temporary"),
        ("Fixed-term contract", "", "temporary"),
        ("Full-time, Permanent", "", "full_time"),
        (None, "ML Research Intern", "internship"),
        (None, "Prompt Engineer (Contract)", "contract"),
        (None, "AI Engineer - Contract", "contract"),
        (None, "Contract Intelligence Engineer", "full_time"),
        (None, "Internal Tools Engineer", "full_time"),
        (None, "Part-Time Data Annotator", "part_time"),
        (None, "Senior ML Engineer", "full_time"),
        ("", "", "full_time"),
    ],
)
def test_employment_type(source, title, expected):
    assert expected in EMPLOYMENT_TYPES
    assert employment_type(source, title) == expected


@pytest.mark.parametrize(
    ("source", "title", "expected"),
    [
        (None, "Machine Learning Intern", "intern"),
        (None, "Junior ML Engineer", "junior"),
        (None, "Jr. Data Scientist", "junior"),
        (None, "Graduate AI Engineer", "junior"),
        (None, "Entry Level Prompt Engineer", "junior"),
        (None, "Senior ML Engineer", "senior"),
        (None, "Sr. Applied Scientist", "senior"),
        (None, "Staff Research Engineer", "lead"),
        (None, "Principal AI Architect", "lead"),
        (None, "Tech Lead, Inference", "lead"),
        (None, "Senior Staff Engineer", "lead"),
        (None, "Engineering Manager, LLM Platform", "lead"),
        (None, "Manager, Machine Learning", "lead"),
        (None, "Product Manager, AI", ""),
        (None, "Head of AI", "executive"),
        (None, "Director of Machine Learning", "executive"),
        (None, "Senior Director, Research", "executive"),
        (None, "VP Engineering", "executive"),
        (None, "Chief AI Officer", "executive"),
        (None, "CTO", "executive"),
        (None, "Account Executive, AI Platform", ""),
        (None, "Software Engineer I", "junior"),
        (None, "Software Engineer II", "mid"),
        (None, "ML Engineer III, Platform", "senior"),
        (None, "Mid-level Backend Engineer", "mid"),
        (None, "Machine Learning Engineer", ""),
        ("Entry level", "ML Engineer", "junior"),
        ("Executive", "ML Engineer", "executive"),
        ("Mid-Senior level", "Senior ML Engineer", "senior"),
        ("Mid-Senior level", "ML Engineer", "mid"),
        ("Not Applicable", "Staff ML Engineer", "lead"),
    ],
)
def test_seniority(source, title, expected):
    assert expected in (*SENIORITIES, "")
    assert seniority(source, title) == expected

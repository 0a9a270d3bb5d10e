"""Which ATS job an address is: one reading for the parsers and the tracker."""

from __future__ import annotations

import pytest

from opportunities.ingest.parsers.job_pages import (
    ASHBY,
    GREENHOUSE,
    LEVER,
    JobPage,
    board_token,
    job_page,
    job_url,
)

UUID = "3f1c2a9e-1b2c-4d5e-8f90-a1b2c3d4e5f6"


@pytest.mark.parametrize(
    "url, page",
    [
        (
            "https://boards.greenhouse.io/acme/jobs/123",
            JobPage(GREENHOUSE, "boards.greenhouse.io", "acme", "123"),
        ),
        (
            "https://Job-Boards.EU.greenhouse.io/acme_labs/jobs/9/",
            JobPage(GREENHOUSE, "job-boards.eu.greenhouse.io", "acme_labs", "9"),
        ),
        (
            "https://boards.greenhouse.io/embed/job_app?for=acme&token=77",
            JobPage(GREENHOUSE, "boards.greenhouse.io", "acme", "77"),
        ),
        (f"https://jobs.lever.co/acme-ai/{UUID}", JobPage(LEVER, "jobs.lever.co", "acme-ai", UUID)),
        (
            f"https://jobs.eu.lever.co/acme/{UUID}/apply",
            JobPage(LEVER, "jobs.eu.lever.co", "acme", UUID),
        ),
        (
            f"https://jobs.ashbyhq.com/Lumen%20Labs/{UUID}/application",
            JobPage(ASHBY, "jobs.ashbyhq.com", "Lumen%20Labs", UUID),
        ),
    ],
)
def test_a_job_address_names_its_system_board_and_job(url, page):
    assert job_page(url) == page


@pytest.mark.parametrize(
    "url",
    [
        "https://boards.greenhouse.io/acme",  # the board, not a job
        "https://boards.greenhouse.io/acme/jobs/abc",
        "https://boards.greenhouse.io/embed/job_app?for=acme&token=x1",
        "https://jobs.lever.co/acme/not-a-uuid",
        "https://boards.greenhouse.io.evil.example/acme/jobs/1",
        "ftp://boards.greenhouse.io/acme/jobs/1",
        "http://[::1",  # not a URL at all
        "",
        None,
    ],
)
def test_other_addresses_are_no_job(url):
    assert job_page(url) is None


@pytest.mark.parametrize(
    "url, token",
    [
        ("https://boards.greenhouse.io/acme", "acme"),
        ("https://jobs.ashbyhq.com/acme/", "acme"),
        ("https://boards.greenhouse.io/embed/job_app?for=acme&token=1", None),
        ("https://example.com/acme/jobs/1", None),
    ],
)
def test_the_board_token_is_read_from_any_board_page(url, token):
    assert board_token(url) == token


@pytest.mark.parametrize("kind", [GREENHOUSE, LEVER, ASHBY])
def test_a_made_job_url_reads_back_as_the_same_job(kind):
    job_id = "4242" if kind == GREENHOUSE else UUID
    page = job_page(job_url(kind, "acme", job_id))
    assert (page.kind, page.board, page.job_id) == (kind, "acme", job_id)

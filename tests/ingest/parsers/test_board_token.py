"""Company names read off the board tokens in ATS job URLs, for payloads that name none."""

from __future__ import annotations

import pytest

from opportunities.ingest.parsers.common import company_from_board_token
from opportunities.ingest.parsers.job_pages import board_token


@pytest.mark.parametrize(
    "url, token",
    [
        ("https://boards.greenhouse.io/vectorworks/jobs/123", "vectorworks"),
        ("https://job-boards.eu.greenhouse.io/acme_labs/jobs/9", "acme_labs"),
        ("https://jobs.lever.co/acme-ai/3f1c2a9e", "acme-ai"),
        ("https://jobs.eu.lever.co/acme/3f1c2a9e/apply", "acme"),
        ("https://jobs.ashbyhq.com/Lumen%20Labs/5d1c", "Lumen%20Labs"),
        ("https://example.com/jobs/123", None),
        ("https://boards.greenhouse.io.evil.example/acme/jobs/1", None),
        (None, None),
    ],
)
def test_the_board_token_is_read_from_job_urls(url, token):
    assert board_token(url) == token


@pytest.mark.parametrize(
    "token, name",
    [
        ("acme-ai", "Acme AI"),
        ("vectorworks", "Vectorworks"),
        ("Lumen%20Labs", "Lumen Labs"),
        ("deep_mind.io", "Deep Mind IO"),
        ("---", None),
        ("", None),
        (None, None),
    ],
)
def test_a_company_name_is_made_from_a_board_token(token, name):
    assert company_from_board_token(token) == name

"""Tests for opportunities.tracker.outside: an outside role filled in from its web address.

Every page and board API is served by a local HTTP server; a fence refuses any DNS lookup
but localhost's and any connection off the loopback interface, so nothing leaves the machine.
"""

from __future__ import annotations

import ipaddress
import json
import socket
from dataclasses import dataclass, field

import pytest
from pytest_httpserver import HTTPServer

from opportunities.tracker import outside
from opportunities.tracker.outside import (
    OutsideRole,
    OutsideRoleError,
    normalise_url,
    outside_role_from_url,
)
from tests import paths
from tests.ingest.samples import SAMPLES

FIXTURES = paths.FIXTURES / "tracker"
GREENHOUSE_JOB_ID = "4012345"
LEVER_POSTING_ID = "3f2a9c1e-7b4d-4e8a-9c0f-5d6e7f8a9b0c"
ASHBY_JOB_ID = "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d"

_real_getaddrinfo = socket.getaddrinfo
_real_connect = socket.socket.connect


@dataclass
class Fence:
    """What the code under test tried to look up or connect to."""

    lookups: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)


@pytest.fixture(autouse=True)
def fence(monkeypatch: pytest.MonkeyPatch):
    """Let only localhost and IP literals resolve and only loopback connect; none refused."""
    fence = Fence()

    def getaddrinfo(host, port, *args, **kwargs):
        name = host.decode() if isinstance(host, bytes) else str(host)
        fence.lookups.append(name)
        if name != "localhost" and not _is_ip(name):
            fence.refused.append(name)
            raise socket.gaierror(socket.EAI_NONAME, "refused by the test's fence")
        return _real_getaddrinfo(host, port, *args, **kwargs)

    def connect(sock: socket.socket, address) -> None:
        if not ipaddress.ip_address(address[0].partition("%")[0]).is_loopback:
            fence.refused.append(address[0])
            raise OSError("refused by the test's fence")
        _real_connect(sock, address)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    monkeypatch.setattr(socket.socket, "connect", connect)
    yield fence
    assert fence.refused == [], "the code tried to leave the machine"


def _is_ip(name: str) -> bool:
    try:
        ipaddress.ip_address(name.partition("%")[0])
    except ValueError:
        return False
    return True


@pytest.fixture(autouse=True)
def loopback_allowed(settings) -> None:
    """The local server is on loopback, which the guard refuses unless told otherwise."""
    settings.INGEST_ALLOW_LOOPBACK = True


@pytest.fixture
def boards(httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch) -> HTTPServer:
    """The local server standing in for the Greenhouse, Lever and Ashby APIs."""
    monkeypatch.setattr(outside, "GREENHOUSE_API", httpserver.url_for("/v1/boards"))
    monkeypatch.setattr(outside, "LEVER_API", httpserver.url_for("/v0/postings"))
    monkeypatch.setattr(outside, "LEVER_EU_API", httpserver.url_for("/eu/v0/postings"))
    monkeypatch.setattr(outside, "ASHBY_API", httpserver.url_for("/posting-api/job-board"))
    return httpserver


def fixture_bytes(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def serve_page(server: HTTPServer, path: str, body: bytes | str, **options) -> str:
    options.setdefault("content_type", "text/html; charset=utf-8")
    server.expect_request(path).respond_with_data(body, **options)
    return server.url_for(path)


# --- normalise_url ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("https://Jobs.Example.COM/Role/42/", "https://jobs.example.com/Role/42"),
        ("HTTPS://example.com/jobs#apply", "https://example.com/jobs"),
        (
            "https://example.com/jobs/1?utm_source=x&UTM_Medium=y&team=ml&gh_src=abc&ref=hn",
            "https://example.com/jobs/1?team=ml",
        ),
        ("https://jobs.lever.co/acme/1/?lever-source=LinkedIn", "https://jobs.lever.co/acme/1"),
        ("https://example.com:443/a", "https://example.com/a"),
        ("http://example.com:80/a", "http://example.com/a"),
        ("http://example.com:8080/a", "http://example.com:8080/a"),
        ("https://example.com/", "https://example.com"),
        ("  https://example.com/a?q=a%20b&utm_campaign=z  ", "https://example.com/a?q=a%20b"),
        ("https://[2001:DB8::1]/jobs/", "https://[2001:db8::1]/jobs"),
        ("not a url\x00", "not a url"),
    ],
)
def test_normalise_url(given: str, expected: str) -> None:
    assert normalise_url(given) == expected


def test_normalise_url_is_idempotent_and_keeps_a_meaningful_query_order() -> None:
    once = normalise_url("https://EXAMPLE.com/jobs/?b=2&a=1&utm_id=3#top")
    assert once == "https://example.com/jobs?b=2&a=1"
    assert normalise_url(once) == once


# --- Addresses refused before anything is fetched ------------------------------------------


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ("", "Enter the web address of the job posting."),
        ("   ", "Enter the web address of the job posting."),
        ("ftp://example.com/job.txt", "starts with https:// or http://"),
        ("javascript:alert(1)", "starts with https:// or http://"),
        ("mailto:jobs@example.com", "starts with https:// or http://"),
        ("example.com/jobs/1", "starts with https:// or http://"),
        ("https://", "no site name"),
        ("https://user:secret@example.com/job", "user name or password"),
        ("https://example.com/a job", "cannot contain spaces"),
        ("http://[::1/job", "not a valid web address"),
        ("https://example.com/" + "a" * 2100, "longer than 2000 characters"),
    ],
)
def test_an_address_that_cannot_be_fetched_is_refused_in_plain_words(
    given: str, message: str, fence: Fence
) -> None:
    with pytest.raises(OutsideRoleError) as caught:
        outside_role_from_url(given)
    assert message in caught.value.message
    assert str(caught.value) == caught.value.message
    assert fence.lookups == []


# --- A page with schema.org JobPosting JSON-LD -----------------------------------------------


def test_a_jobposting_page_fills_every_field_cleaned(httpserver: HTTPServer) -> None:
    url = serve_page(httpserver, "/jobs/ml-platform", fixture_bytes("jobposting.html"))

    role = outside_role_from_url(url + "?utm_source=newsletter")

    assert role.found_by == "jsonld"
    assert role.title == "ML Platform Engineer"  # the bidi override and NUL are gone
    assert role.company_name == "Vectorial Labs"  # hiringOrganization wins over og:site_name
    assert role.location == "Berlin, DE"
    assert "Run the GPU clusters" in role.description_html
    assert "Kubernetes, Ray and PyTorch." in role.description_html
    assert "<script" not in role.description_html
    assert "alert(1)" not in role.description_html
    assert "onclick" not in role.description_html
    assert (role.salary_min, role.salary_max) == (85000, 110000)
    assert (role.salary_currency, role.salary_period) == ("EUR", "year")
    assert role.employment_type == "full_time"
    # The posting's own address, tracking parameters and trailing slash dropped for duplicates.
    assert role.canonical_url == "https://careers.vectorial.example/jobs/ml-platform-engineer"
    assert role.apply_url.startswith("https://careers.vectorial.example/jobs/ml-platform-engineer")


def test_of_several_postings_the_one_about_the_page_is_taken_after_a_redirect(
    httpserver: HTTPServer,
) -> None:
    page = serve_page(
        httpserver, "/careers/evaluation-engineer", fixture_bytes("jobposting-no-company.html")
    )
    httpserver.expect_request("/go/42").respond_with_data(
        "", status=302, headers={"Location": "/careers/evaluation-engineer"}
    )

    role = outside_role_from_url(httpserver.url_for("/go/42"))

    assert role.found_by == "jsonld"
    assert role.title == "Evaluation Engineer"
    assert role.company_name == "Lanternfish AI"  # no hiringOrganization: the site's name
    assert role.location == "Remote"
    assert role.employment_type == "contract"
    assert role.canonical_url == normalise_url(page)
    assert role.apply_url == page
    assert role.description_html == "<p>Own our evaluation harness.</p>"


# --- Open Graph, a bare title, nothing ----------------------------------------------------------


def test_a_page_with_only_open_graph_tags_gives_title_company_and_description(
    httpserver: HTTPServer,
) -> None:
    url = serve_page(httpserver, "/careers/prompt-engineer/", fixture_bytes("opengraph.html"))

    role = outside_role_from_url(url + "?ref=twitter")

    assert role.found_by == "opengraph"
    assert role.title == "Senior Prompt Engineer"  # the site's name after a dash is dropped
    assert role.company_name == "Northwind Robotics"
    # og:description is text: its "<b>" is shown as written, never made a tag.
    assert role.description_html == (
        "<p>Design evaluations for our &lt;b&gt;agents&lt;/b&gt; &amp; the tools they call.</p>"
    )
    assert role.apply_url == url + "?ref=twitter"
    # og:url points at the home page, so the address the user gave is the canonical one.
    assert role.canonical_url == normalise_url(url)
    assert (role.salary_min, role.salary_max, role.location) == (None, None, "")


def test_a_page_with_only_a_title_gives_the_title_not_an_icons(httpserver: HTTPServer) -> None:
    page = (
        "<html><body><svg><title>Logo</title></svg>"
        "<title>  Data\n   Scientist\u202e </title><p>Apply by e-mail.</p></body></html>"
    )
    url = serve_page(httpserver, "/data-scientist", page)

    role = outside_role_from_url(url)

    assert (role.found_by, role.title, role.company_name) == ("opengraph", "Data Scientist", "")


def test_a_page_that_breaks_the_html_parser_still_gives_what_came_before(
    httpserver: HTTPServer,
) -> None:
    # html.parser gives up on a "<![" section it does not know, even one after the head.
    page = "<html><head><title>Agent Engineer</title></head><body><![x old markup</body></html>"
    url = serve_page(httpserver, "/agent-engineer", page)

    role = outside_role_from_url(url)

    assert (role.found_by, role.title) == ("opengraph", "Agent Engineer")


def test_a_bare_page_leaves_everything_but_the_address_to_the_user(
    httpserver: HTTPServer,
) -> None:
    url = serve_page(httpserver, "/app/", fixture_bytes("bare.html"))

    role = outside_role_from_url(url + "#jobs/12")

    assert role == OutsideRole(
        apply_url=url + "#jobs/12", canonical_url=normalise_url(url), found_by="none"
    )


def test_a_document_that_is_not_a_page_is_left_to_the_user(httpserver: HTTPServer) -> None:
    url = serve_page(
        httpserver,
        "/posting.pdf",
        b"%PDF-1.7 <title>not read</title>",
        content_type="application/pdf",
    )

    role = outside_role_from_url(url)

    assert (role.found_by, role.title, role.apply_url) == ("none", "", url)


# --- Greenhouse ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "address",
    [
        f"https://boards.greenhouse.io/quillion/jobs/{GREENHOUSE_JOB_ID}",
        f"https://job-boards.greenhouse.io/quillion/jobs/{GREENHOUSE_JOB_ID}?gh_src=abc1",
        f"https://boards.greenhouse.io/embed/job_app?for=quillion&token={GREENHOUSE_JOB_ID}",
    ],
)
def test_a_greenhouse_job_is_read_through_the_job_board_api(
    address: str, boards: HTTPServer
) -> None:
    boards.expect_request(f"/v1/boards/quillion/jobs/{GREENHOUSE_JOB_ID}").respond_with_data(
        fixture_bytes("greenhouse-job.json"), content_type="application/json"
    )

    role = outside_role_from_url(address)

    assert role.found_by == "greenhouse"
    assert role.title == "Staff LLM Inference Engineer"
    assert role.company_name == "Quillion AI"
    assert role.location == "Remote - Europe"
    # The API's extra layer of escaping is undone, then the HTML sanitised.
    assert "<h2>The role</h2>" in role.description_html
    assert "fast &amp; cheap" in role.description_html
    assert "<script" not in role.description_html
    assert (role.salary_min, role.salary_max, role.salary_currency) == (120000, 150000, "EUR")
    assert role.salary_period == "year"
    assert role.employment_type == "full_time"
    assert role.apply_url == "https://job-boards.greenhouse.io/quillion/jobs/4012345"
    assert role.canonical_url == "https://job-boards.greenhouse.io/quillion/jobs/4012345"
    boards.check_assertions()


def test_a_greenhouse_job_without_a_company_name_takes_the_boards(boards: HTTPServer) -> None:
    job = json.loads(fixture_bytes("greenhouse-job.json"))
    del job["company_name"]
    boards.expect_request(f"/v1/boards/quillion/jobs/{GREENHOUSE_JOB_ID}").respond_with_json(job)
    boards.expect_request("/v1/boards/quillion").respond_with_data(
        fixture_bytes("greenhouse-board.json"), content_type="application/json"
    )

    role = outside_role_from_url(f"https://boards.greenhouse.io/quillion/jobs/{GREENHOUSE_JOB_ID}")

    assert (role.title, role.company_name) == ("Staff LLM Inference Engineer", "Quillion AI")


def test_a_greenhouse_board_that_cannot_be_read_leaves_the_name_its_token_gives(
    boards: HTTPServer,
) -> None:
    job = json.loads(fixture_bytes("greenhouse-job.json"))
    del job["company_name"]
    boards.expect_request(f"/v1/boards/quillion/jobs/{GREENHOUSE_JOB_ID}").respond_with_json(job)
    boards.expect_request("/v1/boards/quillion").respond_with_data("gone", status=404)

    role = outside_role_from_url(f"https://boards.greenhouse.io/quillion/jobs/{GREENHOUSE_JOB_ID}")

    # The user confirms or corrects this guess before the role is saved.
    assert (role.found_by, role.company_name) == ("greenhouse", "Quillion")
    assert role.title == "Staff LLM Inference Engineer"


def test_a_closed_greenhouse_job_says_so(boards: HTTPServer) -> None:
    boards.expect_request(f"/v1/boards/quillion/jobs/{GREENHOUSE_JOB_ID}").respond_with_json(
        {"status": 404, "error": "Job not found"}, status=404
    )

    with pytest.raises(OutsideRoleError) as caught:
        outside_role_from_url(f"https://boards.greenhouse.io/quillion/jobs/{GREENHOUSE_JOB_ID}")

    assert caught.value.message == (
        "That job could not be fetched from Greenhouse: the site says there is no such page "
        "(error 404); it may have closed."
    )


def test_a_greenhouse_answer_that_is_not_a_job_is_a_plain_error(boards: HTTPServer) -> None:
    boards.expect_request(f"/v1/boards/quillion/jobs/{GREENHOUSE_JOB_ID}").respond_with_data(
        "<html>maintenance</html>", content_type="text/html"
    )

    with pytest.raises(OutsideRoleError) as caught:
        outside_role_from_url(f"https://boards.greenhouse.io/quillion/jobs/{GREENHOUSE_JOB_ID}")

    assert caught.value.message.startswith(
        "Greenhouse answered with something that is not a job posting"
    )


def test_a_greenhouse_page_that_is_not_a_job_is_read_as_a_page(
    httpserver: HTTPServer, fence: Fence
) -> None:
    # Only job addresses go to the API; the board's own page is fetched like any other page,
    # and here the fence refuses its name, which the user sees as a page not fetched.
    with pytest.raises(OutsideRoleError) as caught:
        outside_role_from_url("https://boards.greenhouse.io/quillion")

    assert caught.value.message.startswith("That page could not be fetched: could not resolve")
    assert fence.refused == ["boards.greenhouse.io"]
    assert not httpserver.log
    fence.refused.clear()  # refused on purpose


# --- Lever --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("address", "api"),
    [
        (f"https://jobs.lever.co/heronworks/{LEVER_POSTING_ID}", "/v0/postings"),
        (
            f"https://jobs.lever.co/heronworks/{LEVER_POSTING_ID}/apply?lever-source=x",
            "/v0/postings",
        ),
        (f"https://jobs.eu.lever.co/heronworks/{LEVER_POSTING_ID}", "/eu/v0/postings"),
    ],
)
def test_a_lever_posting_is_read_through_the_postings_api(
    address: str, api: str, boards: HTTPServer
) -> None:
    boards.expect_request(f"{api}/heronworks/{LEVER_POSTING_ID}").respond_with_data(
        fixture_bytes("lever-posting.json"), content_type="application/json"
    )

    role = outside_role_from_url(address)

    assert role.found_by == "lever"
    assert role.title == "Applied Scientist, Retrieval"
    # Lever's API does not name the company: the board token gives a guess the user confirms.
    assert role.company_name == "Heronworks"
    assert role.location == "New York, NY; Boston, MA"
    assert "Improve retrieval for our assistant." in role.description_html
    assert "<h3>Benefits</h3>" in role.description_html
    # Lever's separate requirement lists come back under headings.
    assert "<h3>Requirements</h3><ul><li>Python</li>" in role.description_html
    assert "<h3>Nice to have</h3><ul><li>Rust</li></ul>" in role.description_html
    assert (role.salary_min, role.salary_max) == (170000, 210000)
    assert (role.salary_currency, role.salary_period) == ("USD", "year")
    assert role.employment_type == "contract"
    assert role.apply_url == f"https://jobs.lever.co/heronworks/{LEVER_POSTING_ID}/apply"
    assert role.canonical_url == f"https://jobs.lever.co/heronworks/{LEVER_POSTING_ID}"
    boards.check_assertions()


# --- Ashby --------------------------------------------------------------------------------------


def test_an_ashby_job_is_picked_from_the_board_api(boards: HTTPServer) -> None:
    boards.expect_request(
        "/posting-api/job-board/kestrel", query_string="includeCompensation=true"
    ).respond_with_data(fixture_bytes("ashby-board.json"), content_type="application/json")

    role = outside_role_from_url(f"https://jobs.ashbyhq.com/kestrel/{ASHBY_JOB_ID}/application")

    assert role.found_by == "ashby"
    assert role.title == "Research Engineer, Agents"
    assert role.location == "Amsterdam; Remote (EU)"
    assert "We teach agents to use tools." in role.description_html
    assert (role.salary_min, role.salary_max) == (90000, 110000)
    assert (role.salary_currency, role.salary_period) == ("EUR", "year")
    assert role.employment_type == "part_time"
    assert role.apply_url == f"https://jobs.ashbyhq.com/kestrel/{ASHBY_JOB_ID}/application"
    assert role.canonical_url == f"https://jobs.ashbyhq.com/kestrel/{ASHBY_JOB_ID}"
    boards.check_assertions()


@pytest.mark.parametrize(
    "job_id",
    [
        "11111111-2222-4333-8444-555555555555",  # unlisted: hidden from the public
        "00000000-0000-4000-8000-000000000000",  # not on the board at all
    ],
)
def test_an_ashby_job_the_board_does_not_list_is_a_plain_error(
    job_id: str, boards: HTTPServer
) -> None:
    boards.expect_request("/posting-api/job-board/kestrel").respond_with_data(
        fixture_bytes("ashby-board.json"), content_type="application/json"
    )

    with pytest.raises(OutsideRoleError) as caught:
        outside_role_from_url(f"https://jobs.ashbyhq.com/kestrel/{job_id}")

    assert caught.value.message.startswith("Ashby lists no open job at that address")
    assert "add it by hand" in caught.value.message


# --- Fetch errors -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "reason"),
    [
        (404, "the site says there is no such page (error 404); it may have closed"),
        (410, "the site says there is no such page (error 410); it may have closed"),
        (403, "the site does not let us read it (error 403)"),
        (429, "the site is busy (error 429); try again in a minute"),
        (503, "the site has a problem (error 503); try again later"),
        (418, "the site answered with error 418"),
    ],
)
def test_an_error_status_becomes_a_plain_message(
    status: int, reason: str, httpserver: HTTPServer
) -> None:
    url = serve_page(httpserver, "/job", "no", status=status)

    with pytest.raises(OutsideRoleError) as caught:
        outside_role_from_url(url)

    assert caught.value.message == f"That page could not be fetched: {reason}."


def test_a_loopback_address_is_refused_outside_tests(httpserver: HTTPServer, settings) -> None:
    settings.INGEST_ALLOW_LOOPBACK = False
    url = serve_page(httpserver, "/job", fixture_bytes("jobposting.html"))

    with pytest.raises(OutsideRoleError) as caught:
        outside_role_from_url(url)

    assert caught.value.message == (
        "That page could not be fetched: its address is not on the public internet."
    )
    assert not httpserver.log


@pytest.mark.parametrize(
    "address", ["http://10.0.0.7/jobs/1", "http://169.254.169.254/latest/", "http://[fd00::1]/"]
)
def test_a_private_address_is_refused_before_connecting(address: str) -> None:
    with pytest.raises(OutsideRoleError) as caught:
        outside_role_from_url(address)

    assert caught.value.message == (
        "That page could not be fetched: its address is not on the public internet."
    )


def test_a_page_over_the_size_cap_is_refused(
    httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(outside, "PAGE_MAX_BYTES", 64 * 1024)
    url = serve_page(httpserver, "/huge", b"<html>" + b"x" * (100 * 1024))

    with pytest.raises(OutsideRoleError) as caught:
        outside_role_from_url(url)

    assert caught.value.message == "That page could not be fetched: it is larger than 64 KB."


def test_a_server_that_is_not_there_is_a_plain_message() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    # Nothing listens on the port once the probe is closed.

    with pytest.raises(OutsideRoleError) as caught:
        outside_role_from_url(f"http://127.0.0.1:{port}/job")

    assert caught.value.message.startswith("That page could not be fetched: could not connect")


# --- The shared real samples ----------------------------------------------------------------


def _shared_jsonld_pages() -> list:
    """Every shared sample that carries JSON-LD in a script tag, or one skipped test."""
    if not SAMPLES.is_dir():
        return [pytest.param(None, marks=pytest.mark.skip(reason="no shared samples folder"))]
    return sorted(
        path.relative_to(SAMPLES).as_posix()
        for path in SAMPLES.rglob("*")
        if path.is_file()
        and path.name != "INDEX.md"
        and b"application/ld+json" in path.read_bytes()
    )


@pytest.mark.parametrize("name", _shared_jsonld_pages())
def test_every_shared_jsonld_page_gives_a_title(name: str, httpserver: HTTPServer) -> None:
    url = serve_page(httpserver, "/careers/role", (SAMPLES / name).read_bytes())

    role = outside_role_from_url(url)

    assert role.found_by == "jsonld"
    assert role.title.strip()
    assert role.canonical_url == normalise_url(url)

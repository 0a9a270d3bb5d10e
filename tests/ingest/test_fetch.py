"""Tests for opportunities.ingest.fetch: limits, conditional requests and the address guard.

Every test runs inside a fence: a connect to any non-loopback address or a DNS lookup of a
name the test did not fake fails the test, so nothing here leaves the machine.
"""

from __future__ import annotations

import contextlib
import gzip
import ipaddress
import re
import socket
import threading
import time
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Response

from opportunities.ingest.fetch import (
    DEFAULT_USER_AGENT,
    BlockedAddress,
    FetchError,
    HTTPStatusError,
    InvalidLocation,
    NetworkError,
    TooLarge,
    TooManyRedirects,
    check_url,
    fetch,
    open_location,
)

_real_getaddrinfo = socket.getaddrinfo
_real_connect = socket.socket.connect


@dataclass
class Fence:
    """Records connects and DNS lookups; answers only the names a test registers."""

    connects: list[tuple[str, int]] = field(default_factory=list)
    lookups: list[str] = field(default_factory=list)
    answers: dict[str, list[list[str]]] = field(default_factory=dict)

    def answer(self, name: str, *answers: list[str]) -> None:
        """Resolve `name` to each answer in turn; the last one repeats."""
        self.answers[name] = list(answers)

    def getaddrinfo(self, host, port, family=0, type=0, proto=0, flags=0):
        """Stand-in for socket.getaddrinfo: IP spellings resolve for real, names from answers."""
        name = host.decode() if isinstance(host, bytes) else str(host)
        self.lookups.append(name)
        if _is_numeric(name):
            # Numeric spellings (127.1, 0x7f000001, ::1) are parsed locally: no packet is sent.
            return _real_getaddrinfo(host, port, family, type, proto, flags)
        if name not in self.answers:
            raise AssertionError(f"test tried a real DNS lookup of {name!r}")
        queue = self.answers[name]
        addresses = queue.pop(0) if len(queue) > 1 else queue[0]
        if not addresses:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return [_addrinfo(address, int(port)) for address in addresses]


def _is_numeric(host: str) -> bool:
    """Whether the C library reads `host` as an IP address without asking DNS."""
    try:
        ipaddress.ip_address(host)
    except ValueError:
        try:
            socket.inet_aton(host)
        except OSError:
            return False
    return True


def _addrinfo(address: str, port: int) -> tuple:
    """One getaddrinfo entry for an IP literal."""
    if ipaddress.ip_address(address).version == 6:
        return (socket.AF_INET6, socket.SOCK_STREAM, 6, "", (address, port, 0, 0))
    return (socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))


@pytest.fixture(autouse=True)
def fence(monkeypatch: pytest.MonkeyPatch) -> Fence:
    """Keep every test on the loopback interface and record what it tried."""
    fence = Fence()
    fence.answer("localhost", ["127.0.0.1", "::1"])

    def guarded_connect(sock: socket.socket, address) -> None:
        if not ipaddress.ip_address(address[0].partition("%")[0]).is_loopback:
            raise AssertionError(f"test tried to connect to {address[0]}")
        fence.connects.append((address[0], address[1]))
        _real_connect(sock, address)

    monkeypatch.setattr(socket, "getaddrinfo", fence.getaddrinfo)
    monkeypatch.setattr(socket.socket, "connect", guarded_connect)
    return fence


@pytest.fixture(scope="module")
def local_server() -> Iterator[HTTPServer]:
    """One HTTP server on 127.0.0.1 for the whole module."""
    server = HTTPServer(host="127.0.0.1", port=0)
    server.start()
    yield server
    server.clear()
    server.stop()


@pytest.fixture
def server(local_server: HTTPServer) -> Iterator[HTTPServer]:
    """The local server with no handlers and an empty log."""
    local_server.clear()
    yield local_server
    local_server.clear()


def url(server: HTTPServer, path: str) -> str:
    """The server's URL for `path`, spelled with the IP so no lookup is needed."""
    return f"http://127.0.0.1:{server.port}{path}"


# --- Normal fetches and conditional requests ------------------------------------------------


def test_fetch_returns_body_and_validators(server: HTTPServer) -> None:
    server.expect_request(
        "/feed.xml", headers={"User-Agent": DEFAULT_USER_AGENT}
    ).respond_with_data(
        "<rss/>",
        content_type="application/rss+xml",
        headers={"ETag": '"v1"', "Last-Modified": "Wed, 01 Jan 2025 00:00:00 GMT"},
    )

    with fetch(url(server, "/feed.xml"), allow_loopback=True) as result:
        assert result.body is not None
        assert result.body.read() == b"<rss/>"
        assert result.status == 200
        assert result.size == 6
        assert result.url == url(server, "/feed.xml")
        assert result.etag == '"v1"'
        assert result.last_modified == "Wed, 01 Jan 2025 00:00:00 GMT"
        assert result.content_type == "application/rss+xml"
        assert result.not_modified is False


def test_user_agent_is_configurable(server: HTTPServer) -> None:
    server.expect_request("/feed", headers={"User-Agent": "TestBot/2"}).respond_with_data("ok")

    with fetch(url(server, "/feed"), allow_loopback=True, user_agent="TestBot/2") as result:
        assert result.body is not None and result.body.read() == b"ok"


def test_etag_round_trip_gives_not_modified(server: HTTPServer) -> None:
    server.expect_oneshot_request("/feed").respond_with_data("v1", headers={"ETag": '"abc"'})
    server.expect_oneshot_request("/feed", headers={"If-None-Match": '"abc"'}).respond_with_data(
        "", status=304, headers={"ETag": '"abc"'}
    )

    first = fetch(url(server, "/feed"), allow_loopback=True)
    first.close()
    second = fetch(url(server, "/feed"), etag=first.etag, allow_loopback=True)

    assert second.not_modified is True
    assert second.status == 304
    assert second.body is None
    assert second.etag == '"abc"'
    server.check_assertions()


def test_last_modified_round_trip_gives_not_modified(server: HTTPServer) -> None:
    stamp = "Tue, 04 Mar 2025 10:00:00 GMT"
    server.expect_oneshot_request("/feed").respond_with_data("v1", headers={"Last-Modified": stamp})
    server.expect_oneshot_request("/feed", headers={"If-Modified-Since": stamp}).respond_with_data(
        "", status=304
    )

    first = fetch(url(server, "/feed"), allow_loopback=True)
    first.close()
    second = fetch(url(server, "/feed"), last_modified=first.last_modified, allow_loopback=True)

    assert second.not_modified is True
    assert second.body is None
    assert second.last_modified == stamp  # kept, though the 304 did not repeat it
    server.check_assertions()


def test_gzip_body_is_decoded(server: HTTPServer) -> None:
    server.expect_request("/feed").respond_with_data(
        gzip.compress(b"<rss>" * 100), headers={"Content-Encoding": "gzip"}
    )

    with fetch(url(server, "/feed"), allow_loopback=True) as result:
        assert result.body is not None and result.body.read() == b"<rss>" * 100


# --- Size cap -------------------------------------------------------------------------------


def test_body_at_the_cap_is_accepted(server: HTTPServer) -> None:
    server.expect_request("/feed").respond_with_data(b"x" * 1000)

    with fetch(url(server, "/feed"), max_bytes=1000, allow_loopback=True) as result:
        assert result.size == 1000


def test_declared_length_over_the_cap_is_refused(server: HTTPServer) -> None:
    server.expect_request("/feed").respond_with_data(b"x" * 1001)

    with pytest.raises(TooLarge, match="larger than 1000 bytes") as caught:
        fetch(url(server, "/feed"), max_bytes=1000, allow_loopback=True)

    assert caught.value.limit == 1000
    assert caught.value.retryable is False


def test_streamed_body_over_the_cap_is_cut_off(server: HTTPServer) -> None:
    def endless() -> Iterator[bytes]:
        for _ in range(1000):
            yield b"x" * 1024

    # No Content-Length: the server streams chunked and only counting can stop it.
    server.expect_request("/feed").respond_with_response(Response(endless()))

    with pytest.raises(TooLarge, match="larger than 51200 bytes"):
        fetch(url(server, "/feed"), max_bytes=50 * 1024, allow_loopback=True)


def test_cap_applies_to_the_decoded_size_of_a_gzip_body(server: HTTPServer) -> None:
    bomb = gzip.compress(b"\0" * 3 * 1024 * 1024)
    server.expect_request("/feed").respond_with_data(bomb, headers={"Content-Encoding": "gzip"})

    with pytest.raises(TooLarge, match="larger than 1 MB"):
        fetch(url(server, "/feed"), max_bytes=1024 * 1024, allow_loopback=True)

    assert len(bomb) < 1024 * 1024


# --- Redirects ------------------------------------------------------------------------------


def _redirect_chain(server: HTTPServer, hops: int) -> None:
    for hop in range(hops):
        server.expect_request(f"/hop{hop}").respond_with_data(
            "", status=302, headers={"Location": f"/hop{hop + 1}"}
        )
    server.expect_request(f"/hop{hops}").respond_with_data("arrived")


def test_five_redirects_are_followed(server: HTTPServer) -> None:
    _redirect_chain(server, 5)

    with fetch(url(server, "/hop0"), allow_loopback=True) as result:
        assert result.body is not None and result.body.read() == b"arrived"
        assert result.url == url(server, "/hop5")


def test_a_sixth_redirect_is_refused(server: HTTPServer) -> None:
    _redirect_chain(server, 6)

    with pytest.raises(TooManyRedirects, match="more than 5 redirects") as caught:
        fetch(url(server, "/hop0"), allow_loopback=True)

    assert caught.value.limit == 5
    assert len(server.log) == 6


@pytest.mark.parametrize(
    "target",
    [
        "http://169.254.169.254/latest/meta-data/",
        "http://10.0.0.1/",
        "http://192.168.1.1:8080/admin",
        "http://[fd00:ec2::254]/latest/meta-data/",
    ],
)
def test_redirect_inside_is_refused_before_connecting(
    server: HTTPServer, fence: Fence, target: str
) -> None:
    server.expect_request("/feed").respond_with_data("", status=302, headers={"Location": target})

    with pytest.raises(BlockedAddress, match="refused to connect") as caught:
        fetch(url(server, "/feed"), allow_loopback=True)

    assert caught.value.url == target
    assert fence.connects == [("127.0.0.1", server.port)]


def test_redirect_to_a_name_that_resolves_inside_is_refused(
    server: HTTPServer, fence: Fence
) -> None:
    fence.answer("intranet.example.com", ["10.0.0.1"])
    server.expect_request("/feed").respond_with_data(
        "", status=301, headers={"Location": "http://intranet.example.com/jobs"}
    )

    with pytest.raises(BlockedAddress) as caught:
        fetch(url(server, "/feed"), allow_loopback=True)

    assert str(caught.value) == (
        "refused to connect to intranet.example.com (10.0.0.1): private addresses are not allowed"
    )
    assert caught.value.address == "10.0.0.1"
    assert fence.connects == [("127.0.0.1", server.port)]


@pytest.mark.parametrize("target", ["file:///etc/passwd", "gopher://127.0.0.1:6379/_INFO"])
def test_redirect_to_another_scheme_is_refused(server: HTTPServer, target: str) -> None:
    server.expect_request("/feed").respond_with_data("", status=302, headers={"Location": target})

    with pytest.raises(InvalidLocation, match="only http and https"):
        fetch(url(server, "/feed"), allow_loopback=True)


# --- The address guard ----------------------------------------------------------------------


def test_local_server_is_refused_without_the_allowance(server: HTTPServer, fence: Fence) -> None:
    server.expect_request("/feed").respond_with_data("secret")

    with pytest.raises(BlockedAddress) as caught:
        fetch(url(server, "/feed"))

    assert str(caught.value) == (
        "refused to connect to 127.0.0.1: loopback addresses are not allowed"
    )
    assert caught.value.retryable is False
    assert fence.connects == []
    assert server.log == []


@pytest.mark.parametrize(
    ("location", "address"),
    [
        ("http://127.0.0.1/", "127.0.0.1"),
        ("http://[::1]/", "::1"),
        ("http://2130706433/", "127.0.0.1"),  # decimal
        ("http://0x7f000001/", "127.0.0.1"),  # hex
        ("http://0x7f.0.0.1/", "127.0.0.1"),  # hex first octet
        ("http://017700000001/", "127.0.0.1"),  # octal
        ("http://127.1/", "127.0.0.1"),  # short form
        ("http://169.254.169.254/latest/meta-data", "169.254.169.254"),
        ("http://[::ffff:127.0.0.1]/", "::ffff:127.0.0.1"),
        ("http://localhost/", "127.0.0.1"),
        ("http://0.0.0.0/", "0.0.0.0"),  # noqa: S104 - an address, not a bind
        ("https://127.0.0.1:8443/", "127.0.0.1"),
    ],
)
def test_loopback_and_metadata_urls_are_refused(fence: Fence, location: str, address: str) -> None:
    with pytest.raises(BlockedAddress) as caught:
        fetch(location)

    # The address refused is the resolved one, whatever the spelling in the URL.
    assert ipaddress.ip_address(caught.value.address) == ipaddress.ip_address(address)
    assert fence.connects == []


@pytest.mark.parametrize(
    ("location", "reason"),
    [
        ("http://169.254.169.254/latest/meta-data", "cloud metadata"),
        ("http://[fd00:ec2::254]/", "cloud metadata"),
        ("http://100.100.100.200/", "cloud metadata"),
        ("http://10.0.0.1/", "private"),
        ("http://172.16.5.4/", "private"),
        ("http://192.168.0.1/", "private"),
        ("http://[fc00::1]/", "private"),
        ("http://100.64.0.1/", "shared"),
        ("http://169.254.1.1/", "link-local"),
        ("http://[fe80::1]/", "link-local"),
        ("http://224.0.0.1/", "multicast"),
        ("http://240.0.0.1/", "reserved"),
        ("http://0.0.0.0/", "unspecified"),
        ("http://[::ffff:10.0.0.1]/", "private"),
        ("http://[::ffff:169.254.169.254]/", "cloud metadata"),
        ("http://[2002:a00:1::]/", "private"),  # 6to4 wrapping 10.0.0.1
        ("http://[64:ff9b::a9fe:a9fe]/", "cloud metadata"),  # NAT64 wrapping 169.254.169.254
    ],
)
def test_the_loopback_allowance_keeps_everything_else_refused(
    fence: Fence, location: str, reason: str
) -> None:
    with pytest.raises(BlockedAddress, match=reason):
        fetch(location, allow_loopback=True)

    assert fence.connects == []


def test_name_resolving_to_loopback_is_refused(fence: Fence) -> None:
    fence.answer("feeds.example.com", ["127.0.0.1"])

    with pytest.raises(BlockedAddress, match=re.escape("feeds.example.com (127.0.0.1): loopback")):
        fetch("http://feeds.example.com/jobs.xml")

    assert fence.connects == []


def test_dns_rebinding_is_caught_at_connect_time(server: HTTPServer, fence: Fence) -> None:
    # First answer public (what an early check sees), then loopback (what a connect would use).
    fence.answer("feeds.example.com", ["93.184.216.34"], ["127.0.0.1"])
    server.expect_request("/feed").respond_with_data("secret")

    with pytest.raises(BlockedAddress, match="loopback addresses are not allowed") as caught:
        fetch(f"http://feeds.example.com:{server.port}/feed")

    assert caught.value.address == "127.0.0.1"
    # The second lookup is the connect-time one; nothing was connected to, nothing was served.
    assert fence.lookups.count("feeds.example.com") == 2
    assert fence.connects == []
    assert server.log == []


def test_the_connected_peer_is_checked_before_anything_is_sent(
    server: HTTPServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Pretend the kernel connected somewhere other than the checked address (a NAT rule, a
    # transparent proxy): the peer check must refuse before the request goes out.
    monkeypatch.setattr(socket.socket, "getpeername", lambda sock: ("10.0.0.1", server.port))
    server.expect_request("/feed").respond_with_data("secret")

    with pytest.raises(BlockedAddress, match="private addresses are not allowed") as caught:
        fetch(url(server, "/feed"), allow_loopback=True)

    assert caught.value.address == "10.0.0.1"
    assert server.log == []


def test_a_name_answering_public_and_private_addresses_is_refused(fence: Fence) -> None:
    fence.answer("feeds.example.com", ["93.184.216.34", "10.1.2.3"])

    with pytest.raises(BlockedAddress, match=re.escape("10.1.2.3")):
        fetch("http://feeds.example.com/")

    assert fence.connects == []


def test_a_name_is_fetched_from_its_checked_ip_with_its_host_header(
    server: HTTPServer, fence: Fence
) -> None:
    fence.answer("feeds.example.com", ["127.0.0.1"])
    host = f"feeds.example.com:{server.port}"
    server.expect_request("/feed", headers={"Host": host}).respond_with_data("ok")

    with fetch(f"http://{host}/feed", allow_loopback=True) as result:
        assert result.body is not None and result.body.read() == b"ok"

    assert fence.connects == [("127.0.0.1", server.port)]


@pytest.mark.parametrize(
    "location",
    ["ftp://example.com/feed.xml", "file:///etc/passwd", "gopher://example.com/", "/etc/passwd"],
)
def test_only_http_and_https_are_fetched(location: str) -> None:
    with pytest.raises(InvalidLocation, match="only http and https"):
        fetch(location)


def test_url_with_credentials_is_refused_without_echoing_them() -> None:
    with pytest.raises(InvalidLocation, match="user name or password") as caught:
        fetch("https://bot:hunter2@example.com/feed")

    assert "hunter2" not in str(caught.value)
    assert "hunter2" not in (caught.value.url or "")


def test_check_url_refuses_early_and_passes_public_names(fence: Fence) -> None:
    fence.answer("jobs.example.com", ["93.184.216.34"])

    check_url("https://jobs.example.com/feed")
    with pytest.raises(BlockedAddress):
        check_url("http://169.254.169.254/")
    assert fence.connects == []


# --- Network failures and HTTP errors -------------------------------------------------------


def test_a_server_that_never_answers_times_out_retryably() -> None:
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(1)  # the kernel accepts the connection; nobody ever reads or replies
    try:
        with pytest.raises(NetworkError, match="timed out") as caught:
            fetch(f"http://127.0.0.1:{silent.getsockname()[1]}/", timeout=0.5, allow_loopback=True)
    finally:
        silent.close()

    assert caught.value.retryable is True


def test_connection_refused_is_retryable() -> None:
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()  # nothing listens on the port now

    with pytest.raises(NetworkError, match=re.escape("could not connect to 127.0.0.1")) as caught:
        fetch(f"http://127.0.0.1:{port}/", allow_loopback=True)

    assert caught.value.retryable is True
    assert caught.value.kind == "network"


def test_dns_failure_is_retryable(fence: Fence) -> None:
    fence.answer("gone.example.com", [])

    with pytest.raises(
        NetworkError, match=re.escape("could not resolve host name gone.example.com")
    ) as caught:
        fetch("https://gone.example.com/feed")

    assert caught.value.retryable is True


def test_slow_drip_is_cut_off_by_the_total_timeout(server: HTTPServer) -> None:
    def drip() -> Iterator[bytes]:
        for _ in range(20):
            time.sleep(0.1)
            yield b"x"

    server.expect_request("/feed").respond_with_response(Response(drip()))

    with pytest.raises(NetworkError, match="took too long") as caught:
        fetch(url(server, "/feed"), timeout=1, total_timeout=0.3, allow_loopback=True)

    assert caught.value.retryable is True


@pytest.mark.parametrize(
    ("status", "retryable"),
    [(400, False), (404, False), (410, False), (429, True), (500, True), (503, True)],
)
def test_error_status_raises_with_status(server: HTTPServer, status: int, retryable: bool) -> None:
    server.expect_request("/feed").respond_with_data("nope", status=status)

    with pytest.raises(HTTPStatusError) as caught:
        fetch(url(server, "/feed"), allow_loopback=True)

    assert caught.value.status == status
    assert caught.value.retryable is retryable
    assert caught.value.kind == "http_status"
    assert str(caught.value).startswith(f"{url(server, '/feed')} answered {status}")


# --- open_location --------------------------------------------------------------------------


def test_open_location_reads_a_local_file(tmp_path: Path) -> None:
    feed = tmp_path / "jobs.xml"
    feed.write_bytes(b"<rss/>")

    with open_location(str(feed)) as result:
        assert result.body is not None and result.body.read() == b"<rss/>"
        assert result.status is None
        assert result.url == str(feed.resolve())
        assert result.content_type in ("application/xml", "text/xml")


def test_open_location_says_not_modified_for_an_unchanged_file(tmp_path: Path) -> None:
    feed = tmp_path / "jobs.json"
    feed.write_text("[]")
    first = open_location(str(feed))
    first.close()

    again = open_location(str(feed), etag=first.etag)
    by_date = open_location(str(feed), last_modified=first.last_modified)

    assert again.not_modified and again.body is None
    assert by_date.not_modified and by_date.body is None


def test_open_location_caps_local_files(tmp_path: Path) -> None:
    feed = tmp_path / "big.xml"
    feed.write_bytes(b"x" * 2000)

    with pytest.raises(TooLarge, match="larger than 1000 bytes"):
        open_location(str(feed), max_bytes=1000)


@pytest.mark.parametrize(
    ("location", "message"),
    [
        ("file:///etc/hostname", "file:// URLs are not accepted"),
        ("file:/etc/hostname", "file:// URLs are not accepted"),
        ("ftp://example.com/feed.xml", "only http and https URLs or local file paths"),
        ("/no/such/feed.xml", "no such file"),
    ],
)
def test_open_location_refuses_other_locations(location: str, message: str) -> None:
    with pytest.raises(InvalidLocation, match=message):
        open_location(location)


def test_open_location_refuses_directories(tmp_path: Path) -> None:
    with pytest.raises(InvalidLocation, match="not a regular file"):
        open_location(str(tmp_path))


def test_open_location_fetches_urls_with_the_same_guard(server: HTTPServer) -> None:
    server.expect_request("/feed").respond_with_data("ok")

    with pytest.raises(BlockedAddress):
        open_location(url(server, "/feed"))
    with open_location(url(server, "/feed"), allow_loopback=True) as result:
        assert result.body is not None and result.body.read() == b"ok"


def test_every_error_is_a_fetch_error() -> None:
    for error in (BlockedAddress, TooLarge, TooManyRedirects, HTTPStatusError, NetworkError):
        assert issubclass(error, FetchError)
    assert issubclass(InvalidLocation, FetchError)


# --- Hostile servers ------------------------------------------------------------------------


def test_stacked_content_encodings_are_refused(server: HTTPServer) -> None:
    # 16 KB that would decode to 1 GB through two gzip layers.
    inner = gzip.compress(b"\0" * (64 * 1024 * 1024), compresslevel=9)
    bomb = gzip.compress(inner, compresslevel=9)
    server.expect_request("/feed").respond_with_data(
        bomb, headers={"Content-Encoding": "gzip, gzip"}
    )

    with pytest.raises(FetchError, match="more than one content encoding") as caught:
        fetch(url(server, "/feed"), allow_loopback=True)

    assert caught.value.retryable is False


def test_an_unknown_content_encoding_is_refused(server: HTTPServer) -> None:
    server.expect_request("/feed").respond_with_data(
        b"whatever", headers={"Content-Encoding": "x-hostile"}
    )

    with pytest.raises(FetchError, match="unsupported content encoding x-hostile"):
        fetch(url(server, "/feed"), allow_loopback=True)


@pytest.mark.parametrize("encoding", ["gzip", "deflate", "identity"])
def test_one_known_content_encoding_is_decoded(server: HTTPServer, encoding: str) -> None:
    body = b'{"jobs": []}' * 1000
    encoded = {
        "gzip": gzip.compress,
        "deflate": zlib.compress,
        "identity": bytes,
    }[encoding](body)
    server.expect_request("/feed").respond_with_data(
        encoded, headers={"Content-Encoding": encoding}
    )

    with fetch(url(server, "/feed"), allow_loopback=True) as result:
        assert result.body is not None and result.body.read() == body
        assert result.size == len(body)


def test_a_decoded_body_over_the_cap_is_stopped_without_decoding_it_whole(
    server: HTTPServer,
) -> None:
    # One network read of this decodes to 64 MB at once if decoding is not bounded.
    bomb = gzip.compress(b"\0" * (64 * 1024 * 1024), compresslevel=9)
    server.expect_request("/feed").respond_with_data(bomb, headers={"Content-Encoding": "gzip"})

    with pytest.raises(TooLarge, match="larger than 1 MB"):
        fetch(url(server, "/feed"), max_bytes=1024 * 1024, allow_loopback=True)


def _raw_server(payload: bytes, *, delay: float) -> tuple[socket.socket, threading.Event]:
    """A server on 127.0.0.1 that sends `payload` to one connection, `delay` s between bytes."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    stop = threading.Event()

    def serve() -> None:
        with contextlib.suppress(OSError):
            connection, _ = listener.accept()
            with connection:
                if not delay:
                    connection.sendall(payload)
                    stop.wait(5)
                    return
                for byte in payload:
                    if stop.wait(delay):
                        return
                    connection.sendall(bytes([byte]))

    threading.Thread(target=serve, daemon=True).start()
    return listener, stop


def test_headers_dripping_a_byte_at_a_time_end_at_the_total_deadline() -> None:
    # Each byte comes well within the read timeout; only a total deadline stops this.
    listener, stop = _raw_server(b"HTTP/1.1 200 OK\r\nX-Slow: " + b"a" * 1000, delay=0.2)
    port = listener.getsockname()[1]
    started = time.monotonic()
    try:
        with pytest.raises(NetworkError, match=r"took too long \(more than 1 s\)") as caught:
            fetch(f"http://127.0.0.1:{port}/", timeout=5, total_timeout=1, allow_loopback=True)
    finally:
        stop.set()
        listener.close()

    assert caught.value.retryable is True
    assert time.monotonic() - started < 30  # a generous bound: 1000 bytes would take 200 s


@pytest.mark.parametrize(
    "location",
    [b"http://[::1", b"http://exa mple.com/", b"http://xn--/", b"http://a\xe3\x80\x80b/"],
)
def test_a_malformed_redirect_location_is_a_fetch_error(location: bytes) -> None:
    listener, stop = _raw_server(
        b"HTTP/1.1 302 Found\r\nLocation: " + location + b"\r\nContent-Length: 0\r\n\r\n",
        delay=0,
    )
    try:
        with pytest.raises(FetchError) as caught:
            fetch(f"http://127.0.0.1:{listener.getsockname()[1]}/", allow_loopback=True)
    finally:
        stop.set()
        listener.close()

    assert caught.value.retryable is False


def test_a_scheme_relative_redirect_stays_on_the_same_host(server: HTTPServer) -> None:
    # "http:169.254.169.254/latest" is a relative reference to a path on the same host.
    server.expect_request("/feed").respond_with_response(
        Response(status=302, headers={"Location": "http:169.254.169.254/latest"})
    )
    server.expect_request("/169.254.169.254/latest").respond_with_data("same host")

    with fetch(url(server, "/feed"), allow_loopback=True) as result:
        assert result.body is not None and result.body.read() == b"same host"


def test_a_broken_gzip_body_is_a_fetch_error(server: HTTPServer) -> None:
    server.expect_request("/feed").respond_with_data(
        b"\x1f\x8b\x08\x00not gzip at all", headers={"Content-Encoding": "gzip"}
    )

    with pytest.raises(FetchError, match="could not be decoded"):
        fetch(url(server, "/feed"), allow_loopback=True)


def test_local_file_errors_do_not_reveal_the_path(tmp_path: Path) -> None:
    secret = tmp_path / "secret-dir"
    secret.mkdir()
    for location in (str(secret / "missing.json"), str(secret), "file://" + str(secret)):
        with pytest.raises(InvalidLocation) as caught:
            open_location(location)
        assert "secret-dir" not in str(caught.value)
        assert caught.value.url is None or "secret-dir" not in caught.value.url

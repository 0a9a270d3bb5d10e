"""Fetch a feed over HTTP(S) or from a local file: the only network code of the ingest pipeline.

Every connection goes through a network backend that resolves the host itself, refuses any
address that is not on the public internet, connects to a checked IP and checks the socket's
peer address again before a byte is sent. Redirects are followed here, one hop at a time, so
each hop passes the same checks. No Django imports: the caller passes settings in.
"""

from __future__ import annotations

import contextlib
import email.utils
import ipaddress
import mimetypes
import os
import socket
import ssl
import stat
import tempfile
import time
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import IO, Any, ClassVar, Self, TypeVar
from urllib.parse import urlsplit

import httpcore
import httpx

__all__ = [
    "DEFAULT_CONNECT_TIMEOUT",
    "DEFAULT_MAX_BYTES",
    "DEFAULT_MAX_REDIRECTS",
    "DEFAULT_TIMEOUT",
    "DEFAULT_TOTAL_TIMEOUT",
    "DEFAULT_USER_AGENT",
    "BlockedAddress",
    "FetchError",
    "FetchResult",
    "HTTPStatusError",
    "InvalidLocation",
    "NetworkError",
    "TooLarge",
    "TooManyRedirects",
    "check_url",
    "fetch",
    "open_location",
]

DEFAULT_USER_AGENT = "GenAIJobsBot/1.0 (+https://genai-jobs.example/bot)"
DEFAULT_MAX_BYTES = 50 * 1024 * 1024
DEFAULT_TIMEOUT = 30.0  # seconds between bytes (read/write)
DEFAULT_CONNECT_TIMEOUT = 10.0
DEFAULT_TOTAL_TIMEOUT = 300.0  # a server that drips one byte per read timeout still ends
DEFAULT_MAX_REDIRECTS = 5

# Decoding a compressed body yields at most this many bytes per step, so a small bomb never
# decodes into more memory than the cap allows before the cap is checked.
_DECODE_STEP = 64 * 1024
# The content codings fetch() asks for; a body may use at most one of them.
_CODINGS = frozenset({"gzip", "x-gzip", "deflate"})
# Host names are letters, digits, dots and hyphens once IDNA-encoded; "%" or a space is not.
_HOST_CHARACTERS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789.-_")

# Bodies up to this size stay in memory; larger ones spill to a temporary file.
_SPOOL_IN_MEMORY = 1024 * 1024
_REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
# 408 and 429 are the client errors that mean "later", not "never".
_RETRYABLE_CLIENT_STATUSES = frozenset({408, 429})

# Instance metadata services hand out cloud credentials. Most of these are link-local or
# private anyway; naming them gives a clearer refusal and keeps them refused should the
# generic rules ever change.
_METADATA_ADDRESSES = frozenset(
    ipaddress.ip_address(address)
    for address in (
        "169.254.169.254",  # AWS, GCP, Azure, OpenStack, DigitalOcean, Oracle
        "169.254.170.2",  # AWS ECS task metadata
        "100.100.100.200",  # Alibaba Cloud
        "192.0.0.192",  # Oracle Cloud (legacy)
        "fd00:ec2::254",  # AWS over IPv6
        "fd20:ce::254",  # GCP over IPv6
    )
)
_SHARED_NETWORK = ipaddress.IPv4Network("100.64.0.0/10")  # carrier-grade NAT, RFC 6598
_NAT64_NETWORK = ipaddress.IPv6Network("64:ff9b::/96")

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
_T = TypeVar("_T")


class FetchError(Exception):
    """A location could not be fetched; `kind` names why, `retryable` says if a retry may work."""

    kind: ClassVar[str] = "fetch"
    retryable: bool = False

    def __init__(self, message: str, *, url: str | None = None, retryable: bool | None = None):
        super().__init__(message)
        self.url = url
        if retryable is not None:
            self.retryable = retryable


class InvalidLocation(FetchError):
    """The location is malformed, uses a refused scheme, carries credentials or does not exist."""

    kind = "invalid_location"


class BlockedAddress(FetchError):
    """The host is, or resolves to, an address outside the public internet."""

    kind = "blocked_address"

    def __init__(self, message: str, *, address: str, url: str | None = None):
        super().__init__(message, url=url)
        self.address = address


class TooLarge(FetchError):
    """The body is larger than the configured cap."""

    kind = "too_large"

    def __init__(self, message: str, *, limit: int, url: str | None = None):
        super().__init__(message, url=url)
        self.limit = limit


class TooManyRedirects(FetchError):
    """The server redirected more times than allowed."""

    kind = "too_many_redirects"

    def __init__(self, message: str, *, limit: int, url: str | None = None):
        super().__init__(message, url=url)
        self.limit = limit


class HTTPStatusError(FetchError):
    """The server answered with an error status; 5xx, 408 and 429 are retryable."""

    kind = "http_status"

    def __init__(self, message: str, *, status: int, url: str | None = None):
        retryable = status >= 500 or status in _RETRYABLE_CLIENT_STATUSES
        super().__init__(message, url=url, retryable=retryable)
        self.status = status


class NetworkError(FetchError):
    """DNS failure, refused connection, timeout or broken transfer; retryable unless noted."""

    kind = "network"
    retryable = True


@dataclass(slots=True)
class FetchResult:
    """What a fetch produced: a body to read, or `not_modified` with no body."""

    url: str  # the final URL after redirects, or the local file's absolute path
    status: int | None  # HTTP status; None for a local file
    body: IO[bytes] | None  # positioned at 0; None when not modified. Close it (or the result).
    size: int  # bytes in body (after content decoding)
    etag: str | None = None
    last_modified: str | None = None
    content_type: str | None = None
    not_modified: bool = False

    def close(self) -> None:
        """Release the body's memory or temporary file."""
        if self.body is not None:
            self.body.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


# --- The address guard --------------------------------------------------------------------


def _refusal_reason(ip: IPAddress, *, allow_loopback: bool) -> str | None:
    """Why connecting to `ip` is refused, or None when it is a public address."""
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            # An IPv6 socket to ::ffff:a.b.c.d talks to a.b.c.d, so judge that address.
            reason = _refusal_reason(ip.ipv4_mapped, allow_loopback=allow_loopback)
            return reason and f"it maps to {ip.ipv4_mapped}, and {reason}"
        embedded = _embedded_ipv4(ip)
        if embedded is not None:
            reason = _refusal_reason(embedded, allow_loopback=allow_loopback)
            if reason:
                return f"it embeds {embedded}, and {reason}"
    if ip in _METADATA_ADDRESSES:
        return "cloud metadata addresses are never allowed"
    if ip.is_loopback:
        return None if allow_loopback else "loopback addresses are not allowed"
    if ip.is_unspecified:
        # Linux connects 0.0.0.0 and :: to the local machine.
        return "the unspecified address is not allowed"
    if ip.is_link_local:
        return "link-local addresses are not allowed"
    if ip.is_multicast:
        return "multicast addresses are not allowed"
    if isinstance(ip, ipaddress.IPv4Address) and ip in _SHARED_NETWORK:
        return "shared (carrier-grade NAT) addresses are not allowed"
    if ip.is_reserved or (isinstance(ip, ipaddress.IPv6Address) and ip.is_site_local):
        return "reserved addresses are not allowed"
    if ip.is_private:
        return "private addresses are not allowed"
    if not ip.is_global:
        return "only public internet addresses are allowed"
    return None


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address that 6to4, Teredo or NAT64 would forward to, if any."""
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip.teredo is not None:
        return ip.teredo[1]
    if ip in _NAT64_NETWORK:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


@dataclass(frozen=True, slots=True)
class _AddressPolicy:
    """Resolves host names and refuses addresses outside the public internet."""

    allow_loopback: bool = False

    def check(self, address: str, *, host: str | None = None) -> None:
        """Raise BlockedAddress unless `address` (an IP literal) may be connected to."""
        # getaddrinfo reports scoped IPv6 addresses as "fe80::1%eth0".
        ip = ipaddress.ip_address(address.partition("%")[0])
        reason = _refusal_reason(ip, allow_loopback=self.allow_loopback)
        if reason:
            named = f"{host} ({ip})" if host and host != str(ip) else str(ip)
            raise BlockedAddress(f"refused to connect to {named}: {reason}", address=str(ip))

    def resolve(self, host: str, port: int) -> list[str]:
        """Resolve `host` and return its addresses, refusing the lot if any one is blocked."""
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except socket.gaierror as exc:
            raise NetworkError(f"could not resolve host name {host}: {exc.strerror}") from exc
        except UnicodeError as exc:
            raise InvalidLocation(f"invalid host name {host!r}") from exc
        addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))
        if not addresses:
            raise NetworkError(f"host name {host} has no addresses")
        # A name that answers with both public and internal addresses is refused outright:
        # that mix is what a rebinding attack looks like.
        for address in addresses:
            self.check(address, host=host)
        return addresses


class _DeadlinePassed(httpcore.TimeoutException):
    """The fetch's total deadline passed while connecting or waiting for bytes."""


def _before_deadline(deadline: float, timeout: float | None, call: Callable[[float], _T]) -> _T:
    """call(timeout), with the timeout shortened so that the operation ends by the deadline."""
    left = deadline - time.monotonic()
    if left <= 0:
        raise _DeadlinePassed("the total deadline passed")
    if timeout is not None and timeout < left:
        return call(timeout)
    try:
        return call(left)
    except httpcore.TimeoutException as exc:
        raise _DeadlinePassed("the total deadline passed") from exc


class _DeadlineStream(httpcore.NetworkStream):
    """A network stream whose every read and write ends by the fetch's total deadline.

    httpcore's read timeout starts again with every byte, so a server that drips its status
    line and headers a byte at a time would otherwise hold a worker for as long as it likes.
    """

    def __init__(self, inner: httpcore.NetworkStream, deadline: float) -> None:
        self._inner = inner
        self._deadline = deadline

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return _before_deadline(self._deadline, timeout, lambda t: self._inner.read(max_bytes, t))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        _before_deadline(self._deadline, timeout, lambda t: self._inner.write(buffer, t))

    def close(self) -> None:
        self._inner.close()

    def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        inner = _before_deadline(
            self._deadline,
            timeout,
            lambda t: self._inner.start_tls(ssl_context, server_hostname, t),
        )
        return _DeadlineStream(inner, self._deadline)

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class _GuardedBackend(httpcore.NetworkBackend):
    """httpcore network backend that connects only to checked, public addresses."""

    def __init__(self, policy: _AddressPolicy, deadline: float) -> None:
        self._policy = policy
        self._deadline = deadline
        self._inner = httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        """Resolve `host`, check every address, connect to one, then check the peer."""
        # Resolve here rather than let the socket layer do it, so the addresses checked are
        # the addresses connected to: a second lookup by anyone else could answer otherwise.
        addresses = self._policy.resolve(host, port)
        failure: httpcore.ConnectError | httpcore.ConnectTimeout | None = None
        for address in addresses:
            try:
                # An IP literal: the inner backend does no DNS of its own. TLS still verifies
                # the original name, because httpcore passes it to start_tls as SNI.
                stream = _before_deadline(
                    self._deadline,
                    timeout,
                    lambda t, address=address: self._inner.connect_tcp(
                        address, port, t, local_address, socket_options
                    ),
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                failure = exc
                continue
            try:
                # The address the kernel actually connected to, checked before any byte is sent.
                peer = stream.get_extra_info("server_addr")
                self._policy.check(str(peer[0]), host=host)
            except BaseException:
                stream.close()
                raise
            return _DeadlineStream(stream, self._deadline)
        assert failure is not None  # resolve() returns at least one address
        raise failure

    def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        """Refuse: feeds are never read over Unix sockets."""
        raise BlockedAddress(f"refused to connect to Unix socket {path}", address=path)

    def sleep(self, seconds: float) -> None:
        """Sleep between connection retries (httpcore's hook)."""
        time.sleep(seconds)


# --- httpx transport over the guarded backend ---------------------------------------------


@contextlib.contextmanager
def _plain_errors(url: httpx.URL, total_timeout: float) -> Iterator[None]:
    """Turn httpcore's exceptions into NetworkErrors with plain-words messages."""
    host = url.host
    where = _redact(url)
    try:
        yield
    except FetchError as exc:
        # Raised by the guarded backend, which does not know the URL.
        if exc.url is None:
            exc.url = where
        raise
    except _DeadlinePassed as exc:
        raise NetworkError(
            f"gave up on {where}: fetching it took too long (more than {total_timeout:g} s)",
            url=where,
        ) from exc
    except httpcore.ConnectTimeout as exc:
        raise NetworkError(f"timed out connecting to {host}", url=where) from exc
    except httpcore.TimeoutException as exc:
        raise NetworkError(f"timed out waiting for {host} to respond", url=where) from exc
    except httpcore.ConnectError as exc:
        cause = exc.__cause__
        if isinstance(cause, ssl.SSLCertVerificationError):
            # A bad certificate does not fix itself by retrying in a minute.
            raise NetworkError(
                f"TLS certificate of {host} could not be verified: {cause.verify_message}",
                url=where,
                retryable=False,
            ) from exc
        reason = cause.strerror if isinstance(cause, OSError) and cause.strerror else str(exc)
        raise NetworkError(f"could not connect to {host}: {reason}", url=where) from exc
    except (httpcore.ReadError, httpcore.WriteError) as exc:
        raise NetworkError(f"connection to {host} broke off: {exc}", url=where) from exc
    except httpcore.ProtocolError as exc:
        raise NetworkError(f"{host} sent an invalid HTTP response: {exc}", url=where) from exc
    except httpcore.UnsupportedProtocol as exc:
        raise InvalidLocation(f"unsupported URL {where}: {exc}", url=where) from exc


class _CoreStream(httpx.SyncByteStream):
    """An httpcore response body seen as an httpx byte stream."""

    def __init__(self, response: httpcore.Response, url: httpx.URL, total_timeout: float) -> None:
        self._response = response
        self._url = url
        self._total_timeout = total_timeout

    def __iter__(self) -> Iterator[bytes]:
        with _plain_errors(self._url, self._total_timeout):
            yield from self._response.iter_stream()

    def close(self) -> None:
        self._response.close()


class _GuardedTransport(httpx.BaseTransport):
    """httpx transport whose connections all go through the guarded backend; no proxies."""

    def __init__(self, policy: _AddressPolicy, deadline: float, total_timeout: float) -> None:
        self._total_timeout = total_timeout
        # httpx.HTTPTransport takes no network backend, so drive an httpcore pool directly.
        self._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(),
            network_backend=_GuardedBackend(policy, deadline),
            http1=True,
            http2=False,
            retries=0,
        )

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        """Send one request through the pool and wrap the answer for httpx."""
        assert isinstance(request.stream, httpx.SyncByteStream)
        core_request = httpcore.Request(
            method=request.method,
            url=httpcore.URL(
                scheme=request.url.raw_scheme,
                host=request.url.raw_host,
                port=request.url.port,
                target=request.url.raw_path,
            ),
            headers=request.headers.raw,
            content=request.stream,
            extensions=request.extensions,
        )
        with _plain_errors(request.url, self._total_timeout):
            core_response = self._pool.handle_request(core_request)
        return httpx.Response(
            status_code=core_response.status,
            headers=core_response.headers,
            stream=_CoreStream(core_response, request.url, self._total_timeout),
            extensions=core_response.extensions,
        )

    def close(self) -> None:
        """Close pooled connections."""
        self._pool.close()


# --- Fetching -----------------------------------------------------------------------------


def _redact(url: httpx.URL) -> str:
    """The URL as text without any user name or password in it."""
    return str(url.copy_with(userinfo=b"")) if url.userinfo else str(url)


def _describe_size(size: int) -> str:
    """A byte count in plain words: '50 MB', '1.5 MB' or '1000 bytes'."""
    megabytes = size / (1024 * 1024)
    if megabytes >= 1:
        return f"{megabytes:.1f}".removesuffix(".0") + " MB"
    return f"{size} bytes"


def _parse_url(url: str | httpx.URL) -> httpx.URL:
    """Parse `url`, refusing anything but http(s) without credentials and with a host."""
    try:
        parsed = httpx.URL(url)
        host = parsed.raw_host.decode("ascii")
    except (httpx.InvalidURL, TypeError, ValueError) as exc:
        # ValueError covers UnicodeError, which idna raises for a malformed international name.
        raise InvalidLocation(f"not a valid URL: {url!s}", url=str(url)) from exc
    if parsed.scheme not in ("http", "https"):
        scheme = parsed.scheme or "no scheme"
        raise InvalidLocation(
            f"refused {_redact(parsed)}: only http and https URLs can be fetched, not {scheme}",
            url=_redact(parsed),
        )
    if parsed.userinfo:
        # Never echo the credentials back, not even in the error.
        raise InvalidLocation(
            f"refused {_redact(parsed)}: URLs with a user name or password are not accepted",
            url=_redact(parsed),
        )
    if not host:
        raise InvalidLocation(f"refused {url!s}: the URL has no host", url=str(url))
    if not _HOST_CHARACTERS.issuperset(host.lower()) and not _is_ip_literal(host):
        raise InvalidLocation(f"refused {_redact(parsed)}: invalid host name", url=_redact(parsed))
    return parsed


def _is_ip_literal(host: str) -> bool:
    """Whether `host` is an IP address (an IPv6 one perhaps with a zone), not a name."""
    try:
        ipaddress.ip_address(host.partition("%")[0])
    except ValueError:
        return False
    return True


def check_url(url: str, *, allow_loopback: bool = False) -> None:
    """Raise a FetchError if `url` is refused before connecting: scheme, credentials or address.

    Useful to validate a Source's URL when it is entered. Passing says nothing about later
    fetches: DNS may answer differently then, which is why fetch() checks again at connect time.
    """
    _preflight(_parse_url(url), _AddressPolicy(allow_loopback=allow_loopback))


def _preflight(url: httpx.URL, policy: _AddressPolicy) -> None:
    """Refuse a blocked host before any connection is opened, naming the URL."""
    # The connect-time check in _GuardedBackend is the one that counts; this one refuses
    # literal IPs and names that already resolve inside before a socket exists.
    try:
        policy.resolve(url.raw_host.decode("ascii"), url.port or _default_port(url))
    except FetchError as exc:
        exc.url = _redact(url)
        raise


def _default_port(url: httpx.URL) -> int:
    """The port implied by the URL's scheme."""
    return 443 if url.scheme == "https" else 80


def fetch(
    url: str,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    timeout: float = DEFAULT_TIMEOUT,
    connect_timeout: float = DEFAULT_CONNECT_TIMEOUT,
    total_timeout: float = DEFAULT_TOTAL_TIMEOUT,
    max_redirects: int = DEFAULT_MAX_REDIRECTS,
    allow_loopback: bool = False,
    user_agent: str = DEFAULT_USER_AGENT,
) -> FetchResult:
    """GET `url`, following redirects, and return its body, or `not_modified` on a 304.

    `etag` and `last_modified` are the validators from the previous fetch; when the server
    answers 304 the result has no body. `allow_loopback` is for tests only: it lets 127.0.0.1
    and ::1 through, while private, link-local and metadata addresses stay refused.
    Raises a FetchError subclass on any failure.
    """
    policy = _AddressPolicy(allow_loopback=allow_loopback)
    deadline = time.monotonic() + total_timeout
    conditional: dict[str, str] = {}
    if etag:
        conditional["If-None-Match"] = etag
    if last_modified:
        conditional["If-Modified-Since"] = last_modified
    client = httpx.Client(
        transport=_GuardedTransport(policy, deadline, total_timeout),
        # trust_env=False: an HTTP(S)_PROXY from the environment would route every request
        # around the address checks, and .netrc credentials have no business here.
        trust_env=False,
        follow_redirects=False,
        timeout=httpx.Timeout(timeout, connect=connect_timeout),
        headers={"User-Agent": user_agent, "Accept-Encoding": "gzip, deflate"},
    )
    with client:
        current = _parse_url(url)
        for _hop in range(max_redirects + 1):
            _preflight(current, policy)
            with (
                _transport_errors(current),
                client.stream("GET", current, headers=conditional) as response,
            ):
                if response.status_code not in _REDIRECT_STATUSES:
                    return _result(
                        response,
                        max_bytes=max_bytes,
                        deadline=deadline,
                        etag=etag,
                        last_modified=last_modified,
                    )
                current = _redirect_target(response)
            if time.monotonic() > deadline:
                raise NetworkError(
                    f"gave up on {url}: redirects took longer than {total_timeout:g} s", url=url
                )
    raise TooManyRedirects(
        f"gave up on {url}: more than {max_redirects} redirects", limit=max_redirects, url=url
    )


@contextlib.contextmanager
def _transport_errors(url: httpx.URL) -> Iterator[None]:
    """Make every error that is not already a FetchError one, retryable when it may pass."""
    where = _redact(url)
    try:
        yield
    except FetchError:
        raise
    except httpx.RemoteProtocolError as exc:
        # The transport turns httpcore's errors into FetchErrors itself, so this one is httpx
        # refusing what the server said, such as a Location that is not a URL.
        raise NetworkError(
            f"{where} sent an unusable response: {exc}", url=where, retryable=False
        ) from exc
    except (httpx.TransportError, httpcore.NetworkError, httpcore.TimeoutException, OSError) as exc:
        # A network that failed may work in a minute.
        raise NetworkError(f"fetching {where} failed: {exc}", url=where) from exc
    except (httpx.HTTPError, httpx.InvalidURL, httpx.StreamError, httpcore.ProtocolError) as exc:
        # httpx's own errors (an unusable URL, a stream misuse) come back the same next time.
        raise NetworkError(f"fetching {where} failed: {exc}", url=where, retryable=False) from exc
    except (ValueError, UnicodeError, zlib.error) as exc:
        raise NetworkError(f"fetching {where} failed: {exc}", url=where, retryable=False) from exc


def _redirect_target(response: httpx.Response) -> httpx.URL:
    """The absolute, checked URL a redirect response points to."""
    location = response.headers.get("Location")
    where = _redact(response.url)
    if not location:
        raise HTTPStatusError(
            f"{where} answered {response.status_code} without saying where to go",
            status=response.status_code,
            url=where,
        )
    try:
        target = response.url.join(location)
    except httpx.InvalidURL as exc:
        raise InvalidLocation(
            f"{where} redirected to an invalid URL: {location!r}", url=where
        ) from exc
    return _parse_url(target)


def _result(
    response: httpx.Response,
    *,
    max_bytes: int,
    deadline: float,
    etag: str | None,
    last_modified: str | None,
) -> FetchResult:
    """Turn a final (non-redirect) response into a FetchResult or raise."""
    where = _redact(response.url)
    status = response.status_code
    if status == 304:
        # A 304 need not repeat the validators; the ones sent are still the current ones,
        # so a caller that stores whatever comes back never loses them.
        return FetchResult(
            url=where,
            status=status,
            body=None,
            size=0,
            etag=response.headers.get("ETag", etag),
            last_modified=response.headers.get("Last-Modified", last_modified),
            content_type=response.headers.get("Content-Type"),
            not_modified=True,
        )
    if not 200 <= status < 300:
        reason = response.reason_phrase or "error"
        raise HTTPStatusError(f"{where} answered {status} {reason}", status=status, url=where)
    declared = response.headers.get("Content-Length", "")
    # A compressed body's length says nothing about its decoded size, so only trust
    # Content-Length for an early refusal when there is no Content-Encoding.
    if (
        declared.isdigit()
        and int(declared) > max_bytes
        and "Content-Encoding" not in response.headers
    ):
        raise TooLarge(
            f"response from {where} is larger than {_describe_size(max_bytes)}",
            limit=max_bytes,
            url=where,
        )
    coding = _content_coding(response, where)
    body, size = _read_capped(response, coding, where=where, max_bytes=max_bytes, deadline=deadline)
    return FetchResult(
        url=where,
        status=status,
        body=body,
        size=size,
        etag=response.headers.get("ETag"),
        last_modified=response.headers.get("Last-Modified"),
        content_type=response.headers.get("Content-Type"),
    )


def _content_coding(response: httpx.Response, where: str) -> str | None:
    """The one content coding the body uses (gzip or deflate), or None for none.

    More than one layer is refused: each layer multiplies what a few kilobytes decode to, and
    no feed server needs two. So is any coding fetch() did not ask for.
    """
    layers = [
        layer.strip().lower()
        for value in response.headers.get_list("Content-Encoding")
        for layer in value.split(",")
    ]
    layers = [layer for layer in layers if layer and layer != "identity"]
    if len(layers) > 1:
        raise FetchError(
            f"refused the response from {where}: it uses more than one content encoding "
            f"({', '.join(layers)})",
            url=where,
        )
    if layers and layers[0] not in _CODINGS:
        raise FetchError(
            f"refused the response from {where}: unsupported content encoding {layers[0]}",
            url=where,
        )
    return layers[0] if layers else None


class _Decoder:
    """Decodes a gzip or deflate body in steps of at most _DECODE_STEP bytes of output."""

    def __init__(self, coding: str) -> None:
        self._gzip = coding in ("gzip", "x-gzip")
        self._inner = self._new(raw=False)
        self._started = False

    def _new(self, *, raw: bool) -> Any:
        if self._gzip:
            return zlib.decompressobj(zlib.MAX_WBITS | 16)
        # "deflate" should be zlib-wrapped, but some servers send raw deflate data.
        return zlib.decompressobj(-zlib.MAX_WBITS if raw else zlib.MAX_WBITS)

    def feed(self, data: bytes) -> Iterator[bytes]:
        """Yield the decoded bytes of `data`, one bounded step at a time."""
        if not self._started:
            self._started = True
            if not self._gzip:
                try:
                    zlib.decompressobj(zlib.MAX_WBITS).decompress(data[:64], 0)
                except zlib.error:
                    self._inner = self._new(raw=True)
        while data:
            if self._inner.eof:
                if not self._gzip:
                    return  # a deflate stream has one member; bytes after it are ignored
                self._inner = self._new(raw=False)  # the next member of a gzip stream
            chunk = self._inner.decompress(data, _DECODE_STEP)
            data = self._inner.unconsumed_tail or (
                self._inner.unused_data if self._inner.eof else b""
            )
            if chunk:
                yield chunk

    def end(self) -> None:
        """Check that the body did not stop in the middle of its compressed data."""
        if not self._inner.eof and self._started:
            raise zlib.error("the compressed data stops before its end")


def _read_capped(
    response: httpx.Response,
    coding: str | None,
    *,
    where: str,
    max_bytes: int,
    deadline: float,
) -> tuple[IO[bytes], int]:
    """Stream the decoded body into a spooled temporary file, stopping past `max_bytes`."""
    # Not a `with` block: on success the open spool is handed to the caller.
    spool = tempfile.SpooledTemporaryFile(max_size=_SPOOL_IN_MEMORY)  # noqa: SIM115
    size = 0
    decoder = _Decoder(coding) if coding else None
    try:
        # The body is decoded here, not by httpx, in bounded steps: the cap applies to what
        # the parser will see, and no step of a bomb decodes to more than _DECODE_STEP bytes.
        for raw in response.iter_raw():
            chunks = decoder.feed(raw) if decoder else (raw,)
            for chunk in chunks:
                size += len(chunk)
                if size > max_bytes:
                    raise TooLarge(
                        f"response from {where} is larger than {_describe_size(max_bytes)}",
                        limit=max_bytes,
                        url=where,
                    )
                spool.write(chunk)
            if time.monotonic() > deadline:
                raise NetworkError(f"downloading {where} took too long", url=where)
        if decoder:
            decoder.end()
    except zlib.error as exc:
        spool.close()
        raise FetchError(
            f"the response from {where} could not be decoded as {coding}: {exc}", url=where
        ) from exc
    except BaseException:
        spool.close()
        raise
    spool.seek(0)
    return spool, size


# --- Local files ----------------------------------------------------------------------------


def open_location(
    location: str,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    **fetch_options: Any,
) -> FetchResult:
    """Fetch an http(s) URL with fetch(), or open a local file path, as a FetchResult.

    For locations an operator typed (``manage.py ingest LOCATION``), never for ones that came
    from a form, a feed or the database: a path reads any file this process can read.
    ``file://`` URLs and other schemes are refused, so a URL field can never turn into a
    local read by accident; an operator gives the plain path instead. A local file gets a
    weak ETag and a Last-Modified from its size and mtime, so passing them back yields
    `not_modified` when the file has not changed.
    """
    scheme = urlsplit(location).scheme.lower()
    if scheme in ("http", "https"):
        return fetch(
            location, etag=etag, last_modified=last_modified, max_bytes=max_bytes, **fetch_options
        )
    if scheme == "file":
        # Neither here nor below does a message name a local path: it would tell whoever set
        # the location which files exist on the worker.
        raise InvalidLocation(
            "refused a file: URL: file:// URLs are not accepted; give the file's path instead"
        )
    if scheme:
        raise InvalidLocation(
            f"refused a {scheme}: URL: only http and https URLs or local file paths are accepted"
        )
    return _open_file(Path(location), etag=etag, last_modified=last_modified, max_bytes=max_bytes)


def _open_file(
    path: Path, *, etag: str | None, last_modified: str | None, max_bytes: int
) -> FetchResult:
    """Open a regular local file, size-capped, with file-derived validators."""
    try:
        # O_NONBLOCK so that opening a FIFO does not wait for a writer; regular files ignore it.
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except FileNotFoundError as exc:
        raise InvalidLocation("no such file") from exc
    except OSError as exc:
        raise InvalidLocation(f"cannot open the file: {exc.strerror}") from exc
    try:
        # fstat on the open descriptor: the file checked is the file read.
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode):
            # Directories, FIFOs and devices (/dev/zero) are never feeds.
            raise InvalidLocation("the location is not a regular file")
    except BaseException:
        os.close(descriptor)
        raise
    handle = os.fdopen(descriptor, "rb")
    try:
        if info.st_size > max_bytes:
            raise TooLarge(f"the file is larger than {_describe_size(max_bytes)}", limit=max_bytes)
        file_etag = f'W/"{info.st_size:x}-{info.st_mtime_ns:x}"'
        file_modified = email.utils.formatdate(info.st_mtime, usegmt=True)
        unchanged = (etag is not None and etag == file_etag) or (
            etag is None and last_modified is not None and last_modified == file_modified
        )
    except BaseException:
        handle.close()
        raise
    if unchanged:
        handle.close()
    return FetchResult(
        url=str(path.resolve()),
        status=None,
        body=None if unchanged else handle,
        size=0 if unchanged else info.st_size,
        etag=file_etag,
        last_modified=file_modified,
        content_type=mimetypes.guess_type(path.name)[0],
        not_modified=unchanged,
    )

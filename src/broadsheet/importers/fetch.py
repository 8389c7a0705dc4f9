"""Downloading what an import needs from the web: within limits, from public addresses only.

A source's links are someone else's words: they could point the server at its own network
(a cloud's metadata address, an admin page on localhost). So every address a download goes
to, each redirect's included, is resolved once and checked, and the connection goes to the
address checked, with the name sent as the Host header and for TLS: no second lookup can
swap in another address (DNS rebinding). The answer is streamed to a temporary file within
a time limit for the whole download and a size limit.
"""

import contextlib
import functools
import http.client
import ipaddress
import os
import socket
import ssl
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote, unquote, urljoin, urlsplit

from django.conf import settings

from broadsheet.importers.base import BadSource
from broadsheet.media.services import megabytes

MAX_REDIRECTS = 5
_REDIRECTS = {301, 302, 303, 307, 308}
_CHUNK = 64 * 1024
_HEADERS = {
    "User-Agent": "Broadsheet-importer",
    "Accept": "*/*",
    "Accept-Encoding": "identity",  # the size limit counts the bytes as stored
    "Connection": "close",
}
# Characters a request target may hold as they are; the rest is percent-encoded (UTF-8).
_URL_SAFE = "/%!$&'()*+,;=:@~-._"
_NAT64 = ipaddress.ip_network("64:ff9b::/96")  # IPv6 addresses that reach an IPv4 one

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


def fetch_to_file(url: str, *, max_bytes: int, timeout: float, suffix: str = "") -> Path:
    """Download an http(s) URL to a temporary file, which the caller deletes.

    Refuses, with `BadSource` naming the URL: other schemes, private and local addresses
    (unless BROADSHEET_IMPORT_ALLOW_PRIVATE_ADDRESSES), more than `MAX_REDIRECTS`
    redirects, an answer other than 2xx, more than `max_bytes`, and more than `timeout`
    seconds for all of it.
    """
    deadline = time.monotonic() + timeout
    current = url
    for _ in range(MAX_REDIRECTS + 1):
        fail = _Failure(url, current, deadline=deadline, timeout=timeout)
        with _answer(current, fail) as response:
            if response.status in _REDIRECTS:
                location = (response.getheader("Location") or "").strip()
                if not location:
                    raise fail(f"the server answered {response.status} but named no address")
                current = urljoin(current, location)
                continue
            if not 200 <= response.status < 300:
                raise fail(f"the server answered {response.status}")
            return _save(response, fail, max_bytes=max_bytes, suffix=suffix)
    raise fail(f"it redirects more than {MAX_REDIRECTS} times")


def media_file_name(url: str) -> str:
    """The name to store an image under: its address's last path segment, decoded.

    Never the query or the fragment (a CDN's `?fit=1024%2C768`). A resized WordPress name
    such as `a-300x200.jpg` stays as it is: guessing the original's could name another file.
    """
    try:
        path = urlsplit(url.strip()).path
    except ValueError:  # an address too broken to split, such as an unclosed "[": no name
        return "image"
    segment = unquote(path.rstrip("/").rsplit("/", 1)[-1])
    return segment.replace("\\", "/").rsplit("/", 1)[-1].strip() or "image"


class _Failure:
    """One request of a download: makes its `BadSource` ("could not fetch <url>: why"),
    and knows the download's deadline."""

    def __init__(self, url: str, current: str, *, deadline: float, timeout: float) -> None:
        self.url = url
        self.current = current
        self.deadline = deadline
        self.timeout = timeout

    def __call__(self, reason: str) -> BadSource:
        via = f" (redirected to {self.current})" if self.current != self.url else ""
        return BadSource(f"could not fetch {self.url}{via}: {reason}")

    def remaining(self) -> float:
        """Seconds left for the download; refused once there are none."""
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise self.late()
        return left

    def late(self) -> BadSource:
        return self(f"it took longer than {self.timeout:g} seconds")


@contextlib.contextmanager
def _answer(url: str, fail: _Failure) -> Iterator[http.client.HTTPResponse]:
    """The answer to a GET of `url`, its headers read; errors while reading it become
    `BadSource`. At the deadline the connection is cut, however slowly bytes still come."""
    host, port, secure, target = _parse(url, fail)
    addresses = _checked_addresses(host, port, fail)
    left = fail.remaining()
    sockets: list[socket.socket] = []  # what the timer cuts: http.client lets go of them
    connection = _pinned_connection(
        host, port, secure=secure, addresses=addresses, timeout=left, opened=sockets
    )
    timer = threading.Timer(left, _cut, args=(sockets,))
    timer.daemon = True
    timer.start()
    response = None
    try:
        connection.request("GET", target, headers=_HEADERS)
        if connection.sock is not None:  # for https, the TLS socket around the one opened
            sockets.append(connection.sock)
        response = connection.getresponse()
        yield response
    except (OSError, http.client.HTTPException) as error:
        if time.monotonic() >= fail.deadline:
            raise fail.late() from error
        raise fail(_describe(error)) from error
    finally:
        timer.cancel()
        if response is not None:
            response.close()
        connection.close()


def _parse(url: str, fail: _Failure) -> tuple[str, int, bool, str]:
    """(host, port, https, request target) of an http(s) URL."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as error:
        raise fail("it is not a valid address") from error
    if parts.scheme.lower() not in ("http", "https"):
        raise fail("only http and https addresses can be fetched")
    if not parts.hostname:
        raise fail("it names no host")
    secure = parts.scheme.lower() == "https"
    target = quote(parts.path or "/", safe=_URL_SAFE)
    if parts.query:
        target += "?" + quote(parts.query, safe=_URL_SAFE + "?")
    return parts.hostname, port or (443 if secure else 80), secure, target


def _checked_addresses(host: str, port: int, fail: _Failure) -> list[str]:
    """Every address the name resolves to, once; refused if any is private or local."""
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as error:
        raise fail(f"its host name {host} could not be found") from error
    addresses = list(dict.fromkeys(str(sockaddr[0]) for *_, sockaddr in found))
    if not settings.BROADSHEET_IMPORT_ALLOW_PRIVATE_ADDRESSES:
        for address in addresses:
            if not is_public_address(ipaddress.ip_address(address)):
                raise fail(
                    f"{host} is at {address}, a private or local address "
                    "(BROADSHEET_IMPORT_ALLOW_PRIVATE_ADDRESSES allows those)"
                )
    return addresses


def is_public_address(address: IPAddress) -> bool:
    """Whether an address is on the public internet: not private, loopback, link-local,
    reserved or multicast, nor an IPv6 form (mapped, 6to4, NAT64) of such an IPv4 one."""
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:  # an IPv4 address in IPv6 dress: judged as such
            return is_public_address(address.ipv4_mapped)
        embedded = address.sixtofour
        if address in _NAT64:
            embedded = ipaddress.IPv4Address(int(address) & 0xFFFF_FFFF)
        if embedded is not None and not is_public_address(embedded):
            return False
        if address.is_site_local:
            return False
    return address.is_global and not (
        address.is_private
        or address.is_loopback
        or address.is_link_local
        or address.is_reserved
        or address.is_multicast
        or address.is_unspecified
    )


def _pinned_connection(
    host: str,
    port: int,
    *,
    secure: bool,
    addresses: list[str],
    timeout: float,
    opened: list[socket.socket],
) -> http.client.HTTPConnection:
    """A connection to the addresses checked, whatever the name would resolve to by now; the
    Host header (and, for https, SNI and the certificate check) still use the name. The
    socket it opens is added to `opened`."""
    connection = (
        http.client.HTTPSConnection(
            host, port, timeout=timeout, context=ssl.create_default_context()
        )
        if secure
        else http.client.HTTPConnection(host, port, timeout=timeout)
    )
    # http.client's own hook for opening the socket, which it would give the name.
    connection._create_connection = functools.partial(_connect_first, addresses, opened)  # type: ignore[attr-defined]
    return connection


def _connect_first(
    addresses: list[str],
    opened: list[socket.socket],
    name_and_port: tuple[str, int],
    timeout: float,
    source: tuple[str, int] | None = None,
) -> socket.socket:
    """A socket to the first of `addresses` that answers, on the port asked for."""
    error = OSError("the host has no address")
    for address in addresses:
        try:
            sock = socket.create_connection((address, name_and_port[1]), timeout, source)
        except OSError as refused:
            error = refused
        else:
            opened.append(sock)
            return sock
    raise error


def _cut(sockets: list[socket.socket]) -> None:
    """End a download at its deadline: a read blocked on its socket returns at once."""
    for sock in sockets:
        with contextlib.suppress(OSError):  # closed already, or the one TLS took over
            # The plain socket's shutdown, also for TLS: it only wakes the reader, which
            # then fails on its own thread.
            socket.socket.shutdown(sock, socket.SHUT_RDWR)


def _describe(error: OSError | http.client.HTTPException) -> str:
    if isinstance(error, ssl.SSLCertVerificationError):
        return f"its certificate could not be verified ({error.verify_message})"
    if isinstance(error, ssl.SSLError):
        return f"the secure connection failed ({error.reason or error})"
    if isinstance(error, ConnectionRefusedError):
        return "the server refused the connection"
    if isinstance(error, http.client.IncompleteRead):
        return "the answer was cut short"
    if isinstance(error, http.client.HTTPException | ConnectionResetError):
        return "the server's answer was not valid HTTP, or it closed the connection"
    return f"the connection failed ({error.strerror or error})"


def _save(
    response: http.client.HTTPResponse, fail: _Failure, *, max_bytes: int, suffix: str
) -> Path:
    """Stream the body to a temporary file, refusing it once it passes `max_bytes`."""
    too_large = f"it is larger than {megabytes(max_bytes)} MB, the most an import takes"
    length = (response.getheader("Content-Length") or "").strip()
    if length.isdigit() and int(length) > max_bytes:
        raise fail(too_large)
    handle, name = tempfile.mkstemp(prefix="broadsheet-import-", suffix=suffix)
    path = Path(name)
    try:
        with os.fdopen(handle, "wb") as file:
            size = 0
            while chunk := response.read(_CHUNK):
                size += len(chunk)
                if size > max_bytes:
                    raise fail(too_large)
                file.write(chunk)
        # A read cut at the deadline ends like the body's end: it is not one.
        if time.monotonic() >= fail.deadline:
            raise fail.late()
        if response.length:  # bytes still announced
            raise fail("the answer was cut short")
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return path

"""Requests the server makes to addresses someone else chose (an import's links, a
webhook's target): to public addresses only, and to the very address that was checked.

A name is resolved once and every address it gives is checked; the connection then goes
to a checked address, with the name still sent as the Host header and for TLS, so no
second lookup can swap in another address (DNS rebinding). `cut` ends a request at its
deadline however slowly the bytes still come. `parse` and `timed_connection` are the
request itself: where it goes, and a connection pinned to the checked addresses and cut
at the deadline.
"""

import contextlib
import functools
import http.client
import ipaddress
import socket
import ssl
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
_NAT64 = ipaddress.ip_network("64:ff9b::/96")  # IPv6 addresses that reach an IPv4 one


# Characters a request target may hold as they are; the rest is percent-encoded (UTF-8).
_URL_SAFE = "/%!$&'()*+,;=:@~-._"


class AddressRefused(Exception):
    """The host could not be found, or is at a private or local address; the message says
    which, as a reason that follows "could not reach <url>: "."""


class BadAddress(ValueError):
    """Not an http(s) address with a host; the message is the reason, as for AddressRefused."""


@dataclass(frozen=True)
class Target:
    host: str
    port: int
    secure: bool  # https
    path: str  # the request target: path and query, percent-encoded


def parse(url: str, *, purpose: str) -> Target:
    """Where a request to `url` goes; `BadAddress` for anything but http(s) with a host.
    `purpose` ends the sentence for another scheme: "only http and https addresses can
    be <purpose>"."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as error:
        raise BadAddress("it is not a valid address") from error
    if parts.scheme.lower() not in ("http", "https"):
        raise BadAddress(f"only http and https addresses can be {purpose}")
    if not parts.hostname:
        raise BadAddress("it names no host")
    secure = parts.scheme.lower() == "https"
    path = quote(parts.path or "/", safe=_URL_SAFE)
    if parts.query:
        path += "?" + quote(parts.query, safe=_URL_SAFE + "?")
    return Target(parts.hostname, port or (443 if secure else 80), secure, path)


class TimedConnection:
    """A connection whose sockets the deadline's timer cuts (`timed_connection`)."""

    def __init__(self, connection: http.client.HTTPConnection, sockets: list[socket.socket]):
        self.connection, self.sockets = connection, sockets

    def answer(
        self, method: str, path: str, *, headers: dict[str, str], body: bytes | None = None
    ) -> http.client.HTTPResponse:
        """Send the request and read the answer's headers."""
        self.connection.request(method, path, body=body, headers=headers)
        if self.connection.sock is not None:  # for https, the TLS socket around the one opened
            self.sockets.append(self.connection.sock)
        return self.connection.getresponse()


@contextlib.contextmanager
def timed_connection(
    target: Target, addresses: list[str], *, seconds: float
) -> Iterator[TimedConnection]:
    """A connection to `target` pinned to its checked `addresses`, cut after `seconds`
    however slowly bytes still come, and closed when the block ends."""
    sockets: list[socket.socket] = []  # what the timer cuts: http.client lets go of them
    connection = pinned_connection(
        target.host,
        target.port,
        secure=target.secure,
        addresses=addresses,
        timeout=seconds,
        opened=sockets,
    )
    timer = threading.Timer(seconds, cut, args=(sockets,))
    timer.daemon = True
    timer.start()
    try:
        yield TimedConnection(connection, sockets)
    finally:
        timer.cancel()
        connection.close()


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


def checked_addresses(host: str, port: int, *, allow_private: bool, setting: str) -> list[str]:
    """Every address the name resolves to, once; `AddressRefused` if any is private or
    local (unless `allow_private`; `setting` is the name of the setting that allows it)."""
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as error:
        raise AddressRefused(f"its host name {host} could not be found") from error
    addresses = list(dict.fromkeys(str(sockaddr[0]) for *_, sockaddr in found))
    if not allow_private:
        for address in addresses:
            if not is_public_address(ipaddress.ip_address(address)):
                raise AddressRefused(
                    f"{host} is at {address}, a private or local address ({setting} allows those)"
                )
    return addresses


def pinned_connection(
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


def cut(sockets: list[socket.socket]) -> None:
    """End a request at its deadline: a read blocked on its socket returns at once."""
    for sock in sockets:
        with contextlib.suppress(OSError):  # closed already, or the one TLS took over
            # The plain socket's shutdown, also for TLS: it only wakes the reader, which
            # then fails on its own thread.
            socket.socket.shutdown(sock, socket.SHUT_RDWR)


def describe(error: OSError | http.client.HTTPException) -> str:
    """What went wrong with a connection, in words for a log or a report."""
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

"""Downloading what an import needs from the web: within limits, from public addresses only.

A source's links are someone else's words: they could point the server at its own network
(a cloud's metadata address, an admin page on localhost). So every address a download goes
to, each redirect's included, is resolved once and checked, and the connection goes to the
address checked, with the name sent as the Host header and for TLS: no second lookup can
swap in another address (DNS rebinding). The answer is streamed to a temporary file within
a time limit for the whole download and a size limit. The checks are `core.outbound`'s,
which webhooks use too.
"""

import contextlib
import http.client
import os
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from django.conf import settings

from broadsheet.core import outbound
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
    try:
        target = outbound.parse(url, purpose="fetched")
        addresses = outbound.checked_addresses(
            target.host,
            target.port,
            allow_private=settings.BROADSHEET_IMPORT_ALLOW_PRIVATE_ADDRESSES,
            setting="BROADSHEET_IMPORT_ALLOW_PRIVATE_ADDRESSES",
        )
    except (outbound.BadAddress, outbound.AddressRefused) as error:
        raise fail(str(error)) from error
    with outbound.timed_connection(target, addresses, seconds=fail.remaining()) as timed:
        response = None
        try:
            response = timed.answer("GET", target.path, headers=_HEADERS)
            yield response
        except (OSError, http.client.HTTPException) as error:
            if time.monotonic() >= fail.deadline:
                raise fail.late() from error
            raise fail(outbound.describe(error)) from error
        finally:
            if response is not None:
                response.close()


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

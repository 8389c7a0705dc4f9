"""The WSGI wrapper that answers anonymous readers from the page store.

A request takes the fast path only if nothing about it can be personal: a GET or HEAD,
no session or message cookie. Everything else, and every page not stored yet, goes to
Django; a response Django marks as cacheable (`fastpath.decorators.reader_page`) that
sets no cookie is stored for the next reader. Pages are kept per scheme, host and path,
and per value of the query parameters their view says it reads (`?comments=2`); any
other parameter (campaign tags, or anything made up to force a render) is ignored. The
Content API's answers read every parameter, so they are kept per whole query.
"""

import io
import logging
import re
import sys
import time
from collections.abc import Callable, Iterable
from urllib.parse import parse_qsl, urlencode

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.db import DatabaseError, connections

from broadsheet.analytics.services import count_reader_view
from broadsheet.content.selectors import next_scheduled_timestamp
from broadsheet.core.board import Reading, board
from broadsheet.core.numbers import parse_number
from broadsheet.fastpath.store import Page, PageStore
from broadsheet.predictions.selectors import next_deadline_timestamp
from broadsheet.redirects.addresses import LEGACY_QUERY_KEYS

log = logging.getLogger(__name__)
CACHEABLE_HEADER = "X-Broadsheet-Cacheable"
POST_HEADER = "X-Broadsheet-Post"
READS_HEADER = "X-Broadsheet-Reads"
PRIVATE_HEADERS = {
    CACHEABLE_HEADER.lower(),
    POST_HEADER.lower(),
    READS_HEADER.lower(),
    "vary",
    "date",
}
BROWSER_CACHE_CONTROL = "public, no-cache"
BYPASS_PREFIXES = ("/static/", "/media/", "/admin/")


def _base_key(environ: dict) -> str | None:
    """Scheme, host and path (pages hold absolute links), or None for what is never kept."""
    path = environ.get("PATH_INFO", "/")
    if path.startswith(BYPASS_PREFIXES):
        return None
    scheme = environ.get("wsgi.url_scheme", "http")
    if settings.BROADSHEET_BEHIND_PROXY:
        scheme = environ.get("HTTP_X_FORWARDED_PROTO", scheme)
    host = environ.get("HTTP_HOST") or environ.get("SERVER_NAME", "")
    return f"{scheme}://{host}{path}"


def _query(environ: dict) -> dict[str, str]:
    query = environ.get("QUERY_STRING", "")
    return dict(parse_qsl(query, keep_blank_values=True)) if query else {}


EVERY_PARAMETER = "*"


# A parameter a view names as a slug (`reader_page(slugs=...)`: an author, a tag, as in
# `/predictions/?author=ada`) holds this, in ASCII, no longer than a slug is.
SLUG_VALUE = re.compile(r"[A-Za-z0-9_-]{1,150}")
SLUG_SUFFIX = ":slug"  # how the view's answer names such a parameter to the store


def store_key(base: str, reads: tuple[str, ...], query: dict[str, str]) -> str:
    """One page per value of each parameter the view reads. Most are numbers (a comment
    page, a reply target), read as the view reads them: anything else is, to the view as
    here, no value at all, so `?comments=x1`, `x2`, ... are all the page without one. A
    slug (`name:slug`) is kept as sent; the view answers one it does not know with a
    404, which is not kept. An API answer reads every parameter (`*`): one answer per
    query, in any order."""
    if reads == (EVERY_PARAMETER,):
        return f"{base}?{urlencode(sorted(query.items()))}" if query else base
    kept = []
    for read in reads:
        name = read.removesuffix(SLUG_SUFFIX)
        value = query.get(name, "")
        if read != name:
            if SLUG_VALUE.fullmatch(value):
                kept.append(f"{name}={value}")
        elif (number := parse_number(value)) is not None:
            kept.append(f"{name}={number}")
    return f"{base}?{'&'.join(kept)}" if kept else base


class FastPathApp:
    def __init__(self, django_app: Callable, store: PageStore | None = None) -> None:
        self.django_app = django_app
        self.store = store or PageStore()
        self._due_checked_for: int | None = None
        self._next_due: float | None = None
        self.private_cookies = (
            f"{settings.SESSION_COOKIE_NAME}=",
            f"{CookieStorage.cookie_name}=",
        )

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        method = environ.get("REQUEST_METHOD", "GET")
        base = _base_key(environ) if method in ("GET", "HEAD") else None
        cookies = environ.get("HTTP_COOKIE", "")
        if base is None or any(name in cookies for name in self.private_cookies):
            return self.django_app(environ, _without_private_headers(start_response))
        query = _query(environ)
        if query and environ.get("PATH_INFO") == "/" and not LEGACY_QUERY_KEYS.isdisjoint(query):
            return self.django_app(environ, _without_private_headers(start_response))  # /?p=12
        reading = self._read_board()
        # Which parameters matter is known once the view has answered for this path.
        reads = self.store.reads_of(base) if query else ()
        page = None if reads is None else self.store.get(store_key(base, reads, query))
        if page is not None and page.is_current(reading.content):
            try:
                return self._serve(page, reading, environ, start_response)
            except DatabaseError:
                # The counts could not be read: let Django answer (and say what went wrong).
                log.exception("filling the counts of %s failed", base)
                connections.close_all()
        return self._render(base, query, reading, environ, start_response)

    def _read_board(self) -> Reading:
        """The shared numbers, with the content generation moved on once when the time
        comes for a page to change with no write: a scheduled post is due (whether or not
        a worker runs), or a prediction's date has passed (its card awaits resolution)."""
        reading = board().read()
        if reading.content != self._due_checked_for:
            self._due_checked_for = reading.content
            self._next_due = next_change_timestamp()
        if self._next_due is not None and time.time() >= self._next_due:
            self._next_due = None
            board().bump_content()
            reading = board().read()
        return reading

    def warm_up(self, paths: list[str], *, host: str = "localhost") -> None:
        """Render a few pages at start, so the first reader does not wait for lazy imports.

        The renders are announced as prefetches, so they count as nobody's view.
        """
        for path in paths:
            environ = {
                "REQUEST_METHOD": "GET",
                "PATH_INFO": path,
                "QUERY_STRING": "",
                "SERVER_NAME": host,
                "SERVER_PORT": "80",
                "HTTP_HOST": host,
                "HTTP_SEC_PURPOSE": "prefetch",
                "wsgi.url_scheme": "http",
                "wsgi.input": io.BytesIO(),
                "wsgi.errors": sys.stderr,
            }
            try:
                self.django_app(environ, lambda *args: None)
            except Exception:
                log.exception("warming up %s failed", path)
        connections.close_all()

    def _serve(
        self,
        page: Page,
        reading: Reading,
        environ: dict,
        start_response: Callable,
        *,
        count: bool = True,
    ) -> Iterable[bytes]:
        rendition = page.rendition(reading.counts)
        if count and page.post_id is not None:
            count_reader_view(page.post_id, environ)
        headers = [*page.headers, ("ETag", rendition.etag), ("Vary", "Accept-Encoding, Cookie")]
        if environ.get("HTTP_IF_NONE_MATCH") == rendition.etag:
            start_response("304 Not Modified", headers)
            return []
        body = rendition.body
        if encoded := rendition.encoded_as(environ.get("HTTP_ACCEPT_ENCODING", "")):
            encoding, body = encoded
            headers.append(("Content-Encoding", encoding))
        headers.append(("Content-Length", str(len(body))))
        start_response(page.status, headers)
        return [] if environ["REQUEST_METHOD"] == "HEAD" else [body]

    def _render(
        self,
        base: str,
        query: dict[str, str],
        reading: Reading,
        environ: dict,
        start_response: Callable,
    ) -> Iterable[bytes]:
        """Let Django answer, and keep the answer if it is the same for every reader."""
        captured: dict = {}

        def capture(status, headers, exc_info=None):
            captured.update(status=status, headers=headers)
            return start_response(status, headers, exc_info) if exc_info else (lambda data: None)

        result = self.django_app(environ, capture)
        try:
            body = b"".join(result)
        finally:
            if hasattr(result, "close"):
                result.close()
        headers = captured["headers"]
        names = {name.lower(): value for name, value in headers}
        cacheable = (
            captured["status"].startswith("200")
            and CACHEABLE_HEADER.lower() in names
            and "set-cookie" not in names
            and environ["REQUEST_METHOD"] == "GET"
        )
        public_headers = [(n, v) for n, v in headers if n.lower() not in PRIVATE_HEADERS]
        if cacheable:
            kept = [
                (n, v)
                for n, v in public_headers
                if n.lower() not in ("content-length", "etag", "content-encoding")
            ]
            if "cache-control" not in names:
                kept.append(("Cache-Control", BROWSER_CACHE_CONTROL))
            page = Page(
                status=captured["status"],
                headers=kept,
                body=body,
                generation=reading.content,
                post_id=int(names[POST_HEADER.lower()]) if POST_HEADER.lower() in names else None,
                language=names.get("content-language", settings.LANGUAGE_CODE),
            )
            reads = tuple(filter(None, names.get(READS_HEADER.lower(), "").split(",")))
            self.store.put(store_key(base, reads, query), page, base=base, reads=reads)
            # Django's view has already counted this reader, and its counts are current.
            return self._serve(page, reading, environ, start_response, count=False)
        start_response(captured["status"], public_headers + _vary(names))
        return [body]


def next_change_timestamp() -> float | None:
    """The next moment (a Unix time) when stored pages go stale by time alone, if any."""
    moments = [next_scheduled_timestamp(), next_deadline_timestamp()]
    return min((moment for moment in moments if moment is not None), default=None)


def _without_private_headers(start_response: Callable) -> Callable:
    def filtered(status, headers, exc_info=None):
        headers = [(n, v) for n, v in headers if not n.startswith("X-Broadsheet-")]
        return start_response(status, headers, exc_info)

    return filtered


def _vary(names: dict[str, str]) -> list[tuple[str, str]]:
    return [("Vary", names["vary"])] if "vary" in names else []

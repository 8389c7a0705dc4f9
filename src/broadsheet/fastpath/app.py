"""The WSGI wrapper that answers anonymous readers from the page store.

A request takes the fast path only if nothing about it can be personal: a GET or HEAD,
no session or message cookie, no query string other than campaign tags. Everything else,
and every page not stored yet, goes to Django; a response Django marks as cacheable
(`fastpath.decorators.reader_page`) that sets no cookie is stored for the next reader.
"""

import io
import logging
import os
import queue
import sys
import threading
import time
from collections.abc import Callable, Iterable
from urllib.parse import parse_qsl

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.db import connections

from broadsheet.analytics.services import count_reader_view
from broadsheet.content.selectors import next_scheduled_timestamp
from broadsheet.fastpath.generation import generations
from broadsheet.fastpath.store import Page, PageStore

log = logging.getLogger(__name__)
CACHEABLE_HEADER = "X-Broadsheet-Cacheable"
POST_HEADER = "X-Broadsheet-Post"
PRIVATE_HEADERS = {CACHEABLE_HEADER.lower(), POST_HEADER.lower(), "vary", "date"}
BROWSER_CACHE_CONTROL = "public, no-cache"
BYPASS_PREFIXES = ("/static/", "/media/", "/admin/")
IGNORED_QUERY_KEYS = ("utm_", "ref", "fbclid", "gclid")


def _cache_key(environ: dict) -> str | None:
    """Scheme, host and path (pages hold absolute links), or None if the query matters."""
    query = environ.get("QUERY_STRING", "")
    if query and any(
        not key.startswith(IGNORED_QUERY_KEYS)
        for key, _ in parse_qsl(query, keep_blank_values=True)
    ):
        return None
    path = environ.get("PATH_INFO", "/")
    if path.startswith(BYPASS_PREFIXES):
        return None
    scheme = environ.get("wsgi.url_scheme", "http")
    if settings.BROADSHEET_BEHIND_PROXY:
        scheme = environ.get("HTTP_X_FORWARDED_PROTO", scheme)
    host = environ.get("HTTP_HOST") or environ.get("SERVER_NAME", "")
    return f"{scheme}://{host}{path}"


class FastPathApp:
    def __init__(self, django_app: Callable, store: PageStore | None = None) -> None:
        self.django_app = django_app
        self.store = store or PageStore()
        self._refreshing: set[str] = set()
        self._refresh_lock = threading.Lock()
        self._refresh_queue: queue.SimpleQueue = queue.SimpleQueue()
        self._refresher_pid: int | None = None
        self._due_checked_for: tuple[int, int] | None = None
        self._next_due: float | None = None
        self.private_cookies = (
            f"{settings.SESSION_COOKIE_NAME}=",
            f"{CookieStorage.cookie_name}=",
        )

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        method = environ.get("REQUEST_METHOD", "GET")
        key = _cache_key(environ) if method in ("GET", "HEAD") else None
        cookies = environ.get("HTTP_COOKIE", "")
        if key is None or any(name in cookies for name in self.private_cookies):
            return self.django_app(environ, _without_private_headers(start_response))
        generation = self._generation()
        page = self.store.get(key)
        if page is not None and page.has_current_content(generation):
            if not page.is_current(generation):
                self._refresh_in_background(key, generation, environ)
            return self._serve(page, environ, start_response)
        return self._render(key, generation, environ, start_response)

    def _generation(self) -> tuple[int, int]:
        """The current generation, moved on once when a scheduled post's time comes, so
        stored pages never hide a post that is due (whether or not a worker runs)."""
        generation = generations().current()
        if generation != self._due_checked_for:
            self._due_checked_for = generation
            self._next_due = next_scheduled_timestamp()
        if self._next_due is not None and time.time() >= self._next_due:
            self._next_due = None
            generations().bump("content")
            generation = generations().current()
        return generation

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

    def _refresh_in_background(self, key: str, generation: tuple[int, int], environ: dict):
        """A newer view count is worth a render, not a wait: readers get the page meanwhile.

        One thread per process renders queued pages. The render is announced as a
        prefetch, so it does not count as a view itself.
        """
        with self._refresh_lock:
            if key in self._refreshing:
                return
            self._refreshing.add(key)
            if self._refresher_pid != os.getpid():
                self._refresher_pid = os.getpid()
                threading.Thread(target=self._refresh_forever, name="refresh", daemon=True).start()
        quiet = {
            name: value
            for name, value in environ.items()
            if name.startswith(("wsgi.", "SERVER_", "PATH_", "SCRIPT_", "HTTP_HOST", "REMOTE_"))
        }
        quiet.update(
            REQUEST_METHOD="GET",
            QUERY_STRING="",
            HTTP_SEC_PURPOSE="prefetch",
            HTTP_USER_AGENT="broadsheet-refresh",
        )
        quiet["wsgi.input"] = io.BytesIO()
        self._refresh_queue.put((key, generation, quiet))

    def _refresh_forever(self) -> None:
        while True:
            key, generation, environ = self._refresh_queue.get()
            try:
                self._render(key, generation, environ, lambda *args: None)
            except Exception:
                log.exception("refreshing %s failed", key)
            finally:
                connections.close_all()  # this thread's; refreshes are seconds apart
                with self._refresh_lock:
                    self._refreshing.discard(key)

    def _serve(
        self, page: Page, environ: dict, start_response: Callable, *, count: bool = True
    ) -> Iterable[bytes]:
        if count and page.post_id is not None:
            count_reader_view(page.post_id, environ)
        headers = [*page.headers, ("ETag", page.etag), ("Vary", "Accept-Encoding, Cookie")]
        if environ.get("HTTP_IF_NONE_MATCH") == page.etag:
            start_response("304 Not Modified", headers)
            return []
        body = page.body
        accepted = environ.get("HTTP_ACCEPT_ENCODING", "")
        for encoding in ("br", "gzip"):
            if encoding in accepted and encoding in page.encoded:
                body = page.encoded[encoding]
                headers.append(("Content-Encoding", encoding))
                break
        headers.append(("Content-Length", str(len(body))))
        start_response(page.status, headers)
        return [] if environ["REQUEST_METHOD"] == "HEAD" else [body]

    def _render(
        self, key: str, generation: tuple[int, int], environ: dict, start_response: Callable
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
                generation=generation,
                post_id=int(names[POST_HEADER.lower()]) if POST_HEADER.lower() in names else None,
                shows_counts=POST_HEADER.lower() in names,
            )
            self.store.put(key, page)
            # Django's view has already counted this reader.
            return self._serve(page, environ, start_response, count=False)
        start_response(captured["status"], public_headers + _vary(names))
        return [body]


def _without_private_headers(start_response: Callable) -> Callable:
    def filtered(status, headers, exc_info=None):
        headers = [(n, v) for n, v in headers if not n.startswith("X-Broadsheet-")]
        return start_response(status, headers, exc_info)

    return filtered


def _vary(names: dict[str, str]) -> list[tuple[str, str]]:
    return [("Vary", names["vary"])] if "vary" in names else []

"""Rendered pages kept in this process's memory, least recently used out first."""

import contextlib
import gzip
import hashlib
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field

import brotli

MAX_PAGES = 400
MAX_AGE_SECONDS = 300  # a safety net; generations are what keep pages current


@dataclass(slots=True)
class Page:
    status: str
    headers: list[tuple[str, str]]
    body: bytes
    generation: tuple[int, ...]
    post_id: int | None
    shows_counts: bool
    etag: str = ""
    encoded: dict[str, bytes] = field(default_factory=dict)
    stored_at: float = field(default_factory=time.monotonic)

    def __post_init__(self) -> None:
        self.etag = '"' + hashlib.blake2b(self.body, digest_size=12).hexdigest() + '"'
        if len(self.body) > 512:
            self.encoded["br"] = brotli.compress(self.body, quality=6)
            self.encoded["gzip"] = gzip.compress(self.body, compresslevel=6, mtime=0)

    def is_current(self, generation: tuple[int, int]) -> bool:
        return self.has_current_content(generation) and (
            not self.shows_counts or self.generation[1] == generation[1]
        )

    def has_current_content(self, generation: tuple[int, int]) -> bool:
        """Everything but the view count is up to date."""
        return (
            self.generation[0] == generation[0]
            and time.monotonic() - self.stored_at < MAX_AGE_SECONDS
        )


class PageStore:
    def __init__(self, max_pages: int = MAX_PAGES) -> None:
        self.max_pages = max_pages
        self._pages: OrderedDict[str, Page] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> Page | None:
        page = self._pages.get(key)
        if page is not None:
            with contextlib.suppress(KeyError):  # evicted by another thread meanwhile
                self._pages.move_to_end(key)
        return page

    def put(self, key: str, page: Page) -> None:
        with self._lock:
            self._pages[key] = page
            self._pages.move_to_end(key)
            while len(self._pages) > self.max_pages:
                self._pages.popitem(last=False)

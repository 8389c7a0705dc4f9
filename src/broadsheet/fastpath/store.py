"""Rendered pages kept in this process's memory, least recently used out first."""

import contextlib
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field

from broadsheet.fastpath.live import LiveBody, Rendition

MAX_PAGES = 400
MAX_AGE_SECONDS = 300  # a safety net; the generation is what keeps pages current


@dataclass(slots=True)
class Page:
    """A page as Django rendered it. Its counts, if it shows any, are filled when served."""

    status: str
    headers: list[tuple[str, str]]
    body: bytes
    generation: int
    post_id: int | None  # serving it counts as a view of this post
    language: str
    # Cut at its count marks, to be filled as it is served; or, with no counts, as sent.
    served: LiveBody | Rendition = field(init=False)
    stored_at: float = field(default_factory=time.monotonic)

    def __post_init__(self) -> None:
        live = LiveBody(self.body, self.language)
        self.served = live if live else Rendition(self.body)

    def is_current(self, generation: int) -> bool:
        return self.generation == generation and time.monotonic() - self.stored_at < MAX_AGE_SECONDS

    def rendition(self, counts_version: int | None) -> Rendition:
        """What to send now: the body as stored, or with today's counts in it."""
        if isinstance(self.served, LiveBody):
            return self.served.rendition(counts_version)
        return self.served


class PageStore:
    def __init__(self, max_pages: int = MAX_PAGES) -> None:
        self.max_pages = max_pages
        self._pages: OrderedDict[str, Page] = OrderedDict()
        self._reads: OrderedDict[str, tuple[str, ...]] = OrderedDict()  # per path
        self._lock = threading.Lock()

    def get(self, key: str) -> Page | None:
        page = self._pages.get(key)
        if page is not None:
            with contextlib.suppress(KeyError):  # evicted by another thread meanwhile
                self._pages.move_to_end(key)
        return page

    def reads_of(self, base: str) -> tuple[str, ...] | None:
        """The query parameters the page at `base` depends on; None until it is known."""
        return self._reads.get(base)

    def put(self, key: str, page: Page, *, base: str, reads: tuple[str, ...] = ()) -> None:
        with self._lock:
            self._pages[key] = page
            self._pages.move_to_end(key)
            self._reads[base] = reads
            self._reads.move_to_end(base)
            for kept in (self._pages, self._reads):
                while len(kept) > self.max_pages:
                    kept.popitem(last=False)

"""A few shared numbers that every server process reads on every request.

- The *content generation* moves on whenever public content changes; stored pages and
  the site settings are only used while it stays the same.
- The *counts version* says whether the counts (views, likes) in the database may have
  changed: a count write moves `started` on before it begins and `finished` after it
  ends. While the two are equal no write is under way, so counts read from the database
  at that version are the same for every process that reads them, and stay right until
  `started` moves again (see `fastpath.live`).

With Redis they are Redis keys, shared by every machine (one MGET a request). Otherwise
they are three 64-bit numbers in a small file in the data folder, mapped into every
process's memory: reading them is a memory load, not a system call. Writers take a lock
(a thread lock, then a POSIX record lock, which processes forked from one another do
not share); each number is written with one aligned 8-byte store, which a reader sees
whole.
"""

import contextlib
import fcntl
import logging
import mmap
import os
import threading
import time
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import NamedTuple, Protocol

from django.conf import settings

log = logging.getLogger(__name__)
CONTENT, STARTED, FINISHED = range(3)
# A count write takes milliseconds. A write that started this long ago and never finished
# belongs to a process that died in it; its count is taken as finished.
ABANDONED_AFTER_SECONDS = 60


class Reading(NamedTuple):
    content: int
    counts: int | None  # None while a count write is under way


class Board(Protocol):
    def read(self) -> Reading: ...

    def bump_content(self) -> None: ...

    def counts_write(self) -> contextlib.AbstractContextManager[None]: ...

    def settle_abandoned_writes(self) -> None: ...


def _settled(started: int, finished: int) -> int | None:
    return started if started == finished else None


class FileBoard:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        if os.fstat(self.fd).st_size < 64:
            os.ftruncate(self.fd, 64)  # zeros: every number starts at 0
        self.numbers = memoryview(mmap.mmap(self.fd, 64)).cast("Q")
        self._thread_lock = threading.Lock()
        self._unsettled_since: tuple[int, int, float] | None = None

    def read(self) -> Reading:
        numbers = self.numbers
        finished = numbers[FINISHED]  # before `started`: see `_settled`'s callers
        return Reading(numbers[CONTENT], _settled(numbers[STARTED], finished))

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        with self._thread_lock:
            fcntl.lockf(self.fd, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.lockf(self.fd, fcntl.LOCK_UN)

    def _add(self, index: int) -> None:
        with self._locked():
            self.numbers[index] += 1

    def bump_content(self) -> None:
        self._add(CONTENT)

    @contextlib.contextmanager
    def counts_write(self) -> Iterator[None]:
        self._add(STARTED)
        try:
            yield
        finally:
            self._add(FINISHED)

    def settle_abandoned_writes(self) -> None:
        """Called now and then: a count write left unfinished by a dead process would
        otherwise make every answer read its counts from the database for good."""
        with self._locked():
            started, finished = self.numbers[STARTED], self.numbers[FINISHED]
            self._unsettled_since = _still_unsettled(self._unsettled_since, started, finished)
            if self._unsettled_since and _abandoned(self._unsettled_since):
                log.warning("a count write never finished (its process died?); settling it")
                self.numbers[FINISHED] = started
                self._unsettled_since = None


class RedisBoard:
    KEYS = ("broadsheet:generation:content", "broadsheet:counts:started")
    FINISHED_KEY = "broadsheet:counts:finished"

    def __init__(self, url: str) -> None:
        import redis

        self.client = redis.Redis.from_url(url)
        self._unsettled_since: tuple[int, int, float] | None = None

    def read(self) -> Reading:
        content, started, finished = (
            int(value or 0) for value in self.client.mget([*self.KEYS, self.FINISHED_KEY])
        )
        return Reading(content, _settled(started, finished))

    def bump_content(self) -> None:
        self.client.incr(self.KEYS[CONTENT])

    @contextlib.contextmanager
    def counts_write(self) -> Iterator[None]:
        self.client.incr(self.KEYS[STARTED])
        try:
            yield
        finally:
            self.client.incr(self.FINISHED_KEY)

    def settle_abandoned_writes(self) -> None:
        import redis

        keys = (self.KEYS[STARTED], self.FINISHED_KEY)
        with self.client.pipeline() as pipe:
            pipe.watch(*keys)  # settle only if nothing moves meanwhile (other machines)
            started, finished = (int(value or 0) for value in pipe.mget(keys))
            self._unsettled_since = _still_unsettled(self._unsettled_since, started, finished)
            if not (self._unsettled_since and _abandoned(self._unsettled_since)):
                return
            log.warning("a count write never finished (its process died?); settling it")
            pipe.multi()
            pipe.set(self.FINISHED_KEY, started)
            with contextlib.suppress(redis.WatchError):  # someone wrote: look again later
                pipe.execute()
            self._unsettled_since = None


def _still_unsettled(
    since: tuple[int, int, float] | None, started: int, finished: int
) -> tuple[int, int, float] | None:
    """(started, finished, first seen) while the same unfinished write stays unfinished."""
    if started == finished:
        return None
    if since is None or since[:2] != (started, finished):
        return (started, finished, time.monotonic())
    return since


def _abandoned(since: tuple[int, int, float]) -> bool:
    return time.monotonic() - since[2] > ABANDONED_AFTER_SECONDS


@cache
def board() -> Board:
    """The process's one handle on the shared numbers."""
    if settings.BROADSHEET_REDIS_URL:
        return RedisBoard(settings.BROADSHEET_REDIS_URL)
    return FileBoard(settings.DATA_DIR / "cache" / "board")

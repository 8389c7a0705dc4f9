"""A shared number that changes whenever public content does.

With Redis it lives in Redis, shared by every machine; otherwise it is the modification
time of a small file in the data folder, shared by every process on the box and read
with one `stat` per request. Counts (views, likes) do not move it: stored pages are
filled with them as they are served (`live.py`).
"""

import os
import time
from functools import cache
from pathlib import Path
from typing import Protocol

from django.conf import settings


class Generation(Protocol):
    def current(self) -> int: ...

    def bump(self) -> None: ...


class FileGeneration:
    def __init__(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.path = folder / "content.generation"
        self.path.touch(exist_ok=True)

    def current(self) -> int:
        return os.stat(self.path).st_mtime_ns

    def bump(self) -> None:
        now = time.time_ns()
        # Strictly increasing even if two bumps land in one clock tick.
        os.utime(self.path, ns=(now, max(now, os.stat(self.path).st_mtime_ns + 1)))


class RedisGeneration:
    KEY = "broadsheet:generation:content"

    def __init__(self, url: str) -> None:
        import redis

        self.client = redis.Redis.from_url(url)

    def current(self) -> int:
        return int(self.client.get(self.KEY) or 0)

    def bump(self) -> None:
        self.client.incr(self.KEY)


@cache
def generation() -> Generation:
    """The process's one handle on the shared content generation."""
    if settings.BROADSHEET_REDIS_URL:
        return RedisGeneration(settings.BROADSHEET_REDIS_URL)
    return FileGeneration(settings.DATA_DIR / "cache")

"""A shared number that changes whenever public content does.

Two generations: "content" (any post, tag, comment, author or setting changed) and
"counts" (view counts were written; only pages that show counts care). With Redis they
live in Redis, shared by every machine; otherwise in two small files in the data folder,
shared by every process on the box, read with one `stat` per request.
"""

import os
import time
from functools import cache
from pathlib import Path
from typing import Protocol

from django.conf import settings

KINDS = ("content", "counts")


class Generations(Protocol):
    def current(self) -> tuple[int, int]: ...

    def bump(self, kind: str) -> None: ...


class FileGenerations:
    def __init__(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.paths = {kind: folder / f"{kind}.generation" for kind in KINDS}
        for path in self.paths.values():
            path.touch(exist_ok=True)

    def current(self) -> tuple[int, int]:
        return tuple(os.stat(self.paths[kind]).st_mtime_ns for kind in KINDS)

    def bump(self, kind: str) -> None:
        path = self.paths[kind]
        now = time.time_ns()
        # Strictly increasing even if two bumps land in one clock tick.
        os.utime(path, ns=(now, max(now, os.stat(path).st_mtime_ns + 1)))


class RedisGenerations:
    def __init__(self, url: str) -> None:
        import redis

        self.client = redis.Redis.from_url(url)
        self.keys = [f"broadsheet:generation:{kind}" for kind in KINDS]

    def current(self) -> tuple[int, int]:
        return tuple(int(value or 0) for value in self.client.mget(self.keys))

    def bump(self, kind: str) -> None:
        self.client.incr(f"broadsheet:generation:{kind}")


@cache
def generations() -> Generations:
    """The process's one handle on the shared generations."""
    if settings.BROADSHEET_REDIS_URL:
        return RedisGenerations(settings.BROADSHEET_REDIS_URL)
    return FileGenerations(settings.DATA_DIR / "cache")

"""Counting requests in the shared cache, so a flood is refused however many processes
(or, with Redis, machines) serve the site. Every attempt counts, so a refused flood stays
refused until its window ends."""

import hashlib
import math
import time

from django.core.cache import cache


class RateLimited(Exception):
    """Too many requests from this address, browser or account; try again later.

    `retry_after` is the seconds until the window ends, where it is known (an API answers
    it as the Retry-After header)."""

    def __init__(self, message: str = "", *, retry_after: int | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


def hits(scope: str, value: str, *, window: int) -> int:
    """Count one request for `value` in `scope`; how many there have been in the window."""
    digest = hashlib.sha256(value.strip().lower().encode()).hexdigest()[:32]
    key = f"ratelimit:{scope}:{digest}"
    cache.add(key, 0, timeout=window)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
        return 1


def check_and_count(scope: str, values: list[str], *, limit: int, window: int = 3600) -> None:
    """Count one request against each value (an email, an address); refuse past `limit`."""
    counts = [hits(scope, value, window=window) for value in values if value]
    if any(count > limit for count in counts):
        raise RateLimited("Too many requests. Please wait a while and try again.")


def check_in_window(scope: str, value: str, *, limit: int, window: int = 60) -> None:
    """Count one request for `value` in a window aligned to the clock (every process agrees
    when it ends); refuse past `limit`, saying how long until the window ends."""
    now = time.time()
    started = int(now // window)
    if hits(f"{scope}:{started}", value, window=window) > limit:
        retry_after = max(1, math.ceil((started + 1) * window - now))
        raise RateLimited(
            f"Too many requests. Try again in {retry_after} seconds.", retry_after=retry_after
        )

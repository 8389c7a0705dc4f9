"""Counting requests in the cache, so nobody can make the site mail a person without end."""

import hashlib

from django.core.cache import cache


class RateLimited(Exception):
    """Too many requests for this address or from this network address; try again later."""


def _key(scope: str, value: str) -> str:
    digest = hashlib.sha256(value.strip().lower().encode()).hexdigest()[:32]
    return f"ratelimit:{scope}:{digest}"


def check_and_count(scope: str, values: list[str], *, limit: int, window: int = 3600) -> None:
    """Count one request against each value (an email, an IP); refuse past `limit` per window.

    Counting before refusing means a flood keeps itself refused until the window ends.
    """
    over = False
    for value in values:
        if not value:
            continue
        key = _key(scope, value)
        cache.add(key, 0, timeout=window)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=window)
            count = 1
        over = over or count > limit
    if over:
        raise RateLimited("Too many requests. Please wait an hour and try again.")


def client_ip(request) -> str:
    """The address the request came from, for per-network limits."""
    return request.META.get("REMOTE_ADDR", "")

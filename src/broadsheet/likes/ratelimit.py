"""A per-minute cap on like toggles, per browser and per address, kept in the shared cache.

Without it one script could flip a count thousands of times a minute.
"""

from broadsheet.core.ratelimit import hits

READER_LIMIT = 30  # toggles a minute from one browser
ADDRESS_LIMIT = 120  # from one address: higher, since many readers can share one
WINDOW_SECONDS = 60


def _hit(name: str, limit: int) -> bool:
    """Count one toggle; True while still within the limit for this window."""
    return hits("likes", name, window=WINDOW_SECONDS) <= limit


def allow_toggle(*, reader: str, address: str) -> bool:
    """Both counters move on every attempt, so a refused flood stays refused."""
    address_ok = _hit(f"address:{address}", ADDRESS_LIMIT)
    reader_ok = _hit(f"reader:{reader}", READER_LIMIT)
    return address_ok and reader_ok

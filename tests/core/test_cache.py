"""The one-box site's shared cache stays open between requests."""

import pytest
from django.conf import settings
from django.core.cache import caches, close_caches

from broadsheet.core.cache import SharedDiskCache

pytestmark = pytest.mark.skipif(bool(settings.BROADSHEET_REDIS_URL), reason="Redis is the cache")


def _connections() -> list:
    return [getattr(shard._local, "con", None) for shard in caches["default"]._cache._shards]


def test_the_end_of_a_request_leaves_the_cache_open():
    cache = caches["default"]
    assert isinstance(cache, SharedDiskCache)
    cache.set("kept", 1)
    before = _connections()
    assert any(before)

    close_caches()  # what Django runs at the end of every request

    assert _connections() == before
    assert cache.get("kept") == 1

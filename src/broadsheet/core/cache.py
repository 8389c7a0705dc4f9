"""The shared cache of a one-box site: diskcache's SQLite files in the data folder."""

from diskcache import DjangoCache


class SharedDiskCache(DjangoCache):
    """diskcache's Django backend, kept open between requests.

    Django closes every cache when a request ends (for the sake of caches that hold a
    socket per request); diskcache then opens its SQLite files again on the next one,
    which cost 1.5 ms of every request Django answered (rate limits read the cache on
    each). Its connections are per thread and reopened after a fork, so keeping them open
    is what diskcache itself expects.
    """

    def close(self, **kwargs) -> None:
        return None

"""Background work for search, run by `broadsheet worker`."""

from django.db import connection
from django.tasks import task

from broadsheet.search import indexing


@task
def rebuild_index() -> int:
    """After the site's language changes: PostgreSQL stems by it. (SQLite's FTS5 has
    one stemmer, English, so its index does not change.)"""
    if connection.vendor != "postgresql":
        return 0
    return indexing.rebuild()

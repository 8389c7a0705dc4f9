"""The query planner's statistics: the one place that knows which database it runs on.

PostgreSQL's autovacuum analyses tables as they change; after a bulk load we ask for
VACUUM (ANALYZE) at once rather than wait for it. SQLite gathers statistics only when
told to. Its `PRAGMA optimize` is meant to, but by default it only looks at tables the
same connection has already queried, and re-analyses one only once it has grown many
times over (25 in 3.40, 10 in the 3.50 we ship, `conf.sqlite`): a fresh connection (ours
are per request, or per command) does nothing, and a site that grew from its demo posts
to 100,000 keeps the demo's figures. So this does the same job for every table:
`ANALYZE` a table that has rows and no statistics, or is twice or half the size it was
when analysed, with `analysis_limit` so each one takes a few milliseconds (SQLite
samples that many rows of each index). A table with a partial index is analysed whole
(100,000 posts: 0.1 s): sampled, a partial index's size can come out larger than the
full index it is a part of, and the planner then counts the public posts through the
full one, reading every row (400 ms for the API's total instead of 9). In WAL mode
readers are never blocked by it; a writer waits at most that long.

The listing indexes are chosen so the plans are right without any statistics
(tests/content/test_query_plans.py); statistics keep the rest of the planner honest.
Called after `migrate` (and so at `serve` start-up), after `generate` and `demo`, and
every few minutes by `broadsheet worker`.
"""

import logging
from collections.abc import Sequence

from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.db.backends.base.base import BaseDatabaseWrapper

log = logging.getLogger(__name__)

ANALYSIS_LIMIT = 1000  # rows of each index SQLite reads when it analyses a table
GROWTH = 2  # a table twice (or half) the size it was analysed at is analysed again


def keep_statistics_fresh(
    using: str = DEFAULT_DB_ALIAS,
    *,
    new_indexes: bool = False,
    bulk_load: bool = False,
    tables: Sequence[str] = (),
) -> list[str]:
    """Refresh the planner's statistics where they are missing or stale; the tables done.

    Cheap when nothing changed (on SQLite, a look at each table's first and last row).
    `new_indexes` (after migrations): also analyse a table with an index that has no
    statistics yet. `bulk_load` (after `generate` or `demo`): that too, and on PostgreSQL
    VACUUM (ANALYZE) now, of `tables` only when the load wrote no others. Never raises for
    a database error: it logs it and tries again next time.
    """
    connection = connections[using]
    try:
        if connection.vendor == "sqlite":
            return _refresh_sqlite(connection, new_indexes=new_indexes or bulk_load)
        if connection.vendor == "postgresql" and bulk_load:
            # VACUUM too, as autovacuum would soon: it marks the new rows visible to all,
            # so that counting the posts can read the index alone. Not in a transaction.
            command = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
            with connection.cursor() as cursor:
                cursor.execute(
                    " ".join([command, ", ".join(map(connection.ops.quote_name, tables))])
                )
            return list(tables) or ["(all)"]
    except DatabaseError:
        log.warning("Could not refresh the planner's statistics", exc_info=True)
    return []


def _refresh_sqlite(connection: BaseDatabaseWrapper, *, new_indexes: bool) -> list[str]:
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE type IN ('table', 'index')"
        )
        schema = cursor.fetchall()
        virtual = [name for _, name, _, sql in schema if (sql or "").startswith("CREATE VIRTUAL")]
        tables = [name for kind, name, _, _ in schema if kind == "table" and _ours(name, virtual)]
        indexes: dict[str, list[str]] = {}
        partial: set[str] = set()
        for kind, name, table, sql in schema:
            if kind == "index":
                indexes.setdefault(table, []).append(name)
                if sql and " WHERE " in sql.upper():
                    partial.add(table)
        rows_when_analysed: dict[str, int] = {}
        analysed_indexes: set[str] = set()
        if any(name == "sqlite_stat1" for _, name, _, _ in schema):
            cursor.execute("SELECT tbl, idx, stat FROM sqlite_stat1")
            for table, index, stat in cursor.fetchall():
                rows = int(stat.split()[0])  # an estimate when analysis_limit applied
                rows_when_analysed[table] = max(rows, rows_when_analysed.get(table, 0))
                analysed_indexes.add(index)

        stale = [
            table
            for table in tables
            if _is_stale(
                cursor,
                quote(table),
                rows_when_analysed.get(table),
                unanalysed_index=new_indexes
                and not analysed_indexes.issuperset(indexes.get(table, [])),
            )
        ]
        if not stale:
            return []

        cursor.execute("PRAGMA analysis_limit")
        previous_limit = cursor.fetchone()[0]
        try:
            for table in stale:
                limit = 0 if table in partial else ANALYSIS_LIMIT  # 0: every row
                cursor.execute(f"PRAGMA analysis_limit = {limit}")
                cursor.execute(f"ANALYZE {quote(table)}")
        finally:
            cursor.execute(f"PRAGMA analysis_limit = {int(previous_limit)}")
    log.info("Analysed %s for the query planner", ", ".join(stale))
    return stale


def _is_stale(cursor, table: str, then: int | None, *, unanalysed_index: bool) -> bool:
    """Whether a table (its quoted name, from sqlite_master) needs analysing now."""
    # The rowid span: the row count, or more after deletions. Two subqueries, so each is
    # a single step down the table's b-tree rather than a scan.
    cursor.execute(
        f"SELECT (SELECT max(rowid) FROM {table}) - (SELECT min(rowid) FROM {table}) + 1"  # noqa: S608 (a name from sqlite_master, quoted)
    )
    span = cursor.fetchone()[0]
    if not span:
        return False  # empty: nothing to learn, and no statistics beat "0 rows"
    if then is None or unanalysed_index or span * GROWTH <= then:
        return True  # never analysed, a new index, or shrank (a span is never below a count)
    if span < then * GROWTH:
        return False
    cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 (as above) grew, or deletions?
    return cursor.fetchone()[0] >= then * GROWTH


def _ours(table: str, virtual: list[str]) -> bool:
    """Tables of the site, not SQLite's own (sqlite_sequence, sqlite_stat1) nor virtual
    ones (search's FTS5) and their shadow tables, which the planner does not read."""
    return not table.startswith(("sqlite_", *virtual))


def refresh_after_migrate(*, using: str = DEFAULT_DB_ALIAS, plan=None, **kwargs) -> None:
    """post_migrate receiver. `flush` sends the signal too, without a plan: skipped."""
    if plan is not None:
        keep_statistics_fresh(using, new_indexes=True)

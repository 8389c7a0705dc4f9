"""The embedded default's SQLite: a build of our own choosing (the `sqlean.py` wheel,
SQLite 3.50), not whichever the system's Python links (Debian 12's is 3.40).

The search index needs 3.43's `contentless_delete` (an FTS5 table that forgets a row by
its id, with no copy of its text kept beside it), and every platform then plans queries
with the same SQLite. `sqlean` is a drop-in `sqlite3` module: it is installed as
`sqlite3` before Django's backend imports it, which is how its authors (and pysqlite3's)
say to use it with a framework.
"""

import sys

import sqlean
import sqlean.dbapi2

# `sqlite3`'s constants for `Connection.getlimit` (Django asks two of them).
SQLITE_LIMIT_COLUMN = 2
SQLITE_LIMIT_VARIABLE_NUMBER = 9


class Connection(sqlean.Connection):
    """`sqlean`'s connection, with the `getlimit` Python 3.11 added to `sqlite3`
    (Django's backend asks it how many columns and parameters a statement may have)."""

    def getlimit(self, category: int) -> int:
        # The limits are the build's compile-time maxima (no one lowers them here).
        option = {
            SQLITE_LIMIT_COLUMN: "MAX_COLUMN",
            SQLITE_LIMIT_VARIABLE_NUMBER: "MAX_VARIABLE_NUMBER",
        }
        for (compiled,) in self.execute("PRAGMA compile_options"):
            name, _, value = compiled.partition("=")
            if name == option.get(category):
                return int(value)
        raise sqlean.NotSupportedError(f"no limit known for category {category}")


def install() -> None:
    """Make `import sqlite3` give the bundled build, in this process: before Django's
    backend is imported (settings are read first)."""
    if "django.db.backends.sqlite3.base" in sys.modules:
        raise RuntimeError("Django's SQLite backend was imported before the bundled build")
    for module in (sqlean, sqlean.dbapi2):
        module.SQLITE_LIMIT_COLUMN = SQLITE_LIMIT_COLUMN
        module.SQLITE_LIMIT_VARIABLE_NUMBER = SQLITE_LIMIT_VARIABLE_NUMBER
    sys.modules["sqlite3"] = sqlean
    sys.modules["sqlite3.dbapi2"] = sqlean.dbapi2

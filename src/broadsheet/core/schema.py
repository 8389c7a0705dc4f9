"""Whether the database has the tables this version of Broadsheet needs.

Commands that fill a site (`serve`, `demo`, `generate`) migrate first; every other one, on
a database that is not set up, says in one line what to run (`cli.main`), not a traceback.
"""

from django.conf import settings
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.db.migrations.executor import MigrationExecutor


def migrate() -> None:
    call_command("migrate", interactive=False, verbosity=0)


def unapplied_migrations(using: str = DEFAULT_DB_ALIAS) -> int:
    """How many migrations the database lacks (0 too when it cannot be asked at all)."""
    connection = connections[using]
    try:
        connection.close()  # whatever went wrong with it, ask afresh
        executor = MigrationExecutor(connection)
        return len(executor.migration_plan(executor.loader.graph.leaf_nodes()))
    except DatabaseError:
        return 0


def not_set_up_message() -> str:
    if settings.DATABASES[DEFAULT_DB_ALIAS]["ENGINE"].endswith("sqlite3"):
        where, option = f"in {settings.DATA_DIR} ", f" --data-dir {settings.DATA_DIR}"
    else:
        where, option = "", ""
    return (
        f"the database {where}is not set up for this version of Broadsheet: "
        f"run `broadsheet migrate{option}` first."
    )

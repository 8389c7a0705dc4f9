"""SQLite's index forgets a row by its id (`contentless_delete`, in the bundled SQLite),
so the copies of the texts it needed go. An index made before is made again: an FTS5
table's options are fixed when it is made."""

from django.db import migrations


def index_forgetting_by_id(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "sqlite":
        return  # PostgreSQL's entries hold their own words
    from broadsheet.search import indexing
    from broadsheet.search.engines import sqlite

    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT sql FROM sqlite_master WHERE name = %s", [sqlite.INDEX])
        (made,) = cursor.fetchone()
        if "contentless_delete" in made:
            return  # a new site's (`0001` made the engine's tables as they are now)
        cursor.execute(f"DROP TABLE {sqlite.INDEX}")
        cursor.execute(sqlite.INDEX_TABLE)
        cursor.execute(sqlite.ENTRY_GONE)
        cursor.execute(sqlite.ENTRY_CHANGED)
    indexing.rebuild()


class Migration(migrations.Migration):
    dependencies = [("broadsheet_search", "0003_texts_on_sqlite_only")]

    operations = [
        migrations.DeleteModel(name="EntryText"),
        migrations.RunPython(index_forgetting_by_id, migrations.RunPython.noop),
    ]

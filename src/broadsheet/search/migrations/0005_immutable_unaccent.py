"""On PostgreSQL, texts and queries are folded by `broadsheet_unaccent` (`postgres.FOLD`),
which a site made before had not: the same folding, so its vectors stay as they are."""

from django.db import migrations


def fold_immutably(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        from broadsheet.search.engines import postgres

        schema_editor.execute(postgres.FOLD, params=None)


class Migration(migrations.Migration):
    dependencies = [("broadsheet_search", "0004_index_forgets_by_id")]

    operations = [migrations.RunPython(fold_immutably, migrations.RunPython.noop)]

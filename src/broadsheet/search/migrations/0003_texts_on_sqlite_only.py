from django.db import migrations


def forget_postgresql_copies(apps, schema_editor) -> None:
    """PostgreSQL's index never needed the copies of the texts (each entry's words are in
    its own row), and snippets are now cut from the posts' and pages' bodies."""
    if schema_editor.connection.vendor == "postgresql":
        apps.get_model("broadsheet_search", "EntryText").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("broadsheet_search", "0002_entry_hidden_indexes")]

    operations = [migrations.RunPython(forget_postgresql_copies, migrations.RunPython.noop)]

"""The indexes as SQLite 3.50 (the build we ship) plans with them: the studio's order
gets one of its own, the plain `published_at` index goes (3.50 preferred it to the public
indexes), and the public index holds its condition's columns (so it counts alone).

The plain index is dropped by name, not by `AlterField`: on SQLite that remakes the posts
table, which the search index's triggers name, and SQLite refuses to rename a table over
a trigger that names a missing one."""

from django.db import migrations, models

PLAIN_INDEX = "broadsheet_content_post_published_at_90e0dc61"


class Migration(migrations.Migration):
    dependencies = [("broadsheet_content", "0007_post_uuid_featured")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="post",
                    name="published_at",
                    field=models.DateTimeField(blank=True, null=True),
                )
            ],
            database_operations=[
                migrations.RunSQL(
                    f"DROP INDEX IF EXISTS {PLAIN_INDEX}",
                    f"CREATE INDEX {PLAIN_INDEX} ON broadsheet_content_post (published_at)",
                )
            ],
        ),
        migrations.RemoveIndex(model_name="post", name="post_public_idx"),
        migrations.AddIndex(
            model_name="post",
            index=models.Index(
                condition=models.Q(
                    ("status__in", ("published", "scheduled")), ("trashed_at__isnull", True)
                ),
                fields=["-published_at", "-id", "status", "trashed_at"],
                name="post_public_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="post",
            index=models.Index(
                models.OrderBy(
                    models.ExpressionWrapper(
                        models.Q(("published_at__isnull", True)),
                        output_field=models.BooleanField(),
                    ),
                    descending=True,
                ),
                models.OrderBy(models.F("published_at"), descending=True),
                models.OrderBy(models.F("modified_at"), descending=True),
                models.OrderBy(models.F("id"), descending=True),
                name="post_studio_idx",
            ),
        ),
    ]

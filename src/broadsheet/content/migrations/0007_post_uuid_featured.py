"""Ghost's `uuid` on posts and pages, and `featured` on posts. The uuids of existing rows
are made in batches: a callable default in `AddField` would give every row the same one."""

import uuid

from django.db import migrations, models

BATCH = 2000


def give_each_a_uuid(apps, schema_editor):
    for name in ("Post", "Page"):
        model = apps.get_model("broadsheet_content", name)
        pending = model.objects.filter(uuid__isnull=True).order_by("pk")
        while batch := list(pending.only("pk")[:BATCH]):
            for row in batch:
                row.uuid = uuid.uuid4()
            model.objects.bulk_update(batch, ["uuid"])


class Migration(migrations.Migration):
    dependencies = [("broadsheet_content", "0006_public_indexes")]

    operations = [
        migrations.AddField(
            model_name="post",
            name="featured",
            field=models.BooleanField(default=False, help_text="Shown first where a theme asks."),
        ),
        *(
            migrations.AddField(
                model_name=name, name="uuid", field=models.UUIDField(editable=False, null=True)
            )
            for name in ("post", "page")
        ),
        migrations.RunPython(give_each_a_uuid, migrations.RunPython.noop, elidable=True),
        *(
            migrations.AlterField(
                model_name=name,
                name="uuid",
                field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
            )
            for name in ("post", "page")
        ),
    ]

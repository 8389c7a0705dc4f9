"""Ghost's `uuid` and `featured` on posts. The uuids of existing posts are made in
batches: a callable default in `AddField` would give every row the same one."""

import uuid

from django.db import migrations, models

BATCH = 2000


def give_each_post_a_uuid(apps, schema_editor):
    Post = apps.get_model("broadsheet_content", "Post")
    pending = Post.objects.filter(uuid__isnull=True).order_by("pk")
    while batch := list(pending.only("pk")[:BATCH]):
        for post in batch:
            post.uuid = uuid.uuid4()
        Post.objects.bulk_update(batch, ["uuid"])


class Migration(migrations.Migration):
    dependencies = [("broadsheet_content", "0006_public_indexes")]

    operations = [
        migrations.AddField(
            model_name="post",
            name="featured",
            field=models.BooleanField(default=False, help_text="Shown first where a theme asks."),
        ),
        migrations.AddField(
            model_name="post", name="uuid", field=models.UUIDField(editable=False, null=True)
        ),
        migrations.RunPython(give_each_post_a_uuid, migrations.RunPython.noop, elidable=True),
        migrations.AlterField(
            model_name="post",
            name="uuid",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
        ),
    ]

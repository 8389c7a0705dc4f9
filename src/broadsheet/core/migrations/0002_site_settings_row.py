from django.db import migrations


def create_site_settings(apps, schema_editor):
    apps.get_model("broadsheet_core", "SiteSettings").objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [("broadsheet_core", "0001_initial")]

    operations = [migrations.RunPython(create_site_settings, migrations.RunPython.noop)]

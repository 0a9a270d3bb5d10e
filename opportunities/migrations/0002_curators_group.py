"""Create the Curators group with exactly the permissions curators need."""

from django.db import migrations


def curators_group_create(apps, schema_editor):
    from opportunities.catalog.curators import curators_group_sync

    curators_group_sync(apps=apps)


class Migration(migrations.Migration):
    dependencies = [
        ("opportunities", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(curators_group_create, migrations.RunPython.noop),
    ]

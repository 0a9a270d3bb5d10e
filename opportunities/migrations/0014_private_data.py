"""Keep developers' and recruiters' identities private.

A developer chooses the name recruiters see (the candidates page showed the username, which is
the e-mail address), and curators lose the add and change permissions on company memberships,
which let them make any user id a member of any company.
"""

from django.db import migrations, models

from opportunities.catalog.curators import curators_group_sync


def curators_permissions_sync(apps, schema_editor):
    curators_group_sync(apps=apps)


class Migration(migrations.Migration):
    dependencies = [
        ("opportunities", "0013_catalog_text_clean"),
    ]

    operations = [
        migrations.AddField(
            model_name="developerprofile",
            name="display_name",
            field=models.CharField(blank=True, max_length=80),
        ),
        migrations.RunPython(curators_permissions_sync, migrations.RunPython.noop),
    ]

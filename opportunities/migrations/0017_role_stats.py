"""Per-role daily counters: views, search appearances, apply clicks and tracker saves."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("opportunities", "0016_search_symbol_names"),
    ]

    operations = [
        migrations.CreateModel(
            name="RoleStat",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("day", models.DateField()),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("view", "Views"),
                            ("search_appearance", "Search appearances"),
                            ("apply_click", "Apply clicks"),
                            ("tracker_save", "Tracker saves"),
                        ],
                        max_length=20,
                    ),
                ),
                ("count", models.PositiveIntegerField(default=0)),
                (
                    "role",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="stats",
                        to="opportunities.role",
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(fields=("role", "day", "kind"), name="role_stat_unique")
                ],
            },
        ),
    ]

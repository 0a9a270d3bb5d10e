"""Developers report roles (once per person per role); curators see and resolve the reports."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from opportunities.catalog.curators import curators_group_sync


def curators_permissions_sync(apps, schema_editor):
    curators_group_sync(apps=apps)


class Migration(migrations.Migration):
    dependencies = [
        ("opportunities", "0017_role_stats"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="RoleReport",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "reason",
                    models.CharField(
                        choices=[
                            ("scam", "Scam or fraud"),
                            ("discriminatory", "Discriminatory"),
                            ("filled", "Filled or expired"),
                            ("wrong_details", "Wrong details"),
                            ("other", "Something else"),
                        ],
                        max_length=20,
                    ),
                ),
                ("details", models.TextField(blank=True, max_length=2000)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("resolved_at", models.DateTimeField(blank=True, null=True)),
                (
                    "outcome",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("dismissed", "Dismissed: nothing wrong with the role"),
                            ("upheld", "Upheld: the role was dealt with"),
                        ],
                        max_length=20,
                    ),
                ),
                (
                    "reporter",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="role_reports",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "resolved_by",
                    models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "role",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="reports",
                        to="opportunities.role",
                    ),
                ),
            ],
            options={
                "ordering": ["created_at", "id"],
                "indexes": [
                    models.Index(
                        condition=models.Q(("resolved_at__isnull", True)),
                        fields=["created_at"],
                        name="rolereport_unresolved",
                    )
                ],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("role", "reporter"), name="rolereport_once_per_person"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("outcome", ""), ("resolved_at__isnull", True)),
                            models.Q(
                                ("resolved_at__isnull", False),
                                models.Q(("outcome", ""), _negated=True),
                            ),
                            _connector="OR",
                        ),
                        name="rolereport_resolved_has_outcome",
                    ),
                ],
            },
        ),
        migrations.RunPython(curators_permissions_sync, migrations.RunPython.noop),
    ]

"""Insights: postings' history, its rollups, page figures, runs and exchange rates."""

from django.db import migrations, models

from opportunities.catalog.curators import curators_group_sync


def curators_permissions_sync(apps, schema_editor):
    curators_group_sync(apps=apps)


class Migration(migrations.Migration):
    dependencies = [
        ("opportunities", "0022_role_eligibility"),
    ]

    operations = [
        migrations.CreateModel(
            name="InsightRole",
            fields=[
                ("role_key", models.BigIntegerField(primary_key=True, serialize=False)),
                ("opened_on", models.DateField()),
                ("closed_on", models.DateField(blank=True, null=True)),
                ("industry_id", models.IntegerField(default=0)),
                ("company_id", models.IntegerField(default=0)),
                ("workplace", models.CharField(max_length=10)),
                ("worldwide", models.BooleanField(default=False)),
                ("country", models.CharField(blank=True, max_length=2)),
                ("seniority", models.CharField(blank=True, max_length=20)),
                ("salary_yearly", models.PositiveIntegerField(blank=True, null=True)),
                ("salary_currency", models.CharField(blank=True, max_length=3)),
                ("salary_bucket", models.IntegerField(blank=True, null=True)),
            ],
        ),
        migrations.CreateModel(
            name="InsightRun",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[("rebuild", "Full rebuild"), ("incremental", "Incremental")],
                        max_length=20,
                    ),
                ),
                ("started_at", models.DateTimeField()),
                ("finished_at", models.DateTimeField(blank=True, null=True)),
                ("watermark", models.DateTimeField(blank=True, null=True)),
                ("as_of", models.DateField(help_text="The day the run counts up to.")),
                ("roles_read", models.IntegerField(default=0)),
                ("succeeded", models.BooleanField(default=False)),
            ],
            options={
                "ordering": ["-started_at", "-id"],
            },
        ),
        migrations.CreateModel(
            name="ExchangeRate",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("currency", models.CharField(help_text="ISO 4217 code, e.g. EUR.", max_length=3)),
                ("usd_per_unit", models.DecimalField(decimal_places=6, max_digits=14)),
                ("valid_from", models.DateField()),
            ],
            options={
                "ordering": ["currency", "-valid_from"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("currency", "valid_from"), name="exchangerate_unique"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("usd_per_unit__gt", 0)), name="exchangerate_positive"
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="InsightCompany",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("skill_id", models.IntegerField()),
                ("company_id", models.IntegerField()),
                ("company_name", models.CharField(max_length=200)),
                ("roles", models.IntegerField()),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("skill_id", "company_id"), name="inscompanyfig_unique"
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="InsightCompanyMonth",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("month", models.DateField()),
                ("skill_id", models.IntegerField()),
                ("company_id", models.IntegerField()),
                ("count", models.IntegerField(default=0)),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("month", "skill_id", "company_id"), name="inscompany_unique"
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="InsightDay",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("day", models.DateField()),
                ("skill_id", models.IntegerField()),
                ("industry_id", models.IntegerField()),
                ("workplace", models.CharField(max_length=10)),
                ("worldwide", models.BooleanField()),
                ("country", models.CharField(max_length=2)),
                ("opened", models.IntegerField(default=0)),
                ("closed", models.IntegerField(default=0)),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=(
                            "day",
                            "skill_id",
                            "industry_id",
                            "workplace",
                            "worldwide",
                            "country",
                        ),
                        name="insday_unique",
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="InsightPairMonth",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("month", models.DateField()),
                ("skill_id", models.IntegerField()),
                ("other_id", models.IntegerField()),
                ("count", models.IntegerField(default=0)),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("month", "skill_id", "other_id"), name="inspair_unique"
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="InsightRelated",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("skill_id", models.IntegerField()),
                ("other_id", models.IntegerField()),
                ("roles", models.IntegerField(help_text="Postings asking for both.")),
                ("share", models.FloatField(help_text="Of the postings asking for skill_id.")),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("skill_id", "other_id"), name="insrelated_unique"
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="InsightRising",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("skill_id", models.IntegerField()),
                ("industry_id", models.IntegerField(default=0)),
                ("recent", models.IntegerField()),
                ("previous", models.IntegerField()),
                ("growth", models.FloatField(help_text="recent / previous - 1")),
            ],
            options={
                "indexes": [
                    models.Index(fields=["industry_id", "-growth"], name="insrising_growth")
                ],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("industry_id", "skill_id"), name="insrising_unique"
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="InsightRoleSkill",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("role_key", models.BigIntegerField()),
                ("skill_id", models.IntegerField()),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("role_key", "skill_id"), name="insroleskill_unique"
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="InsightSalary",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("skill_id", models.IntegerField()),
                ("seniority", models.CharField(blank=True, max_length=20)),
                ("country", models.CharField(blank=True, max_length=2)),
                ("currency", models.CharField(max_length=3)),
                ("converted", models.BooleanField(default=False)),
                ("count", models.IntegerField()),
                ("p25", models.IntegerField(null=True)),
                ("p50", models.IntegerField(null=True)),
                ("p75", models.IntegerField(null=True)),
                ("buckets", models.JSONField(blank=True, default=list)),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("skill_id", "seniority", "country", "currency", "converted"),
                        name="inssalaryfig_unique",
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="InsightSalaryMonth",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("month", models.DateField()),
                ("skill_id", models.IntegerField()),
                ("seniority", models.CharField(max_length=20)),
                ("country", models.CharField(max_length=2)),
                ("currency", models.CharField(max_length=3)),
                ("bucket", models.IntegerField()),
                ("count", models.IntegerField(default=0)),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("month", "skill_id", "seniority", "country", "currency", "bucket"),
                        name="inssalary_unique",
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="InsightWeek",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("skill_id", models.IntegerField()),
                ("industry_id", models.IntegerField(default=0)),
                ("workplace", models.CharField(blank=True, max_length=10)),
                ("week", models.DateField(help_text="The Monday the week starts on.")),
                ("open_roles", models.IntegerField(help_text="Open at the end of the week.")),
                ("new_roles", models.IntegerField(help_text="Opened during the week.")),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("skill_id", "industry_id", "workplace", "week"),
                        name="insweek_unique",
                    )
                ],
            },
        ),
        migrations.RunPython(curators_permissions_sync, migrations.RunPython.noop),
    ]

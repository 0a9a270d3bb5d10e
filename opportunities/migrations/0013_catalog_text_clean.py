"""Clean the text already stored: role descriptions sanitised, control characters removed.

Role descriptions typed in the admin were stored as typed and shown as HTML; from now on every
write path sanitises them (opportunities/catalog/services.py), and this brings the rows
written before up to the same rule. Batched by id, each batch its own transaction, so a large
table is neither locked nor held in memory at once; rows already clean are not rewritten
(on PostgreSQL a rewrite also recomputes the row's search vectors).
"""

from django.db import migrations, transaction

from opportunities.text import html_clean, text_clean

BATCH = 1000
ROLE_TEXT = ("title", "city", "region", "applicant_timezones", "review_note")
COMPANY_TEXT = ("name", "description")


def _clean_rows(model, fields, cleaners, using):
    last = 0
    while True:
        with transaction.atomic(using=using):
            rows = list(
                model.objects.using(using)
                .filter(pk__gt=last)
                .order_by("pk")
                .only("pk", *fields)[:BATCH]
            )
            if not rows:
                return
            changed = []
            for row in rows:
                dirty = False
                for field in fields:
                    value = getattr(row, field)
                    cleaned = cleaners.get(field, text_clean)(value) if value else value
                    if cleaned != value:
                        setattr(row, field, cleaned)
                        dirty = True
                if dirty:
                    changed.append(row)
            if changed:
                model.objects.using(using).bulk_update(changed, list(fields))
            last = rows[-1].pk


def catalog_text_clean(apps, schema_editor):
    using = schema_editor.connection.alias
    _clean_rows(
        apps.get_model("opportunities", "Role"),
        ("description", *ROLE_TEXT),
        {"description": html_clean},
        using,
    )
    _clean_rows(apps.get_model("opportunities", "Company"), COMPANY_TEXT, {}, using)


class Migration(migrations.Migration):
    # Each batch commits on its own: a million roles are not one transaction.
    atomic = False

    dependencies = [
        ("opportunities", "0012_role_open_industry_newest"),
    ]

    operations = [
        migrations.RunPython(catalog_text_clean, migrations.RunPython.noop, elidable=True),
    ]

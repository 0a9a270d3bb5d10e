from django.db import migrations

# PostgreSQL only: text without exclusions tests the small in-row vector first
# (search.backends.PostgresSearchBackend.match); rare terms then need it indexed too, for a
# BitmapOr with role_search_vector_gin.
FORWARD = (
    "CREATE INDEX IF NOT EXISTS role_search_head_gin ON opportunities_role USING gin (search_head) "
    "WHERE status = 'published' AND duplicate_of_id IS NULL"
)
BACKWARD = "DROP INDEX IF EXISTS role_search_head_gin"


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [
        ("opportunities", "0008_search_perf"),
    ]

    operations = [migrations.RunPython(forward, backward)]

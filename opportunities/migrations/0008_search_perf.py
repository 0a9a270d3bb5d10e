from django.db import migrations

# PostgreSQL only: the search sample (newest matches with the columns facets count and the
# filters test) is read from this index alone, without touching the 1.5 KB heap rows. It
# covers exactly the rows the board shows (published, canonical); expiry is tested on the
# included column. See docs/search.md.
FORWARD = """
CREATE INDEX IF NOT EXISTS role_open_newest ON opportunities_role (posted_at DESC, id DESC)
INCLUDE (expires_at, industry_id, workplace, worldwide, seniority, employment_type,
         visa_sponsorship, country, applicant_countries, salary_yearly_min, salary_yearly_max,
         company_id, skill_ids)
WHERE status = 'published' AND duplicate_of_id IS NULL
"""
BACKWARD = "DROP INDEX IF EXISTS role_open_newest"


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [
        ("opportunities", "0007_role_salary_top"),
    ]

    operations = [migrations.RunPython(forward, backward)]

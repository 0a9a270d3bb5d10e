"""Search text spells symbol names as words and splits slashed titles, as queries now do.

PostgreSQL's parser reads "C++" and "C#" as the letter 'c', ".NET" as 'net' and "Node.js" as a
host name, and "Mid/Senior" as one path-like token that neither "mid" nor "senior" finds. The
trigger now vectorises the text through opportunities_search_text(), which writes C++, C#, F#,
.NET and *.js names as single words (the rules of opportunities.search.backends.base.
SYMBOL_NAMES) and, in titles and skills, puts spaces around a slash between words; queries are
rewritten by the same rules. Every role is re-vectorised once.
"""

from django.db import migrations

SEARCH_TEXT = r"""
CREATE OR REPLACE FUNCTION opportunities_search_text(value text) RETURNS text AS $$
  -- Text that names none of them is ruled out by one scan before the five rewrites run.
  SELECT CASE
    WHEN value IS NULL THEN ''
    WHEN value !~* '(c\+\+|[cf]#|\.net|\.js)' THEN value
    ELSE regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(
    value,
    '(?<![[:alnum:]_+#])c\+\+(?![[:alnum:]_+#])', 'cplusplus', 'gi'),
    '(?<![[:alnum:]_+#])c#(?![[:alnum:]_+#])', 'csharp', 'gi'),
    '(?<![[:alnum:]_+#])f#(?![[:alnum:]_+#])', 'fsharp', 'gi'),
    '(?<![[:alnum:]_.])\.net(?![[:alnum:]_])', 'dotnet', 'gi'),
    '(?<![[:alnum:]_.])([[:alnum:]_]+)\.js(?![[:alnum:]_])', '\1js', 'gi')
  END
$$ LANGUAGE sql IMMUTABLE PARALLEL SAFE
"""

SLASHES_SPACED = r"""
CREATE OR REPLACE FUNCTION opportunities_search_title(value text) RETURNS text AS $$
  SELECT regexp_replace(opportunities_search_text(value), '([[:alpha:]])/(?=[[:alpha:]])', '\1 / ', 'g')
$$ LANGUAGE sql IMMUTABLE PARALLEL SAFE
"""


def _trigger(title: str, skills: str, company: str, description: str) -> str:
    """The trigger function with these expressions for its four texts (ours, not input)."""
    return f"""
    CREATE OR REPLACE FUNCTION opportunities_role_search_update() RETURNS trigger AS $$
    DECLARE company_name text;
    BEGIN
      IF TG_OP = 'UPDATE' AND NEW.search_vector IS NOT NULL
         AND NEW.title IS NOT DISTINCT FROM OLD.title
         AND NEW.skill_text IS NOT DISTINCT FROM OLD.skill_text
         AND NEW.company_id IS NOT DISTINCT FROM OLD.company_id
         AND NEW.description IS NOT DISTINCT FROM OLD.description THEN
        RETURN NEW;
      END IF;
      SELECT name INTO company_name FROM opportunities_company WHERE id = NEW.company_id;
      NEW.search_head :=
        setweight(to_tsvector('english', {title}), 'A')
        || setweight(to_tsvector('english', {skills}), 'B')
        || setweight(to_tsvector('english', {company}), 'C');
      NEW.search_vector :=
        NEW.search_head || setweight(to_tsvector('english', {description}), 'D');
      RETURN NEW;
    END $$ LANGUAGE plpgsql
    """  # noqa: S608 - the expressions are this migration's constants


FORWARD = [
    SEARCH_TEXT,
    SLASHES_SPACED,
    _trigger(
        "opportunities_search_title(NEW.title)",
        "opportunities_search_title(NEW.skill_text)",
        "opportunities_search_text(company_name)",
        "opportunities_search_text(NEW.description)",
    ),
    "UPDATE opportunities_role SET search_vector = NULL",
]
BACKWARD = [
    _trigger(
        "coalesce(NEW.title, '')",
        "coalesce(NEW.skill_text, '')",
        "coalesce(company_name, '')",
        "coalesce(NEW.description, '')",
    ),
    "DROP FUNCTION IF EXISTS opportunities_search_title(text)",
    "DROP FUNCTION IF EXISTS opportunities_search_text(text)",
    "UPDATE opportunities_role SET search_vector = NULL",
]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in FORWARD:
            schema_editor.execute(statement)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in BACKWARD:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("opportunities", "0015_one_off_source_names")]

    operations = [migrations.RunPython(forward, backward)]

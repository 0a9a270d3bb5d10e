"""Sources may read Hacker News "Who is hiring?" threads (kind "hn")."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("opportunities", "0018_role_reports")]

    operations = [
        migrations.AlterField(
            model_name="source",
            name="kind",
            field=models.CharField(
                choices=[
                    ("greenhouse", "Greenhouse job board"),
                    ("lever", "Lever postings"),
                    ("ashby", "Ashby job board"),
                    ("rss", "RSS / Atom feed"),
                    ("jsonld", "schema.org JobPosting pages"),
                    ("remotive", "Remotive-style JSON"),
                    ("remoteok", "RemoteOK-style JSON"),
                    ("csv", "CSV upload"),
                    ("hn", "Hacker News: Who is hiring?"),
                ],
                max_length=20,
            ),
        ),
    ]

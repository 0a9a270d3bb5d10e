"""One-off sources were named after their location, so role pages showed local file paths in
"Found on"; rename them by kind and host, as new ones are named."""

from urllib.parse import urlsplit

from django.db import migrations

LABELS = {
    "greenhouse": "Greenhouse job board",
    "lever": "Lever postings",
    "ashby": "Ashby job board",
    "rss": "RSS / Atom feed",
    "jsonld": "schema.org JobPosting pages",
    "remotive": "Remotive-style JSON",
    "remoteok": "RemoteOK-style JSON",
    "csv": "CSV upload",
}


def rename(apps, schema_editor):
    Source = apps.get_model("opportunities", "Source")
    for source in Source.objects.filter(name__startswith="One-off ").select_related("company"):
        label = LABELS.get(source.kind, source.kind)
        location = source.location
        host = urlsplit(location).hostname if location.startswith(("http://", "https://")) else None
        name = f"{label} at {host}" if host else f"{label} (imported file)"
        if source.company_id:
            name = f"{source.company.name}: {name}"
        source.name = name[:200]
        source.save(update_fields=["name"])


class Migration(migrations.Migration):
    dependencies = [("opportunities", "0014_private_data")]

    operations = [migrations.RunPython(rename, migrations.RunPython.noop)]

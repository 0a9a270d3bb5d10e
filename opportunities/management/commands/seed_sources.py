"""Create the demo Sources that ingest the sample feeds shipped in opportunities/data/demo_feeds."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from opportunities.ingest.sources import sources_demo_seed


class Command(BaseCommand):
    help = (
        "Create enabled demo Sources (Greenhouse, Lever, RSS) reading feeds shipped in the "
        "repository, so a running worker and beat ingest them within minutes. Safe to rerun."
    )

    def handle(self, *args, **options):
        for source in sources_demo_seed():
            self.stdout.write(
                f"{source.name}: {source.location} (every {source.interval_minutes} min)"
            )

"""Rematch every developer profile against every open role, in this process and its children."""

import os

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from opportunities.matching.rematch import match_all


class Command(BaseCommand):
    help = (
        "Rematch every profile against every open role (after a scoring change or a large "
        "import), with a progress bar. On PostgreSQL the work is shared by --workers forked "
        "processes (default: one per core); a running Celery fleet can do the same with "
        "match_all_task."
    )

    def add_arguments(self, parser):
        parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
        parser.add_argument("--batch-size", type=int, default=2000)
        parser.add_argument("--no-progress", action="store_true", help="hide the progress bar")

    def handle(self, *args, **options):
        if options["workers"] < 1 or options["batch_size"] < 1:
            raise CommandError("--workers and --batch-size must be at least 1.")
        bar = tqdm(
            desc="profiles rematched",
            unit=" profiles",
            disable=options["no_progress"],
            file=self.stderr._out,
        )

        def progress(done: int, total: int) -> None:
            bar.total = total
            bar.update(done - bar.n)

        try:
            summary = match_all(
                batch_size=options["batch_size"], workers=options["workers"], progress=progress
            )
        finally:
            bar.close()
        self.stdout.write(
            f"Rematched {summary.objects} profiles: {summary.written} matches written, "
            f"{summary.deleted} removed."
        )

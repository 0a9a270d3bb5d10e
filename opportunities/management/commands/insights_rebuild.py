"""Recompute the insights' history, rollups and page figures, or run the daily step now."""

from django.core.management.base import BaseCommand

from opportunities.insights.services import insights_rebuild, insights_update


class Command(BaseCommand):
    help = (
        "Rebuild every role's history and all insights rollups from scratch (set-based SQL), "
        "then the page figures. With --incremental, run the daily step instead: only the roles "
        "changed since the last run."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--incremental", action="store_true", help="only the roles changed since last run"
        )
        parser.add_argument("--quiet", action="store_true", help="no progress lines")

    def handle(self, *args, **options):
        def progress(message: str) -> None:
            if not options["quiet"]:
                self.stderr.write(f"  {message}")

        run = (insights_update if options["incremental"] else insights_rebuild)(progress=progress)
        seconds = (run.finished_at - run.started_at).total_seconds()
        self.stdout.write(
            f"{run.get_kind_display()}: {run.roles_read} role{'s' if run.roles_read != 1 else ''} "
            f"read in {seconds:.1f} s, figures as of {run.as_of}."
        )

"""Run one ingest synchronously: a configured Source, or a kind and a URL or local file."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from opportunities.ingest.run import source_ingest
from opportunities.ingest.sources import source_one_off_get_or_create
from opportunities.models import Company, Industry, IngestRun, Source, SourceKind


class Command(BaseCommand):
    help = (
        "Ingest roles through the same service the scheduled task uses. Either --source ID "
        "(read like a scheduled run: URLs and board tokens, never local files), or --kind KIND "
        "LOCATION (a URL, a board token, or a local file) which is recorded under a disabled "
        "one-off Source."
    )

    def add_arguments(self, parser):
        parser.add_argument("location", nargs="?", help="Feed URL, board token or file path.")
        parser.add_argument("--kind", choices=SourceKind.values, help="The feed's format.")
        parser.add_argument("--source", type=int, help="Id of a configured Source to run.")
        parser.add_argument("--company", help="Slug of the company the feed's roles belong to.")
        parser.add_argument("--industry", help="Slug of the industry to give roles by default.")
        parser.add_argument("--no-progress", action="store_true", help="No progress bar.")

    def handle(self, *args, **options):
        source = self._source(options)
        bar = tqdm(
            desc="items parsed",
            unit=" items",
            disable=options["no_progress"],
            file=self.stderr._out,
        )
        # A path typed after --kind is the operator's own, so it may be read; a configured
        # Source's location was typed by a curator, and is read as a scheduled run reads it.
        typed = options["source"] is None
        try:
            run = source_ingest(source=source, progress=bar.update, allow_local_files=typed)
        finally:
            bar.close()
        self._report(run)
        if run.status == IngestRun.Status.FAILED:
            raise CommandError(f"The run failed: {run.message}")

    def _source(self, options) -> Source:
        if options["source"] is not None:
            if options["kind"] or options["location"]:
                raise CommandError("Give either --source ID, or --kind KIND LOCATION; not both.")
            source = (
                Source.objects.select_related("company", "default_industry")
                .filter(pk=options["source"])
                .first()
            )
            if source is None:
                raise CommandError(f"There is no source with id {options['source']}.")
            return source
        if not options["kind"] or not options["location"]:
            raise CommandError("Give --source ID, or --kind KIND and a LOCATION.")
        company = industry = None
        if options["company"]:
            company = Company.objects.filter(slug=options["company"]).first()
            if company is None:
                raise CommandError(f"There is no company with slug {options['company']!r}.")
        if options["industry"]:
            industry = Industry.objects.filter(slug=options["industry"]).first()
            if industry is None:
                raise CommandError(f"There is no industry with slug {options['industry']!r}.")
        return source_one_off_get_or_create(
            kind=options["kind"],
            location=options["location"],
            company=company,
            industry=industry,
        )

    def _report(self, run: IngestRun) -> None:
        write = self.stdout.write
        write(
            f"Source: {run.source} (id {run.source_id}), run {run.pk}: {run.get_status_display()}"
        )
        if run.message:
            write(run.message)
        if run.status == IngestRun.Status.NOT_MODIFIED:
            return
        write(
            f"{run.fetched} fetched, {run.created} created, {run.updated} updated, "
            f"{run.unchanged} unchanged, {run.closed} closed, {run.rejected} rejected."
        )
        for error in run.errors:
            ident = f" (id {error['external_id']})" if error.get("external_id") else ""
            write(f"  item {error['position'] + 1}{ident}: {error['reason']}")

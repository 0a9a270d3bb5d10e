"""Load industries and skills from the taxonomy data file; safe to run again and again."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from opportunities.catalog.curators import curators_group_sync
from opportunities.catalog.taxonomy import taxonomy_seed

DEFAULT_FILE = Path(__file__).resolve().parents[2] / "data" / "taxonomy.json"


class Command(BaseCommand):
    help = (
        "Create the industries, skills and aliases from a taxonomy file that are missing. "
        "Existing rows (and curators' edits to them) are left as they are."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--file", default=str(DEFAULT_FILE), help="Taxonomy JSON (default: %(default)s)."
        )

    def handle(self, *args, **options):
        path = Path(options["file"])
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError as error:
            raise CommandError(f"No taxonomy file at {path}.") from error
        except json.JSONDecodeError as error:
            raise CommandError(f"{path} is not valid JSON: {error}") from error
        if not isinstance(data, dict) or not {"industries", "skills"} & data.keys():
            raise CommandError(f"{path} has neither 'industries' nor 'skills'.")
        report = taxonomy_seed(data=data)
        curators_group_sync()
        self.stdout.write(f"Taxonomy from {path.name}: {report}")
        self.stdout.write("Curators group permissions refreshed.")

"""``manage.py import_regions FILE``: load a regency's regions from the official CSV format."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from marketplace.regions.importer import RegionImportError, import_regions_file


class Command(BaseCommand):
    help = "Import regions (code,parent_code,level,name). All or nothing; safe to run twice."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("path", type=Path)

    def handle(self, *args: Any, path: Path, **options: Any) -> None:
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        try:
            result = import_regions_file(path)
        except RegionImportError as exc:
            raise CommandError(f"Nothing was imported.\n{exc}") from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Regions: {result.created} created, {result.updated} updated, "
                f"{result.unchanged} unchanged."
            )
        )

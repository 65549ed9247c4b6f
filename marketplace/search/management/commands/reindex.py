"""``manage.py reindex``: rebuild every search document, and the Elasticsearch index if used."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from marketplace.search import services


class Command(BaseCommand):
    help = (
        "Rebuild all search documents. With Elasticsearch, load them into a new index and swap "
        "the alias to it atomically (searches keep working throughout), then delete the old index."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()

        def progress(stage: str, done: int, total: int) -> None:
            self.stdout.write(f"{stage}: {done}/{total}")

        count = services.reindex(progress=progress, log=self.stdout.write)
        self.stdout.write(
            self.style.SUCCESS(f"Reindexed {count} listings in {time.monotonic() - started:.1f} s.")
        )

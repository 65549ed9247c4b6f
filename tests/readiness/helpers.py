"""One helper for tests that need a listing sold to the EU: mark it export-ready.

Writing ready ``ReadinessResult`` rows (rather than filling photos, translations, plots and
documents) keeps other apps' tests about their own behaviour; the rules themselves are tested in
``tests/readiness``. A later recompute (a relevant event) replaces these rows with the real check.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial

from django.db import transaction
from django.utils import timezone

from marketplace.catalog.models import Product
from marketplace.readiness.models import ReadinessResult
from marketplace.taxes.countries import EU_COUNTRIES


def make_export_ready(product: Product | int, countries: Iterable[str] | None = None) -> None:
    """Store ``product`` as ready for ``countries`` (every EU state by default).

    The events of the listing's creation recompute readiness after the commit with the real
    rules (which a test listing does not meet), in tests that run commit callbacks: the rows are
    stored again after those, and the listing's search document refreshed (its market flags).
    """
    product_id = product if isinstance(product, int) else product.pk
    codes = sorted(c.upper() for c in (countries or EU_COUNTRIES))
    _store(product_id, codes)
    transaction.on_commit(partial(_store_and_reindex, product_id, codes))


def _store_and_reindex(product_id: int, countries: list[str]) -> None:
    from marketplace.search import tasks as search_tasks

    _store(product_id, countries)
    search_tasks.index_products.delay([product_id])


def _store(product_id: int, countries: list[str]) -> None:
    now = timezone.now()
    ReadinessResult.objects.bulk_create(
        [
            ReadinessResult(
                product_id=product_id,
                country=country,
                ready=True,
                findings=[],
                progress=100,
                computed_at=now,
            )
            for country in countries
        ],
        update_conflicts=True,
        unique_fields=["product", "country"],
        update_fields=["ready", "findings", "progress", "computed_at"],
    )

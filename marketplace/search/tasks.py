"""Indexing outside the request (a worker in production, eagerly when embedded and in tests)."""

from __future__ import annotations

from celery import shared_task
from elastic_transport import TransportError

from . import services

#: Elasticsearch unreachable or overloaded: try again later (the documents are already saved).
RETRY_ON = (TransportError, ConnectionError, TimeoutError)


@shared_task(autoretry_for=RETRY_ON, retry_backoff=True, max_retries=5)
def index_products(product_ids: list[int]) -> dict[str, int]:
    """Rebuild these listings' documents and send them to the external index, if any.

    Idempotent (it reads the catalog as it is now), so retries and duplicate events are harmless.
    """
    refreshed = services.index_products(product_ids)
    return {"indexed": len(refreshed.documents), "removed": len(refreshed.removed)}

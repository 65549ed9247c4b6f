"""Background work of the spreadsheet import: large files are checked and written by a worker."""

from __future__ import annotations

from celery import shared_task


@shared_task(acks_late=True)
def import_listings(key: str, shop_id: int, commit: bool) -> None:
    """Check (and with ``commit`` write) the upload kept under ``key``; progress goes to the cache.

    The job remembers who uploaded it and in which language, so errors read as on the page; the
    import is one transaction, so a worker that dies half-way leaves nothing half-written.
    """
    from . import services

    services.run_job(key, shop_id, commit)

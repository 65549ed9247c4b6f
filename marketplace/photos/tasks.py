"""Making a photo's derivatives, outside the request (a worker in production, eagerly embedded)."""

from __future__ import annotations

import logging
import secrets
from typing import Any

from celery import shared_task
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from marketplace.catalog.models import ProductStatus
from marketplace.core import events

from . import processing
from .models import ProductPhoto, Rendition
from .services import delete_files

logger = logging.getLogger(__name__)


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=3)
def make_derivatives(photo_id: int) -> dict[str, Any] | None:
    """Write the WebP and AVIF ladder of a photo's master and record it on the photo.

    Safe to run again (the admin's "make derivatives again", a retry): each run writes files
    under new names, then swaps the record and deletes the previous run's files, so a page
    never points at a half-written set. A photo deleted meanwhile leaves no files behind.
    """
    photo = ProductPhoto.objects.select_related("product").filter(pk=photo_id).first()
    if photo is None:
        return None
    with default_storage.open(photo.master, "rb") as master:
        rendered = processing.render_derivatives(master)
    folder = photo.master.rsplit("/", 1)[0]
    run = secrets.token_hex(4)
    derivatives: dict[str, list[Rendition]] = {}
    written: list[str] = []
    try:
        for item in rendered:
            name = default_storage.save(
                f"{folder}/{run}-{item.width}w.{item.format}", ContentFile(item.data)
            )
            written.append(name)
            derivatives.setdefault(item.format, []).append(
                Rendition(w=item.width, h=item.height, name=name, bytes=len(item.data))
            )
    except BaseException:
        delete_files(written)
        raise
    updated = ProductPhoto.objects.filter(pk=photo.pk, master=photo.master).update(
        derivatives=derivatives
    )
    if not updated:
        delete_files(written)  # deleted (or replaced) while we worked
        return None
    previous = {r["name"] for rs in (photo.derivatives or {}).values() for r in rs}
    delete_files(previous - set(written))
    if photo.product.status == ProductStatus.PUBLISHED:
        # The listing now has real images: let the search index and caches pick them up.
        events.emit("product.changed", product_id=photo.product_id)
    return {"photo_id": photo.pk, "files": len(written)}

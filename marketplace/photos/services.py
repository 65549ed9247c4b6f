"""Writes to a listing's photos. The seller dashboard and GraphQL call these, nothing else writes.

Each function checks ``can_manage_shop`` before anything else (so a refused request stores nothing),
writes in one transaction, records an audit entry on behalf of the shop and, when the listing is
published, emits ``product.changed`` (after commit). Files follow the database: a master is written
just before its row and removed again if the row cannot be written; files of a deleted photo are
removed only after the deletion commits (``signals.py``), so a rollback never leaves a row without
its files.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Iterable
from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.translation import gettext as _

from marketplace.audit.services import record
from marketplace.catalog.models import Product, ProductStatus
from marketplace.core import events, permissions

from . import processing
from .models import ProductPhoto
from .validation import validate_photo

logger = logging.getLogger(__name__)

#: Photos per listing: enough for every side and detail, few enough for a phone on a slow link.
MAX_PHOTOS_PER_PRODUCT = 10
ALT_TEXT_MAX_LENGTH = 250


def _audit(actor: Any, action: str, obj: Any, product: Product, **data: Any) -> None:
    record(actor, action, obj, on_behalf_of=product.shop, data=data or None)


def _changed(product: Product) -> None:
    if product.status == ProductStatus.PUBLISHED:
        events.emit("product.changed", product_id=product.pk)


def _clean_alt_text(alt_text: str | None) -> str:
    text = " ".join(
        (alt_text or "").split()
    )  # no line breaks or control whitespace in an attribute
    if len(text) > ALT_TEXT_MAX_LENGTH:
        raise ValidationError(
            {
                "alt_text": ValidationError(
                    _("Describe the photo in at most %(n)d characters.")
                    % {"n": ALT_TEXT_MAX_LENGTH},
                    code="max_length",
                )
            }
        )
    return text


def delete_files(names: Iterable[str]) -> None:
    """Remove stored files; a file already gone is not an error (a retried task, a double click)."""
    for name in names:
        try:
            default_storage.delete(name)
        except OSError:
            logger.warning("Could not delete photo file %s", name, exc_info=True)


def delete_files_on_commit(names: Iterable[str]) -> None:
    transaction.on_commit(partial(delete_files, list(names)), robust=True)


def enqueue_derivatives(photo_id: int) -> None:
    """Ask for the derivatives once the photo's row is committed (a worker must see it)."""
    from .tasks import make_derivatives

    transaction.on_commit(partial(make_derivatives.delay, photo_id), robust=True)


def add_photo(actor: Any, product: Product, uploaded_file: Any, alt_text: str = "") -> ProductPhoto:
    """Validate and normalise an upload, store its master and enqueue its derivatives.

    The original bytes are never stored: only the re-encoded master, without any metadata.
    Decoding (the slow part) happens before the transaction, so no row stays locked meanwhile.
    """
    permissions.require(permissions.can_manage_shop, actor, product.shop)
    errors: dict[str, list[ValidationError]] = {}
    try:
        alt = _clean_alt_text(alt_text)
    except ValidationError as exc:
        errors.update(exc.error_dict)
    try:
        validate_photo(uploaded_file)
    except ValidationError as exc:
        errors["file"] = exc.error_list
    if errors:
        raise ValidationError(errors)
    try:
        master = processing.normalise(uploaded_file)
    except ValidationError as exc:
        raise ValidationError({"file": exc.error_list}) from exc
    folder = f"photos/{product.pk}/{secrets.token_hex(8)}"
    name = default_storage.save(
        f"{folder}/m-{secrets.token_hex(8)}.{master.extension}", ContentFile(master.data)
    )
    try:
        with transaction.atomic():
            # Lock the listing: two uploads at once must not both pass the limit or share a
            # position.
            Product.objects.select_for_update().filter(pk=product.pk).first()
            count = ProductPhoto.objects.filter(product=product).count()
            if count >= MAX_PHOTOS_PER_PRODUCT:
                raise ValidationError(
                    {
                        "file": ValidationError(
                            _("A listing can have at most %(n)d photos. Delete one first.")
                            % {"n": MAX_PHOTOS_PER_PRODUCT},
                            code="too_many_photos",
                        )
                    }
                )
            photo = ProductPhoto.objects.create(
                product=product,
                position=count,
                alt_text=alt,
                master=name,
                width=master.width,
                height=master.height,
                placeholder_color=master.placeholder_color,
                placeholder_uri=master.placeholder_uri,
            )
            if product.status == ProductStatus.PUBLISHED:
                # Post-moderation: a new picture is new content an operator has not seen yet.
                Product.objects.filter(pk=product.pk).update(needs_review=True)
            _audit(actor, "photo.added", photo, product, **photo.to_audit())
            _changed(product)
            enqueue_derivatives(photo.pk)
    except BaseException:
        delete_files([name])
        raise
    return photo


@transaction.atomic
def delete_photo(actor: Any, photo: ProductPhoto) -> None:
    product = photo.product
    permissions.require(permissions.can_manage_shop, actor, product.shop)
    locked = list(ProductPhoto.objects.select_for_update().filter(product=product))
    target = next((p for p in locked if p.pk == photo.pk), None)
    if target is None:
        return  # already deleted (a double tap on a slow link): nothing to do
    _audit(actor, "photo.deleted", target, product, **target.to_audit())
    target.delete()  # its files go after commit (signals.py, which also covers cascades)
    _renumber([p for p in sorted(locked, key=_order) if p.pk != target.pk])
    _changed(product)


def _order(photo: ProductPhoto) -> tuple[int, int]:
    return (photo.position, photo.pk)


def _renumber(photos: list[ProductPhoto]) -> None:
    changed = []
    for index, photo in enumerate(photos):
        if photo.position != index:
            photo.position = index
            changed.append(photo)
    if changed:
        ProductPhoto.objects.bulk_update(changed, ["position"])


@transaction.atomic
def reorder_photos(actor: Any, product: Product, photo_ids: list[int]) -> list[ProductPhoto]:
    """Put the listing's photos in the order of ``photo_ids``, which must name each one once."""
    permissions.require(permissions.can_manage_shop, actor, product.shop)
    photos = {p.pk: p for p in ProductPhoto.objects.select_for_update().filter(product=product)}
    try:
        ids = [int(i) for i in photo_ids]
    except (TypeError, ValueError):
        ids = []
    if not ids or len(ids) != len(set(ids)) or set(ids) != set(photos):
        raise ValidationError(
            {
                "photo_ids": ValidationError(
                    _("List every photo of this listing exactly once, in the new order."),
                    code="invalid_order",
                )
            }
        )
    ordered = [photos[i] for i in ids]
    _renumber(ordered)
    _audit(actor, "photo.reordered", product, product, order=ids)
    _changed(product)
    return ordered


@transaction.atomic
def set_alt_text(actor: Any, photo: ProductPhoto, alt_text: str) -> ProductPhoto:
    product = photo.product
    permissions.require(permissions.can_manage_shop, actor, product.shop)
    photo.alt_text = _clean_alt_text(alt_text)
    photo.save(update_fields=["alt_text", "updated_at"])
    _audit(actor, "photo.alt_text_changed", photo, product, photo_id=photo.pk)
    _changed(product)
    return photo

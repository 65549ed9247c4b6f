"""Writes for export documents: upload, replace, delete (soft).

Every write checks ``can_manage_shop`` (members and a consented facilitator), validates every
field before touching the database (a refused upload stores no file), writes in one transaction,
records an audit entry on behalf of the shop and emits ``document.changed`` (document_id, shop_id,
product_ids) so the readiness check recomputes the listings the document covers.

The file is decided by its content, never by its name: PDF, JPEG or PNG, at most
``EXPORT_DOCUMENT_MAX_BYTES``; images are re-encoded from their pixels (no EXIF/GPS, nothing
hidden after the image), like a bank-transfer receipt.
"""

from __future__ import annotations

from datetime import date
from io import BytesIO
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from marketplace.audit.services import record
from marketplace.catalog.models import Product
from marketplace.core import permissions
from marketplace.core.events import emit
from sellers.models import Shop

from .models import DocumentKind, DocumentRule, ExportDocument
from .validity import valid_until

#: What a document file may be, detected from its first bytes.
SIGNATURES: dict[bytes, tuple[str, str]] = {
    b"%PDF-": ("application/pdf", "pdf"),
    b"\xff\xd8\xff": ("image/jpeg", "jpg"),
    b"\x89PNG\r\n\x1a\n": ("image/png", "png"),
}


def _read_file(file: IO[bytes] | None) -> tuple[bytes, str, str]:
    """The bytes to store, their content type and extension; else a ``ValidationError``."""
    if file is None:
        raise ValidationError({"file": ValidationError(_("Choose a file."), code="required")})
    limit: int = settings.EXPORT_DOCUMENT_MAX_BYTES
    data = file.read(limit + 1)
    if len(data) > limit:
        raise ValidationError(
            {
                "file": ValidationError(
                    _("The file is too large (at most %(mb)d MB).") % {"mb": limit // 2**20},
                    code="file_too_large",
                )
            }
        )
    kind = next((v for magic, v in SIGNATURES.items() if data.startswith(magic)), None)
    if kind is None:
        raise ValidationError(
            {
                "file": ValidationError(
                    _("Upload the document as a PDF or a photo (JPEG or PNG)."),
                    code="invalid_type",
                )
            }
        )
    content_type, ext = kind
    if content_type.startswith("image/"):
        data, content_type, ext = _clean_image(data), "image/jpeg", "jpg"
    return data, content_type, ext


def _clean_image(data: bytes) -> bytes:
    """Re-encode from pixels; a broken or hostile image (or a decompression bomb) is refused."""
    from PIL import Image

    try:
        with Image.open(BytesIO(data)) as image:
            image.load()
            out = BytesIO()
            image.convert("RGB").save(out, format="JPEG", quality=90)
    except Exception as exc:  # Pillow raises many kinds for a broken or hostile file.
        raise ValidationError(
            {"file": ValidationError(_("This image cannot be read."), code="invalid")}
        ) from exc
    return out.getvalue()


def _validate_fields(
    shop: Shop,
    *,
    kind: str,
    number: str,
    issuer: str,
    issued_on: date | None,
    expires_on: date | None,
    product: Product | None,
) -> dict[str, str]:
    errors: dict[str, ValidationError] = {}
    if kind not in DocumentKind.values:
        errors["kind"] = ValidationError(_("Choose the kind of document."), code="invalid")
    number, issuer = (number or "").strip(), (issuer or "").strip()
    if not number:
        errors["number"] = ValidationError(_("Enter the document's number."), code="required")
    if not issuer:
        errors["issuer"] = ValidationError(_("Enter who issued the document."), code="required")
    if issued_on is None:
        errors["issued_on"] = ValidationError(_("Enter the date of issue."), code="required")
    elif issued_on > timezone.localdate():
        errors["issued_on"] = ValidationError(
            _("The date of issue cannot be in the future."), code="future"
        )
    elif expires_on is not None and expires_on < issued_on:
        errors["expires_on"] = ValidationError(
            _("The expiry date is before the date of issue."), code="before_issue"
        )
    if product is not None and product.shop_id != shop.pk:
        errors["product"] = ValidationError(_("Choose a listing of this shop."), code="invalid")
    if errors:
        raise ValidationError(errors)
    return {"number": number, "issuer": issuer}


def _product_ids(document: ExportDocument) -> list[int]:
    """The listings a document covers: its own, or every listing of its shop."""
    if document.product_id is not None:
        return [document.product_id]
    return list(Product.objects.filter(shop_id=document.shop_id).values_list("pk", flat=True))


def _changed(document: ExportDocument) -> None:
    emit(
        "document.changed",
        document_id=document.pk,
        shop_id=document.shop_id,
        product_ids=_product_ids(document),
    )


def _validity_months(kind: str) -> int | None:
    rule = DocumentRule.objects.filter(kind=kind).first()
    return rule.validity_months if rule else None


@transaction.atomic
def upload_document(
    shop: Shop,
    *,
    kind: str,
    number: str,
    issuer: str,
    issued_on: date | None,
    expires_on: date | None = None,
    file: IO[bytes] | None,
    product: Product | None = None,
    actor: Any,
) -> ExportDocument:
    """Store a certificate or report for the shop (or one of its listings)."""
    permissions.require(permissions.can_manage_shop, actor, shop)
    clean = _validate_fields(
        shop,
        kind=kind,
        number=number,
        issuer=issuer,
        issued_on=issued_on,
        expires_on=expires_on,
        product=product,
    )
    data, content_type, ext = _read_file(file)
    assert issued_on is not None  # checked above
    document = ExportDocument(
        shop=shop,
        product=product,
        kind=kind,
        number=clean["number"],
        issuer=clean["issuer"],
        issued_on=issued_on,
        expires_on=expires_on,
        valid_until=valid_until(issued_on, expires_on, _validity_months(kind)),
        content_type=content_type,
        uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    document.file.save(f"{kind}.{ext}", ContentFile(data), save=False)
    document.save()
    record(
        actor,
        "document.uploaded",
        document,
        on_behalf_of=shop,
        data={"kind": kind, "number": document.number, "product_id": document.product_id},
    )
    _changed(document)
    return document


@transaction.atomic
def replace_document(
    document: ExportDocument,
    *,
    number: str,
    issuer: str,
    issued_on: date | None,
    expires_on: date | None = None,
    file: IO[bytes] | None,
    actor: Any,
) -> ExportDocument:
    """A renewed certificate: the new one takes over, the old one is kept (hidden) as evidence."""
    permissions.require(permissions.can_manage_shop, actor, document.shop)
    old = ExportDocument.objects.select_for_update().get(pk=document.pk)
    if old.deleted_at is not None:
        raise ValidationError(_("This document was deleted."), code="deleted")
    new = upload_document(
        old.shop,
        kind=old.kind,
        number=number,
        issuer=issuer,
        issued_on=issued_on,
        expires_on=expires_on,
        file=file,
        product=old.product,
        actor=actor,
    )
    old.replaced_by, old.deleted_at = new, timezone.now()
    old.save(update_fields=["replaced_by", "deleted_at"])
    record(actor, "document.replaced", old, on_behalf_of=old.shop, data={"by": new.pk})
    return new


@transaction.atomic
def delete_document(document: ExportDocument, *, actor: Any) -> ExportDocument:
    """Hide a document from the shop and the readiness check; the row and file stay (evidence)."""
    permissions.require(permissions.can_manage_shop, actor, document.shop)
    document = ExportDocument.objects.select_for_update().get(pk=document.pk)
    if document.deleted_at is None:
        document.deleted_at = timezone.now()
        document.save(update_fields=["deleted_at"])
        record(actor, "document.deleted", document, on_behalf_of=document.shop)
        _changed(document)
    return document

"""Reads for export documents: what counts today for a listing, and what is about to expire."""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from marketplace.catalog.models import Product
from sellers.models import Shop

from .models import ExportDocument


def _in_force(on: date) -> Q:
    return Q(issued_on__lte=on) & (Q(valid_until__isnull=True) | Q(valid_until__gte=on))


def current_documents(product: Product, kind: str, on: date | None = None) -> list[ExportDocument]:
    """The documents of ``kind`` that count for ``product`` on ``on`` (today by default).

    The listing's own documents and the shop-wide ones (no listing), not deleted, issued by then
    and not expired: a document is valid through its ``valid_until`` day. Newest first.
    """
    on = on or timezone.localdate()
    return list(
        ExportDocument.objects.active()
        .filter(_in_force(on), shop_id=product.shop_id, kind=kind)
        .filter(Q(product_id=product.pk) | Q(product__isnull=True))
        .order_by("-issued_on", "-pk")
    )


def expiring_documents(within_days: int = 30, on: date | None = None) -> QuerySet[ExportDocument]:
    """Documents in force that expire within ``within_days`` and whose owner was not warned yet."""
    on = on or timezone.localdate()
    return (
        ExportDocument.objects.active()
        .filter(
            valid_until__gte=on,
            valid_until__lte=on + timedelta(days=within_days),
            warned_at__isnull=True,
        )
        .select_related("shop", "product")
        .order_by("valid_until", "pk")
    )


def shop_documents(shop: Shop) -> QuerySet[ExportDocument]:
    """The seller's list: every document not deleted, with its listing, in one query."""
    return (
        ExportDocument.objects.active()
        .filter(shop=shop)
        .select_related("product")
        .order_by("kind", "-issued_on", "-pk")
    )

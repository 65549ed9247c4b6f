"""Reads for customs: Safety Gate blocks (the readiness check asks ``is_eu_blocked``)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from marketplace.catalog.models import Product

from .models import EuMarketBlock


def active_block(product: Product) -> EuMarketBlock | None:
    """The standing block of a listing, if an operator removed it from the EU market."""
    return EuMarketBlock.objects.filter(product=product, lifted_at__isnull=True).first()


def is_eu_blocked(product: Product) -> bool:
    return EuMarketBlock.objects.filter(product=product, lifted_at__isnull=True).exists()


def blocked_product_ids() -> QuerySet[EuMarketBlock, Any]:
    """Ids of listings blocked for the EU, for filtering in one query (``pk__in=``)."""
    return EuMarketBlock.objects.filter(lifted_at__isnull=True).values("product_id")


def recent_blocks(limit: int = 50) -> list[EuMarketBlock]:
    return list(EuMarketBlock.objects.select_related("product__shop", "by").order_by("-at")[:limit])

"""Reads for the seller dashboard: everything a page shows, in a fixed number of queries.

A page of "My products" costs the same whether the shop has three listings or three hundred: the
lowest price and total stock are subqueries, the cover photos one more query. Tests pin the counts.
Photo queries come from ``marketplace.photos.selectors``; nothing here knows how photos are stored.
"""

from __future__ import annotations

from decimal import Decimal

from babel.numbers import format_decimal
from django.db.models import IntegerField, OuterRef, Prefetch, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import translation

from marketplace.catalog import selectors as catalog_selectors
from marketplace.catalog.models import Product, ProductVariant, StockMovement
from marketplace.photos.selectors import photos_prefetch
from sellers.models import Shop


def dashboard_products(
    shop: Shop, *, search: str = "", status: str = "", low_stock: bool = False
) -> QuerySet[Product]:
    """``catalog.selectors.shop_products`` plus what a row shows: lowest price, total stock."""
    variants = ProductVariant.objects.filter(product=OuterRef("pk"))
    lowest = variants.order_by("price", "pk").values("price")[:1]
    total = (
        ProductVariant.objects.filter(product=OuterRef("pk"))
        .order_by()
        .values("product")
        .annotate(total=Sum("stock_quantity"))
        .values("total")
    )
    return catalog_selectors.shop_products(
        shop, search=search, status=status, low_stock=low_stock
    ).annotate(
        lowest_price=Subquery(lowest),
        total_stock=Coalesce(Subquery(total, output_field=IntegerField()), Value(0)),
    )


def product_for_dashboard(shop: Shop, pk: int) -> Product:
    """One listing of ``shop`` (404 for any other shop's) with its variants and photos."""
    return get_object_or_404(
        Product.objects.filter(shop=shop)
        .select_related("category")
        .prefetch_related(
            Prefetch("variants", queryset=ProductVariant.objects.order_by("position", "pk")),
            photos_prefetch(),
        ),
        pk=pk,
    )


def variant_for_dashboard(product: Product, pk: int) -> ProductVariant:
    variant: ProductVariant = get_object_or_404(
        ProductVariant.objects.filter(product=product), pk=pk
    )
    variant.product = product  # already loaded: no second query for the shop check
    return variant


def stock_history(variant: ProductVariant, limit: int = 30) -> list[StockMovement]:
    """The latest stock movements of a variant, newest first, with who made them."""
    return list(
        StockMovement.objects.filter(variant=variant)
        .select_related("actor")
        .order_by("-created_at", "-pk")[:limit]
    )


def format_idr(amount: Decimal | int | None) -> str:
    """Rupiah the way a seller reads them: "Rp 45.000" (no cents, local grouping)."""
    if amount is None:
        return ""
    locale = (translation.get_language() or "id").replace("-", "_")
    return "Rp " + format_decimal(Decimal(amount), format="#,##0", locale=locale)


def format_eur(amount: Decimal | None) -> str:
    if amount is None:
        return ""
    locale = (translation.get_language() or "id").replace("-", "_")
    return "€ " + format_decimal(Decimal(amount), format="#,##0.00", locale=locale)

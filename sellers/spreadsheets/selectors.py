"""Reads for the spreadsheet pages: a shop's listings as rows of the import format."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, QuerySet

from marketplace.catalog.models import Category, Product, ProductVariant
from sellers.models import Shop

from .parsing import format_options


def categories() -> QuerySet[Category]:
    return Category.objects.all()


def counts(shop: Shop) -> dict[str, int]:
    """What an export of the shop will hold."""
    return {
        "listings": Product.objects.filter(shop=shop).count(),
        "variants": ProductVariant.objects.filter(product__shop=shop).count(),
    }


def listing_code(product: Product) -> str:
    """The ``kode_produk`` an export gives a listing: only a grouping key, stable per listing."""
    return f"P{product.pk}"


def listing_rows(shop: Shop) -> Iterator[dict[str, Any]]:
    """One row per variant, listings in the order they were created; values keep their types
    (``int``/``Decimal``) so a workbook stores numbers and a CSV writer can format them."""
    variants = Prefetch("variants", queryset=ProductVariant.objects.order_by("position", "pk"))
    products = (
        Product.objects.filter(shop=shop)
        .select_related("category")
        .prefetch_related(variants)
        .order_by("pk")
    )
    for product in products.iterator(chunk_size=500):
        listing = {
            "kode_produk": listing_code(product),
            "judul": product.title_ind or "",  # type: ignore[attr-defined]
            "judul_inggris": product.title_en or "",  # type: ignore[attr-defined]
            "deskripsi": product.description_ind or "",  # type: ignore[attr-defined]
            "deskripsi_inggris": product.description_en or "",  # type: ignore[attr-defined]
            "kategori": product.category.slug,
        }
        for variant in product.variants.all():
            yield {
                **listing,
                "sku": variant.sku,
                "nama_varian": variant.name,
                "pilihan": format_options(variant.options or {}),
                "harga_idr": int(variant.price.amount),
                "harga_eur": _amount(variant.export_price),
                "berat_gram": variant.weight_grams,
                "panjang_mm": variant.length_mm,
                "lebar_mm": variant.width_mm,
                "tinggi_mm": variant.height_mm,
                "stok": variant.stock_quantity,
            }


def _amount(money: Any) -> Decimal | None:
    return None if money is None else Decimal(money.amount)

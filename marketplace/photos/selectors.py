"""Reads of photos, shaped for pages that list many listings (one query, whatever the count)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import OuterRef, Prefetch, QuerySet, Subquery

from marketplace.catalog import selectors as catalog_selectors
from marketplace.catalog.models import Product

from .models import ProductPhoto


def photos_of(product: Product | int) -> QuerySet[ProductPhoto]:
    """A listing's photos in the seller's order."""
    product_id = product if isinstance(product, int) else product.pk
    return ProductPhoto.objects.filter(product_id=product_id).order_by("position", "pk")


def photos_prefetch(to_attr: str | None = None) -> Prefetch:
    """For ``Product`` querysets: ``.prefetch_related(photos_prefetch())`` loads all photos in one
    query, in order."""
    return Prefetch(
        "photos", queryset=ProductPhoto.objects.order_by("position", "pk"), to_attr=to_attr
    )


def cover_photos(products: Iterable[Product | int]) -> dict[int, ProductPhoto]:
    """The first photo of each listing, by product id, in one query (for cards in a grid)."""
    ids = [p if isinstance(p, int) else p.pk for p in products]
    if not ids:
        return {}
    first = (
        ProductPhoto.objects.filter(product_id=OuterRef("product_id"))
        .order_by("position", "pk")
        .values("pk")[:1]
    )
    photos = ProductPhoto.objects.filter(product_id__in=ids, pk=Subquery(first))
    return {photo.product_id: photo for photo in photos}


def visible_photos() -> QuerySet[ProductPhoto]:
    """Photos a buyer may see: those of visible listings (published, approved shop)."""
    return ProductPhoto.objects.filter(
        product__in=catalog_selectors.visible_products().values("pk")
    ).order_by("position", "pk")

"""Reads of the catalog."""

from __future__ import annotations

from django.db.models import Exists, F, OuterRef, Q, QuerySet

from sellers.models import Shop, ShopStatus

from .models import Category, Product, ProductStatus, ProductVariant


def categories() -> QuerySet[Category]:
    return Category.objects.all()


def visible_products() -> QuerySet[Product]:
    """What buyers may see: published listings of approved shops. Removed ones vanish at once."""
    return Product.objects.filter(status=ProductStatus.PUBLISHED, shop__status=ShopStatus.APPROVED)


def shop_products(
    shop: Shop, *, search: str = "", status: str = "", low_stock: bool = False
) -> QuerySet[Product]:
    """A shop's own listings for its dashboard, with what each row shows loaded in bulk."""
    qs = Product.objects.filter(shop=shop).select_related("category")
    if status:
        qs = qs.filter(status=status)
    if search:
        qs = qs.filter(
            Q(title_ind__icontains=search)
            | Q(title_en__icontains=search)
            | Q(variants__sku__icontains=search)
        ).distinct()
    low = ProductVariant.objects.filter(
        product=OuterRef("pk"), stock_quantity__lte=F("low_stock_threshold")
    )
    qs = qs.annotate(has_low_stock=Exists(low))
    if low_stock:
        qs = qs.filter(has_low_stock=True)
    return qs.order_by("-updated_at", "-pk")


def moderation_queue() -> QuerySet[Product]:
    """Listings published or changed since an operator last looked (post-moderation)."""
    return (
        Product.objects.filter(needs_review=True, status=ProductStatus.PUBLISHED)
        .select_related("shop", "category")
        .order_by("updated_at", "pk")
    )

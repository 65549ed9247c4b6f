"""Reads of the catalog."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Exists, F, OuterRef, Q, QuerySet

from marketplace.core import permissions
from marketplace.readiness.models import ReadinessResult
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


def products_readable_by(user: Any) -> QuerySet[Product]:
    """Visible listings, plus every listing of the shops ``user`` manages (drafts included).

    Operators read everything (moderation).
    """
    if permissions.is_operator(user):
        return Product.objects.all()
    visible = Q(status=ProductStatus.PUBLISHED, shop__status=ShopStatus.APPROVED)
    if not getattr(user, "is_authenticated", False):
        return Product.objects.filter(visible)
    own = Q(shop__in=permissions.manageable_shops(user))
    return Product.objects.filter(visible | own)


def filter_products(
    qs: QuerySet[Product],
    *,
    category: str | None = None,
    district_code: str | None = None,
    village_code: str | None = None,
    shop_id: int | None = None,
    status: str | None = None,
    price_min: Decimal | None = None,
    price_max: Decimal | None = None,
    in_stock: bool | None = None,
) -> QuerySet[Product]:
    """Filters shared by GraphQL and (later) the storefront; prices are in IDR."""
    if category:
        # The category and its children as ids first: the listings are then filtered on their
        # own (indexed) column instead of joining the category tree for every row.
        # (A list, not a subquery: the planner then walks the listings' category index in order.)
        ids = Category.objects.filter(Q(slug=category) | Q(parent__slug=category))
        qs = qs.filter(category_id__in=list(ids.values_list("pk", flat=True)))
    if district_code:
        qs = qs.filter(shop__village__parent__code=district_code)
    if village_code:
        qs = qs.filter(shop__village__code=village_code)
    if shop_id is not None:
        qs = qs.filter(shop_id=shop_id)
    if status:
        qs = qs.filter(status=status)
    if price_min is not None:
        qs = qs.filter(
            Exists(ProductVariant.objects.filter(product=OuterRef("pk"), price__gte=price_min))
        )
    if price_max is not None:
        qs = qs.filter(
            Exists(ProductVariant.objects.filter(product=OuterRef("pk"), price__lte=price_max))
        )
    if in_stock is not None:
        stocked = Exists(
            ProductVariant.objects.filter(product=OuterRef("pk"), stock_quantity__gt=0)
        )
        qs = qs.filter(stocked if in_stock else ~stocked)
    return qs


def products_for_market(market_code: str) -> QuerySet[Product]:
    """The one rule of which listings a market shows.

    Indonesia: every visible listing. EU: visible listings the seller offers to the EU that have
    a variant with an EUR price and are export-ready (``marketplace.readiness``) for at least one
    member state. Readiness for the buyer's own state is enforced where the country is known, in
    ``checkout.totals.summarise`` (problem "not_export_ready").
    """
    qs = visible_products()
    if market_code == "EU":
        eur_priced = ProductVariant.objects.filter(
            product=OuterRef("pk"), export_price__isnull=False
        )
        ready = ReadinessResult.objects.filter(product=OuterRef("pk"), ready=True).exclude(
            country="ID"
        )
        qs = qs.filter(ships_to_eu=True).filter(Exists(eur_priced)).filter(Exists(ready))
    return qs

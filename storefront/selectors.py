"""Reads for the buyer pages, shaped so each page costs a fixed number of queries.

What a market shows is decided elsewhere and only narrowed here: listings come from
``catalog.selectors.products_for_market`` (or ``marketplace.search``), shops and villages only
count when their shop is approved. Prices come from ``markets.pricing`` and nowhere else.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet

from marketplace.catalog.models import Category, Product, ProductVariant
from marketplace.catalog.selectors import products_for_market, visible_products
from marketplace.markets.markets import Market
from marketplace.markets.pricing import DisplayPrice, lowest_price, price_for
from marketplace.photos.models import ProductPhoto
from marketplace.photos.selectors import photos_prefetch
from marketplace.regions.models import Region, RegionLevel
from sellers.models import Shop, ShopStatus

#: Listings on the home page.
NEW_LISTINGS = 12
#: Villages on the home page (the busiest first; every village page is also in the sitemap and
#: in the search facets).
HOME_VILLAGES = 24
#: Listings per page on shop pages (category, village and search pages page through ``search``).
PAGE_SIZE = 24


class Stock:
    """How a buyer reads a quantity: in stock, only a few left, or out of stock."""

    IN_STOCK = "in"
    LOW = "low"
    OUT = "out"


def stock_state(variant: ProductVariant) -> str:
    if variant.stock_quantity <= 0:
        return Stock.OUT
    if variant.is_low_on_stock:
        return Stock.LOW
    return Stock.IN_STOCK


@dataclass(frozen=True)
class Card:
    """One listing in a grid: everything the card shows, read from prefetched rows."""

    product: Product
    photo: ProductPhoto | None
    price: DisplayPrice | None
    in_stock: bool
    #: More than one variant: the price reads "from …".
    several: bool


def cards(products: Iterable[Product], market: Market) -> list[Card]:
    """Cards for listings whose variants and photos are prefetched (no query per listing)."""
    result = []
    for product in products:
        variants = list(product.variants.all())
        photos = list(product.photos.all())
        result.append(
            Card(
                product=product,
                photo=photos[0] if photos else None,
                price=lowest_price(variants, market),
                in_stock=any(v.stock_quantity > 0 for v in variants),
                several=len(variants) > 1,
            )
        )
    return result


def _with_card_data(qs: QuerySet[Product]) -> QuerySet[Product]:
    return qs.select_related("shop__village__parent", "category").prefetch_related(
        Prefetch("variants", queryset=ProductVariant.objects.order_by("position", "pk")),
        photos_prefetch(),
    )


def new_listings(market: Market, limit: int = NEW_LISTINGS) -> list[Product]:
    """The newest listings the market shows (3 queries whatever the limit)."""
    qs = products_for_market(market.code).order_by("-published_at", "-pk")
    return list(_with_card_data(qs)[:limit])


def shop_listings(shop: Shop, market: Market) -> QuerySet[Product]:
    """A shop's listings as the market shows them, newest first (page with a ``Paginator``)."""
    qs = products_for_market(market.code).filter(shop=shop).order_by("-published_at", "-pk")
    return _with_card_data(qs)


def top_categories() -> QuerySet[Category]:
    return Category.objects.filter(parent__isnull=True).order_by("position", "slug")


def category(slug: str) -> Category | None:
    return (
        Category.objects.select_related("parent")
        .prefetch_related(Prefetch("children", queryset=Category.objects.order_by("position")))
        .filter(slug=slug)
        .first()
    )


def villages_with_shops() -> QuerySet[Region]:
    """Villages with at least one approved shop, with ``shop_count``, district and hall loaded."""
    approved = Q(shops__status=ShopStatus.APPROVED)
    return (
        Region.objects.filter(level=RegionLevel.VILLAGE)
        .annotate(shop_count=Count("shops", filter=approved))
        .filter(shop_count__gt=0)
        .select_related("parent", "village_hall")
        .order_by("name")
    )


def village(code: str) -> Region | None:
    """A village buyers can visit: one with an approved shop (none for an empty place)."""
    return villages_with_shops().filter(code=code).first()


def public_shops() -> QuerySet[Shop]:
    """Shops buyers may see: approved ones only (drafts, submitted and suspended never)."""
    return Shop.objects.filter(status=ShopStatus.APPROVED)


def shops_of(village: Region) -> list[Shop]:
    return list(public_shops().filter(village=village).order_by("name"))


def shop(slug: str) -> Shop | None:
    return (
        public_shops().select_related("village__parent", "village_hall").filter(slug=slug).first()
    )


def product(pk: int) -> Product | None:
    """A visible listing with its shop, place, variants and photos (None: unpublished/removed).

    Visibility, not the market: a listing the buyer's market does not offer still has a page
    that says so (see ``offered_in``).
    """
    return (
        visible_products()
        .select_related("shop__village__parent", "shop__village_hall", "category__parent")
        .prefetch_related(
            Prefetch("variants", queryset=ProductVariant.objects.order_by("position", "pk")),
            photos_prefetch(),
        )
        .filter(pk=pk)
        .first()
    )


def offered_in(product: Product, market: Market) -> bool:
    return products_for_market(market.code).filter(pk=product.pk).exists()


@dataclass(frozen=True)
class VariantRow:
    variant: ProductVariant
    price: DisplayPrice | None
    stock: str


def variant_rows(variants: Sequence[ProductVariant], market: Market) -> list[VariantRow]:
    return [VariantRow(v, price_for(v, market), stock_state(v)) for v in variants]

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from djmoney.money import Money

from marketplace.catalog.models import Category, Product, ProductStatus, ProductVariant
from marketplace.markets.markets import Market, market_for_country


@pytest.fixture
def variant_factory(shop_factory: Callable[..., Any]) -> Callable[..., ProductVariant]:
    """A published variant in a seeded category, priced in rupiah and optionally in euro."""
    counter = iter(range(1, 100_000))
    shops: list[Any] = []

    def make(
        *, category: str = "batik-tekstil", idr: int = 45_000, eur: str | None = "8.50"
    ) -> ProductVariant:
        if not shops:
            shops.append(shop_factory())
        n = next(counter)
        product = Product.objects.create(
            shop=shops[0],
            category=Category.objects.get(slug=category),
            title=f"Batik Gajah Oling {n}",
            status=ProductStatus.PUBLISHED,
            ships_to_eu=eur is not None,
        )
        return ProductVariant.objects.create(
            product=product,
            sku=f"BT-{n}",
            price=Money(idr, "IDR"),
            export_price=Money(Decimal(eur), "EUR") if eur is not None else None,
        )

    return make


@pytest.fixture
def germany() -> Market:
    return market_for_country("DE")


@pytest.fixture
def indonesia() -> Market:
    return market_for_country("ID")

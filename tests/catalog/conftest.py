from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from marketplace.catalog import services
from marketplace.catalog.models import Category, Product


@pytest.fixture
def kopi(db: None) -> Category:
    return Category.objects.get(slug="kopi")


@pytest.fixture
def listing(kopi: Category) -> Callable[..., Product]:
    """Create a listing with one variant through the services, as its owner would."""
    counter = iter(range(1, 100_000))

    def make(
        owner: Any, shop: Any, *, publish: bool = False, stock: int = 5, price: int = 85_000
    ) -> Product:
        n = next(counter)
        product = services.create_product(
            owner,
            shop,
            services.ProductInput(
                category=kopi,
                title={"id": f"Kopi Osing {n}", "en": f"Osing coffee {n}"},
                description={"id": "Robusta petik merah dari Kemiren."},
            ),
        )
        variant = services.save_variant(
            owner,
            product,
            services.VariantInput(
                sku=f"KO-{n}", price_idr=price, weight_grams=250, options={"weight": "250 g"}
            ),
        )
        if stock:
            services.adjust_stock(owner, variant, stock)
        if publish:
            services.publish_product(owner, product)
        return product

    return make

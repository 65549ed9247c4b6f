"""Each dashboard page stays light and costs a fixed number of SQL queries.

Sellers are on cheap phones on slow links: a page must stay under 40 KB gzipped (photos apart),
and a shop with forty listings must not cost more queries than a shop with three.
"""

from __future__ import annotations

import gzip
from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from marketplace.accounts.models import User
from marketplace.catalog.models import Category, Product
from marketplace.photos.models import ProductPhoto
from marketplace.photos.processing import LADDER
from sellers.models import Shop

from .conftest import add_listing, url

pytestmark = pytest.mark.django_db

BUDGET_BYTES = 40_000


def pages(shop: Shop, product: Product) -> dict[str, str]:
    variant = product.variants.order_by("pk").first()
    assert variant is not None
    ids = {"shop_slug": shop.slug, "pk": product.pk}
    return {
        "products": url("products", shop_slug=shop.slug),
        "products filtered": url("products", shop_slug=shop.slug) + "?q=kopi&status=draft&low=on",
        "products page 2": url("products", shop_slug=shop.slug) + "?page=2",
        "new (photo)": url("product_new", shop_slug=shop.slug),
        "new (details)": url("product_new_details", shop_slug=shop.slug),
        "product": url("product", **ids),
        "details": url("product_details", **ids),
        "photos": url("photos", **ids),
        "new variant": url("variant_new", **ids),
        "variant": url("variant_edit", **ids, variant_pk=variant.pk),
        "stock": url("variant_stock", **ids, variant_pk=variant.pk),
        "delete variant": url("variant_delete", **ids, variant_pk=variant.pk),
    }


def with_full_ladder() -> None:
    """Give every photo the derivatives the task would write (all widths, both formats), so the
    page is measured at its heaviest without encoding AVIF in a test."""
    for photo in ProductPhoto.objects.all():
        folder = photo.master.rsplit("/", 1)[0]
        photo.derivatives = {
            fmt: [
                {"w": w, "h": w * 3 // 4, "name": f"{folder}/1a2b3c4d-{w}w.{fmt}", "bytes": w * 40}
                for w in LADDER
            ]
            for fmt in ("avif", "webp")
        }
        photo.save(update_fields=["derivatives"])


def measure(client: Client, address: str) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(address)
    assert response.status_code == 200, address
    return len(queries), len(gzip.compress(response.content))


def test_pages_cost_the_same_for_3_or_40_listings_and_stay_under_40_kb(
    seller: Client, shop: Shop, owner: User, coffee: Category
) -> None:
    first = add_listing(shop, owner, coffee, 0, variants=3, photos=2)
    for n in range(1, 3):
        add_listing(shop, owner, coffee, n, variants=2, photos=1)
    small = {name: measure(seller, address) for name, address in pages(shop, first).items()}

    for n in range(3, 40):
        add_listing(shop, owner, coffee, n, variants=2, photos=1)
    assert Product.objects.filter(shop=shop).count() == 40
    with_full_ladder()
    large = {name: measure(seller, address) for name, address in pages(shop, first).items()}

    for name in small:
        assert large[name][0] == small[name][0], f"{name}: {small[name][0]} → {large[name][0]}"
        assert large[name][1] <= BUDGET_BYTES, f"{name}: {large[name][1]} bytes gzipped"
    # The list really shows a full page of rows (with a thumbnail each) when measured.
    page = seller.get(url("products", shop_slug=shop.slug)).content.decode()
    assert page.count('<li class="row') == 20
    assert page.count('class="thumb"') == 20
    assert page.count("<picture>") == 20


def test_the_list_is_searchable_and_filterable(
    seller: Client, shop: Shop, owner: User, coffee: Category, user_factory: Callable[..., User]
) -> None:
    lanang = add_listing(shop, owner, coffee, 1, variants=1)
    add_listing(shop, owner, coffee, 2, variants=1)
    lanang.title_ind = "Kopi Lanang"  # type: ignore[attr-defined]
    lanang.save()
    lanang.variants.update(stock_quantity=10)

    def titles(query: str) -> list[str]:
        html = seller.get(url("products", shop_slug=shop.slug) + query).content.decode()
        return [t for t in ("Kopi Lanang", "Kopi Robusta 2") if t in html]

    assert titles("") == ["Kopi Lanang", "Kopi Robusta 2"]
    assert titles("?q=lanang") == ["Kopi Lanang"]
    assert titles("?q=K2-0") == ["Kopi Robusta 2"]  # by SKU
    assert titles("?low=on") == ["Kopi Robusta 2"]  # 1 left, warning at 3
    assert titles("?status=published") == []
    html = seller.get(url("products", shop_slug=shop.slug)).content.decode()
    assert html.count("Low stock: add more soon.") == 1
    assert "from Rp 45,000" in html

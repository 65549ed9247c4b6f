"""Each buyer page costs the same number of SQL queries for 3 or 30 listings and stays light.

Buyers are on phones on slow links: a page (photos apart) stays under 30 KB gzipped.
"""

from __future__ import annotations

import gzip
from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from marketplace.catalog.models import Product
from marketplace.regions.models import Region
from sellers.models import Shop
from storefront import links

from .conftest import buyer

pytestmark = pytest.mark.django_db

BUDGET_BYTES = 30_000


def pages(product: Product, shop: Shop, village: Region) -> dict[str, str]:
    return {
        "home": "/",
        "category": links.category_url(product.category),
        "category page 2": links.category_url(product.category) + "?halaman=2",
        "village": links.village_url(village),
        "shop": links.shop_url(shop),
        "product": links.product_url(product),
        "search": "/cari/?q=kopi",
        "search filtered": "/cari/?q=kopi&kecamatan=3510170&stok=1&urut=price_asc",
        "search all": "/cari/",
    }


def measure(client: Client, address: str) -> tuple[int, int]:
    client.get(address)  # warm what is cached across requests (the VAT table)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(address)
    assert response.status_code == 200, address
    return len(queries), len(gzip.compress(response.content))


def test_pages_cost_the_same_for_3_or_30_listings(
    listing: Callable[..., Product],
    shop: Shop,
    regions: dict[str, Region],
    capsys: pytest.CaptureFixture[str],
) -> None:
    first = listing(variants=3, photos=4)
    listing(variants=2, photos=1)
    listing(variants=1, photos=0, eur=None)
    markets = {"ID": buyer("id", "ID"), "DE": buyer("de", "DE")}
    addresses = pages(first, shop, regions["kemiren"])
    addresses.pop("category page 2")
    small = {
        (market, name): measure(client, address)
        for market, client in markets.items()
        for name, address in addresses.items()
    }
    for n in range(27):
        listing(variants=2 + n % 2, photos=1 + n % 3, eur=None if n % 10 == 0 else "12.00")
    assert Product.objects.count() == 30
    addresses = pages(first, shop, regions["kemiren"])
    large = {
        (market, name): measure(client, address)
        for market, client in markets.items()
        for name, address in addresses.items()
    }
    with capsys.disabled():
        print("\npage: queries (3 → 30 listings), gzip bytes at 30")
        for key, (count, size) in large.items():
            print(f"  {key[0]} {key[1]}: {small.get(key, ('-',))[0]} → {count}, {size} B")
    for key, (count, size) in large.items():
        if key in small:
            assert count == small[key][0], f"{key}: {small[key][0]} → {count} queries"
        assert size <= BUDGET_BYTES, f"{key}: {size} bytes gzipped"
    # The page-2 address pages through the same query shape.
    assert large[("ID", "category page 2")][0] == large[("ID", "category")][0]

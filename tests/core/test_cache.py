"""Cached buyer pages are rebuilt when the catalog changes, and not otherwise."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from marketplace.catalog import services
from marketplace.catalog.models import Category
from marketplace.taxes.models import VatRate

pytestmark = pytest.mark.django_db(transaction=True)


def queries(client: Client, path: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    assert response.status_code == 200
    return len(ctx.captured_queries), response.content.decode()


def test_the_home_page_is_cached_until_a_listing_changes(
    client: Client, user_factory: Any, shop_factory: Any
) -> None:
    owner = user_factory()
    shop = shop_factory(owner=owner)
    kopi, _ = Category.objects.get_or_create(
        slug="kopi", defaults={"name": "Kopi", "name_ind": "Kopi"}
    )
    product = services.create_product(
        owner, shop, services.ProductInput(category=kopi, title={"id": "Kopi Lanang Kemiren"})
    )
    services.save_variant(owner, product, services.VariantInput(sku="KL", price_idr=90_000))
    services.publish_product(owner, product)
    first, page = queries(client, "/")
    assert "Kopi Lanang Kemiren" in page
    cached, _page = queries(client, "/")
    assert cached < first  # the listing sections came from the cache
    services.update_product(
        owner,
        product,
        services.ProductInput(category=product.category, title={"id": "Kopi Lanang Osing"}),
    )
    rebuilt, page = queries(client, "/")
    assert rebuilt == first
    assert "Kopi Lanang Osing" in page


def test_a_new_vat_rate_rebuilds_cached_prices(client: Client) -> None:
    queries(client, "/")
    cached, _ = queries(client, "/")
    # A transactional test may run after another one flushed the seeded table: add a rate.
    VatRate.objects.create(
        country="DE",
        tax_class="standard",
        rate=19,
        valid_from=datetime.date(2027, 1, 1),
        source="operator",
        confidence="confirmed",
    )
    rebuilt, _ = queries(client, "/")
    assert rebuilt > cached


def test_a_category_page_is_rebuilt_after_a_catalog_event(
    client: Client, user_factory: Any, shop_factory: Any
) -> None:
    from marketplace.core.cache import bump_catalog_generation

    owner = user_factory()
    shop = shop_factory(owner=owner)
    kopi, _ = Category.objects.get_or_create(
        slug="kopi", defaults={"name": "Kopi", "name_ind": "Kopi"}
    )
    product = services.create_product(
        owner, shop, services.ProductInput(category=kopi, title={"id": "Kopi Lanang Kemiren"})
    )
    services.save_variant(owner, product, services.VariantInput(sku="KL", price_idr=90_000))
    services.publish_product(owner, product)
    first, page = queries(client, "/kategori/kopi/")
    assert "Kopi Lanang Kemiren" in page
    cached, _ = queries(client, "/kategori/kopi/")
    assert cached < first
    bump_catalog_generation()
    rebuilt, _ = queries(client, "/kategori/kopi/")
    assert rebuilt > cached

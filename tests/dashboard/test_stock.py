"""Stock changes on the dashboard: add, remove, set a counted number; never below zero."""

from __future__ import annotations

import pytest
from django.test import Client

from marketplace.catalog.models import Product, ProductVariant, StockReason
from sellers.models import Shop

from .conftest import url

pytestmark = pytest.mark.django_db


def stock_url(shop: Shop, listing: Product, variant: ProductVariant) -> str:
    return url("variant_stock", shop_slug=shop.slug, pk=listing.pk, variant_pk=variant.pk)


def test_add_remove_and_count_with_history(
    seller: Client, shop: Shop, listing: Product, variant: ProductVariant
) -> None:
    address = stock_url(shop, listing, variant)
    seller.post(address, {"action": "add", "quantity": "10", "note": "panen"})
    seller.post(address, {"action": "remove", "quantity": "4", "note": "basah"})
    response = seller.post(address, {"action": "set", "quantity": "5", "note": "dihitung"})
    assert response.status_code == 302
    variant.refresh_from_db()
    assert variant.stock_quantity == 5
    history = list(variant.stock_movements.values_list("delta", "quantity_after", "note"))
    assert history == [(-2, 5, "dihitung"), (-4, 7, "basah"), (10, 11, "panen"), (1, 1, "")]
    assert all(m.reason == StockReason.MANUAL for m in variant.stock_movements.all())

    page = seller.get(address).content.decode()
    assert "Stock is now 5." in page
    assert "dihitung" in page and "basah" in page


def test_removing_more_than_there_is_is_refused(
    seller: Client, shop: Shop, listing: Product, variant: ProductVariant
) -> None:
    response = seller.post(
        stock_url(shop, listing, variant), {"action": "remove", "quantity": "3", "note": "x"}
    )
    assert response.status_code == 200
    assert "Only 1 in stock; you cannot remove 3." in response.content.decode()
    variant.refresh_from_db()
    assert variant.stock_quantity == 1
    assert variant.stock_movements.count() == 1


@pytest.mark.parametrize(
    ("data", "field_error"),
    [
        ({"action": "set", "quantity": "-1"}, "greater than or equal to 0"),
        ({"action": "add", "quantity": "banyak"}, "Enter a whole number."),
        ({"action": "steal", "quantity": "1"}, "Select a valid choice."),
    ],
)
def test_nonsense_is_refused_without_a_change(
    seller: Client,
    shop: Shop,
    listing: Product,
    variant: ProductVariant,
    data: dict[str, str],
    field_error: str,
) -> None:
    response = seller.post(stock_url(shop, listing, variant), data)
    assert response.status_code == 200
    assert field_error in response.content.decode()
    variant.refresh_from_db()
    assert variant.stock_quantity == 1

"""The cart and checkout pages cost the same number of queries for one line or many shops' lines."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from marketplace.accounts.models import User
from sellers.models import Shop

from .conftest import DOMESTIC_OPTION, JAKARTA

pytestmark = pytest.mark.django_db


def _fill(
    client: Client,
    shops: list[Shop],
    sell: Any,
    per_shop: int,
    fill_checkout: Callable[..., Any],
) -> None:
    for shop in shops:
        for _n in range(per_shop):
            variant = sell(shop, stock=5)
            client.post(reverse("storefront:cart_add"), {"variant": variant.pk, "quantity": 1})
    fill_checkout(client, address=JAKARTA, delivery={s.pk: DOMESTIC_OPTION for s in shops})


@pytest.mark.parametrize("shops_count,per_shop", [(1, 1), (3, 4)])
def test_cart_and_checkout_pages_have_a_fixed_query_budget(
    signed_in: Client,
    shop: Shop,
    shop_factory: Callable[..., Shop],
    seller: User,
    sell: Any,
    fill_checkout: Callable[..., Any],
    django_assert_max_num_queries: Any,
    shops_count: int,
    per_shop: int,
) -> None:
    shops = [shop] + [shop_factory(seller, name=f"Toko {n}") for n in range(shops_count - 1)]
    _fill(signed_in, shops, sell, per_shop, fill_checkout)

    with django_assert_max_num_queries(8):
        cart = signed_in.get(reverse("storefront:cart"))
    assert cart.status_code == 200
    with django_assert_max_num_queries(10):
        page = signed_in.get(reverse("storefront:checkout"))
    assert page.status_code == 200
    assert page.content.decode().count('type="radio" name="pengiriman-') >= shops_count


def test_pages_without_a_cart_read_no_cart(
    browser_client: Client, shop: Shop, sell: Any, django_assert_num_queries: Any
) -> None:
    """The header's cart badge comes from the session: a visitor without one costs nothing."""
    variant = sell(shop, stock=5)
    url = reverse("storefront:cart")
    with django_assert_num_queries(0):
        empty = browser_client.get(url)
    assert "Your cart is empty" in empty.content.decode()
    browser_client.post(reverse("storefront:cart_add"), {"variant": variant.pk, "quantity": 3})
    home = browser_client.get(reverse("storefront:home")).content.decode()
    assert 'class="badge">3<' in home


@pytest.mark.parametrize("orders", [1, 6])
def test_my_orders_page_costs_the_same_for_one_or_many_orders(
    signed_in: Client,
    shop: Shop,
    sell: Any,
    fill_checkout: Callable[..., Any],
    django_assert_max_num_queries: Any,
    orders: int,
) -> None:
    for _n in range(orders):
        variant = sell(shop, stock=5)
        signed_in.post(reverse("storefront:cart_add"), {"variant": variant.pk, "quantity": 1})
        fields = fill_checkout(signed_in, address=JAKARTA, delivery={shop.pk: DOMESTIC_OPTION})
        signed_in.post(reverse("storefront:place_order"), {**fields, "method": "bank_transfer"})
    with django_assert_max_num_queries(6):
        page = signed_in.get(reverse("storefront:orders"))
    assert page.content.decode().count("PK-") >= orders

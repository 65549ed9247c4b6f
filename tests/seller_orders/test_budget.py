"""The seller's order list costs the same queries for 1 or 20 orders (phones on slow links)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.urls import reverse

from marketplace.accounts.models import User
from marketplace.orders.models import Order
from sellers.models import Shop

from .conftest import signed_in

pytestmark = pytest.mark.django_db


def test_the_order_list_costs_a_fixed_number_of_queries(
    seller: User,
    shop: Shop,
    paid_order: Callable[..., Order],
    django_assert_max_num_queries: Callable[..., object],
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    browser = signed_in(seller)
    address = reverse("dashboard:orders", args=[shop.slug])

    def count() -> tuple[int, int]:
        """(queries, rows shown)."""
        with CaptureQueriesContext(connection) as ctx:
            html = browser.get(address).content.decode()
        return len(ctx.captured_queries), html.count('<li class="row order">')

    paid_order()
    browser.get(address)  # warm the session and content types
    one = count()
    for _ in range(19):
        paid_order(lines=1)
    twenty = count()
    assert (one[1], twenty[1]) == (1, 20)
    assert twenty[0] == one[0], f"{one[0]} queries for 1 order, {twenty[0]} for 20"
    with django_assert_max_num_queries(8):  # type: ignore[operator]
        browser.get(address)
    print(f"seller order list: {one[0]} queries")

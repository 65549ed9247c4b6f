"""Order lists: each audience sees its own, in a fixed number of queries."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from marketplace.core import permissions
from marketplace.orders import selectors

pytestmark = pytest.mark.django_db


def _read(orders: Any) -> list[tuple[str, str, str, int]]:
    return [
        (o.number, o.shop.name, o.payment.method, sum(line.quantity for line in o.lines.all()))
        for o in orders
    ]


@pytest.mark.parametrize("count", [3, 30])
def test_lists_cost_the_same_queries_for_3_and_30_orders(
    count: int,
    place_order: Callable[..., Any],
    variant_factory: Callable[..., Any],
    shop: Any,
    buyer: Any,
    django_assert_max_num_queries: Any,
) -> None:
    variant = variant_factory(stock=1000)
    other = variant_factory(stock=1000)
    for _ in range(count):
        place_order([(variant, 1), (other, 2)])
    for qs in (
        selectors.orders_for_buyer(buyer),
        selectors.orders_for_shop(shop),
        selectors.orders_for_operator({"market": "ID"}),
    ):
        with django_assert_max_num_queries(2):
            rows = _read(qs)
        assert len(rows) == count
        assert all(qty == 3 for *_, qty in rows)


def test_each_audience_sees_only_its_orders(
    place_order: Callable[..., Any],
    variant_factory: Callable[..., Any],
    shop_factory: Callable[..., Any],
    user_factory: Callable[..., Any],
    buyer: Any,
    seller: Any,
    operator: Any,
) -> None:
    other_seller = user_factory(email="lain@example.id", phone="+6281277777777")
    other_shop = shop_factory(owner=other_seller)
    mine = place_order([(variant_factory(), 1)]).orders.get()
    theirs = place_order(
        [(variant_factory(for_shop=other_shop), 1)],
        buyer=user_factory(email="b2@example.id", phone="+6281266666666"),
    ).orders.get()
    assert list(selectors.orders_for_buyer(buyer)) == [mine]
    assert list(selectors.orders_for_shop(other_shop)) == [theirs]
    assert set(selectors.orders_for_operator()) == {mine, theirs}
    assert list(selectors.orders_for_operator({"search": mine.number})) == [mine]
    for user in (buyer, seller, other_seller, operator):
        visible = set(selectors.orders_visible_to(user))
        for order in (mine, theirs):
            assert (order in visible) == permissions.can_view_order(user, order)

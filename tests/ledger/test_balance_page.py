"""Sellers read their shop's balance, pending and paid amounts, and nobody else's."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from marketplace.accounts.models import User
from marketplace.catalog.models import Category
from marketplace.ledger import services
from marketplace.ledger.models import LedgerSettings
from sellers.models import Shop

from .conftest import Line, OrderFactory

pytestmark = pytest.mark.django_db


def url(shop: Shop) -> str:
    return f"/penjual/{shop.slug}/saldo/"


def sell(order_factory: OrderFactory, shop: Shop, category: Category, n: int) -> None:
    for i in range(n):
        order = order_factory(
            shop, [Line(category, 1, "100000")], delivered_days_ago=10 if i % 2 else None
        )
        services.post_sale(order.pk)


def test_the_seller_sees_available_pending_and_paid(
    signed_in: Callable[[User | None], Client],
    order_factory: OrderFactory,
    shop: Shop,
    owner: User,
    operator: User,
    categories: dict[str, Category],
    ledger_settings: LedgerSettings,
) -> None:
    sell(order_factory, shop, categories["batik"], 3)  # one delivered long ago, two not
    (payout,) = services.build_payout_batch("IDR", actor=operator).payouts
    services.mark_payout_paid(payout, actor=operator)
    sell(order_factory, shop, categories["batik"], 2)

    response = signed_in(owner).get(url(shop))

    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-figure="available">IDR\xa095,000<' in page
    assert 'data-figure="pending">IDR\xa0285,000<' in page
    assert 'data-figure="paid">IDR\xa095,000<' in page
    assert page.count("<tr>") == 1 + 5 * 2 + 1  # header; sale + commission per order; payout
    history = signed_in(owner).get(f"/penjual/{shop.slug}/riwayat/").content.decode()
    assert "paid out the shop" in history and "Rina" in history


def test_a_new_shop_sees_an_empty_balance(
    signed_in: Callable[[User | None], Client], shop: Shop, owner: User
) -> None:
    page = signed_in(owner).get(url(shop)).content.decode()
    assert "No sales yet." in page


def test_no_one_else_reads_a_shops_balance(
    signed_in: Callable[[User | None], Client],
    shop_factory: Callable[..., Shop],
    user_factory: Callable[..., User],
    shop: Shop,
) -> None:
    other_owner = user_factory(phone="+6281277700001")
    shop_factory(owner=other_owner)
    assert signed_in(other_owner).get(url(shop)).status_code == 403
    assert signed_in(user_factory(phone="+6281277700002")).get(url(shop)).status_code == 403
    anonymous = signed_in(None).get(url(shop))
    assert anonymous.status_code == 302 and "/akun/" in anonymous["Location"]


def test_the_balance_page_costs_the_same_queries_for_2_or_20_orders(
    signed_in: Callable[[User | None], Client],
    order_factory: OrderFactory,
    shop: Shop,
    owner: User,
    categories: dict[str, Category],
    ledger_settings: LedgerSettings,
) -> None:
    browser = signed_in(owner)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert browser.get(url(shop)).status_code == 200
        return len(ctx.captured_queries)

    sell(order_factory, shop, categories["batik"], 2)
    few = count()
    sell(order_factory, shop, categories["batik"], 18)
    assert count() == few

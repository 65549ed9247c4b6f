"""Two operators building a batch at the same moment never pay the same money twice."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from django.db import connection, connections
from djmoney.money import Money

from marketplace.accounts.models import User
from marketplace.catalog.models import Category
from marketplace.ledger import selectors, services
from marketplace.ledger.models import LedgerSettings, Payout
from sellers.models import Shop, ShopBankAccount

from .conftest import Line, OrderFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are PostgreSQL's"),
]


def test_two_operators_build_at_once_and_each_shop_is_paid_once(
    order_factory: OrderFactory,
    shop_factory: Callable[..., Shop],
    user_factory: Callable[..., User],
    categories: dict[str, Category],
    ledger_settings: LedgerSettings,
) -> None:
    operators = [user_factory(phone=f"+62812888000{i}", is_staff=True) for i in range(2)]
    shops = []
    for _ in range(5):
        shop = shop_factory()
        ShopBankAccount.objects.create(
            shop=shop, bank_code="002", account_number="1234567890", holder_name="X"
        )
        order = order_factory(shop, [Line(categories["batik"], 1, "100000")], delivered_days_ago=9)
        services.post_sale(order.pk)
        shops.append(shop)

    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def build(operator: User) -> None:
        try:
            barrier.wait(timeout=10)
            services.build_payout_batch("IDR", actor=operator)
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=build, args=(op,)) for op in operators]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    assert Payout.objects.count() == 5
    assert sorted(Payout.objects.values_list("shop_id", flat=True)) == sorted(s.pk for s in shops)
    for shop in shops:
        (balance,) = selectors.shop_balance(shop)
        assert balance.available == Money(0, "IDR")
        assert balance.in_transfer == Money(95_000, "IDR")

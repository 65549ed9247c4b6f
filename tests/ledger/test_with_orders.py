"""The ledger follows the orders app: paying an order posts it, delivery starts the hold."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone
from djmoney.money import Money

from marketplace.accounts.models import User
from marketplace.catalog.models import Category
from marketplace.ledger import selectors
from marketplace.ledger.models import LedgerEntry, LedgerSettings
from marketplace.orders import services as orders
from marketplace.orders.models import Order, OrderStatus
from sellers.models import Shop

from .conftest import Line, OrderFactory

pytestmark = pytest.mark.django_db


def test_an_order_paid_through_the_orders_app_is_posted_and_clears_after_the_hold(
    order_factory: OrderFactory,
    shop: Shop,
    operator: User,
    categories: dict[str, Category],
    ledger_settings: LedgerSettings,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    order = order_factory(
        shop,
        [Line(categories["kopi"], 2, "50000")],
        shipping="15000",
        status=OrderStatus.UNPAID,
        paid_at=None,
    )
    assert not LedgerEntry.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        orders.mark_paid(order)

    (balance,) = selectors.shop_balance(shop)
    # 100.000 goods + 15.000 shipping - 8% of 100.000.
    assert balance.total == Money(107_000, "IDR")
    assert balance.pending == Money(107_000, "IDR")

    Order.objects.filter(pk=order.pk).update(status=OrderStatus.SHIPPED)  # packed and sent
    order.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        orders.mark_delivered(order, actor=operator)
    order.refresh_from_db()
    assert order.delivered_at is not None
    assert selectors.shop_balance(shop)[0].available == Money(0, "IDR")  # held for 7 days
    Order.objects.filter(pk=order.pk).update(
        delivered_at=timezone.now() - datetime.timedelta(days=8)
    )
    (balance,) = selectors.shop_balance(shop)
    assert balance.available == Money(107_000, "IDR")

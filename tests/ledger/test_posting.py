"""A paid order is split between the shop and the marketplace to the rupiah and the cent."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from djmoney.money import Money

from marketplace.catalog.models import Category
from marketplace.core import events
from marketplace.ledger import services
from marketplace.ledger.models import LedgerEntry
from marketplace.orders.models import Order
from sellers.models import Shop

from .conftest import Line, OrderFactory

pytestmark = pytest.mark.django_db


def split(order: Order) -> dict[tuple[str, str], Money]:
    return {(e.account, e.kind): e.amount for e in LedgerEntry.objects.filter(order=order)}


def order_sum(order: Order) -> Decimal:
    return sum((e.amount.amount for e in LedgerEntry.objects.filter(order=order)), Decimal(0))


def paid(order: Order, capture: Callable[..., Any]) -> None:
    with capture(execute=True):
        events.emit(
            "order.paid",
            order_id=order.pk,
            shop_id=order.shop_id,
            buyer_id=None,
            market=order.market,
        )


def refunded(order: Order, amount: str, refund_id: str, capture: Callable[..., Any]) -> None:
    with capture(execute=True):
        events.emit(
            "order.refunded",
            order_id=order.pk,
            amount=amount,
            currency=order.currency,
            refund_id=refund_id,
        )


@pytest.fixture
def idr_order(order_factory: OrderFactory, shop: Shop, categories: dict[str, Category]) -> Order:
    """3 x ground coffee at Rp 45.000 (8%) and a batik at Rp 45.010 (5%), Rp 18.000 shipping."""
    return order_factory(
        shop,
        [Line(categories["kopi_bubuk"], 3, "45000"), Line(categories["batik"], 1, "45010")],
        shipping="18000",
    )


@pytest.fixture
def eur_order(order_factory: OrderFactory, shop: Shop, categories: dict[str, Category]) -> Order:
    """To Germany under IOSS: 2 x coffee €20.00 (net €18.69, 7%), a batik €35.70 (net €30.00,
    19%), €12 shipping, duty €3 for each of two HS subheadings."""
    return order_factory(
        shop,
        [
            Line(categories["kopi_bubuk"], 2, "18.69", "20.00"),
            Line(categories["batik"], 1, "30.00", "35.70"),
        ],
        currency="EUR",
        shipping="12.00",
        vat="8.32",
        duty="6.00",
    )


def test_a_domestic_order_credits_the_shop_goods_and_shipping_less_commission(
    idr_order: Order, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    paid(idr_order, django_capture_on_commit_callbacks)

    assert idr_order.total == Money(198_010, "IDR")
    # 8% of 135.000 = 10.800; 5% of 45.010 = 2.250,5, rounded half-up to 2.251.
    assert split(idr_order) == {
        ("shop", "sale"): Money(198_010, "IDR"),
        ("shop", "commission"): Money(-13_051, "IDR"),
        ("commission", "commission"): Money(13_051, "IDR"),
    }
    assert order_sum(idr_order) == Decimal(198_010)


def test_an_eu_order_posts_vat_and_duty_and_sums_to_the_cent(
    eur_order: Order, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    paid(eur_order, django_capture_on_commit_callbacks)

    assert eur_order.total == Money("93.70", "EUR")
    # Commission on the goods without VAT: 8% of 37.38 = 2.9904 → 2.99; 5% of 30.00 = 1.50.
    assert split(eur_order) == {
        ("shop", "sale"): Money("79.38", "EUR"),  # 67.38 goods + 12.00 shipping
        ("shop", "commission"): Money("-4.49", "EUR"),
        ("commission", "commission"): Money("4.49", "EUR"),
        ("vat", "vat"): Money("8.32", "EUR"),
        ("duty", "duty"): Money("6.00", "EUR"),
    }
    assert order_sum(eur_order) == Decimal("93.70")


def test_the_same_event_twice_posts_once(
    idr_order: Order, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    paid(idr_order, django_capture_on_commit_callbacks)
    paid(idr_order, django_capture_on_commit_callbacks)
    services.post_sale(idr_order.pk)

    assert LedgerEntry.objects.filter(order=idr_order).count() == 3
    assert order_sum(idr_order) == Decimal(198_010)


def test_a_rate_change_applies_to_orders_placed_after_it(
    order_factory: OrderFactory, shop: Shop, categories: dict[str, Category]
) -> None:
    import datetime

    from django.utils import timezone

    from marketplace.ledger.models import CommissionRate

    CommissionRate.objects.create(
        category=categories["batik"],
        rate=Decimal("10"),
        valid_from=timezone.localdate() + datetime.timedelta(days=1),
    )
    today = order_factory(shop, [Line(categories["batik"], 1, "100000")])
    tomorrow = order_factory(
        shop,
        [Line(categories["batik"], 1, "100000")],
        placed_at=timezone.now() + datetime.timedelta(days=1),
    )
    services.post_sale(today.pk)
    services.post_sale(tomorrow.pk)

    assert split(today)[("commission", "commission")] == Money(5_000, "IDR")
    assert split(tomorrow)[("commission", "commission")] == Money(10_000, "IDR")


def test_a_partial_refund_reverses_each_share_in_proportion(
    eur_order: Order, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    paid(eur_order, django_capture_on_commit_callbacks)
    refunded(eur_order, "35.70", "re_batik", django_capture_on_commit_callbacks)

    refund = {
        (e.account, e.kind): e.amount
        for e in LedgerEntry.objects.filter(order=eur_order, reference="re_batik")
    }
    # 35.70 / 93.70 of each share: VAT 8.32 → 3.17, duty 6.00 → 2.29, commission 4.49 → 1.71.
    assert refund == {
        ("shop", "refund"): Money("-30.24", "EUR"),
        ("shop", "commission_reversal"): Money("1.71", "EUR"),
        ("commission", "commission_reversal"): Money("-1.71", "EUR"),
        ("vat", "refund"): Money("-3.17", "EUR"),
        ("duty", "refund"): Money("-2.29", "EUR"),
    }
    assert sum(m.amount for m in refund.values()) == Decimal("-35.70")
    assert order_sum(eur_order) == Decimal("58.00")


def test_refunding_the_rest_brings_every_account_back_to_zero(
    eur_order: Order, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    paid(eur_order, django_capture_on_commit_callbacks)
    refunded(eur_order, "35.70", "re_1", django_capture_on_commit_callbacks)
    refunded(eur_order, "0.01", "re_2", django_capture_on_commit_callbacks)
    refunded(eur_order, "57.99", "re_3", django_capture_on_commit_callbacks)
    refunded(eur_order, "57.99", "re_3", django_capture_on_commit_callbacks)  # repeated

    per_account: dict[str, Decimal] = {}
    for entry in LedgerEntry.objects.filter(order=eur_order):
        per_account[entry.account] = (
            per_account.get(entry.account, Decimal(0)) + entry.amount.amount
        )
    assert per_account == {"shop": 0, "commission": 0, "vat": 0, "duty": 0}


def test_a_refund_above_what_was_paid_posts_nothing(
    idr_order: Order, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    paid(idr_order, django_capture_on_commit_callbacks)
    before = LedgerEntry.objects.count()

    with pytest.raises(services.LedgerPostingError):
        services.post_refund(idr_order.pk, "198011", "IDR", "re_too_much")
    with pytest.raises(services.LedgerPostingError):
        services.post_refund(idr_order.pk, "10", "EUR", "re_wrong_currency")
    # Through the event the failure is logged, never raised into the request that emitted.
    refunded(idr_order, "abc", "re_bad", django_capture_on_commit_callbacks)

    assert LedgerEntry.objects.count() == before


def test_a_refund_reported_before_the_payment_posts_the_sale_first(
    idr_order: Order, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    refunded(idr_order, "198010", "re_early", django_capture_on_commit_callbacks)
    paid(idr_order, django_capture_on_commit_callbacks)

    assert order_sum(idr_order) == 0
    assert split(idr_order)[("shop", "sale")] == Money(198_010, "IDR")
    assert LedgerEntry.objects.filter(order=idr_order, kind="sale").count() == 1

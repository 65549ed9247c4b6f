"""The rupiah of a bank transfer's unique code are the marketplace's, and the ledger shows them."""

# ruff: noqa: F811

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db.models import Sum
from djmoney.money import Money

from marketplace.ledger import services as ledger
from marketplace.ledger.models import LedgerEntry
from marketplace.payments import services as payments
from marketplace.payments.models import Payment
from sellers.models import Shop
from tests.orders.factories import (  # noqa: F401  (fixtures)
    buyer,
    operator,
    place_order,
    seller,
    shop,
    variant_factory,
)

pytestmark = pytest.mark.django_db


def code_entries() -> list[LedgerEntry]:
    return list(
        LedgerEntry.objects.filter(
            account=ledger.UNIQUE_CODE_ACCOUNT, kind=ledger.BANK_TRANSFER_CODE
        )
    )


@pytest.fixture
def transfer(
    place_order: Callable[..., Any],
    variant_factory: Callable[..., Any],
    shop_factory: Callable[..., Shop],
) -> Payment:
    """One checkout from two shops (two orders) paid by one bank transfer."""
    other = shop_factory(name="Batik Temenggungan")
    payment: Payment = place_order(
        [(variant_factory(idr=85_000), 2), (variant_factory(idr=40_000, for_shop=other), 1)],
        method="bank_transfer",
    )
    return payment


def test_a_confirmed_transfer_posts_its_code_once_for_the_whole_payment(
    transfer: Payment, operator: Any, django_capture_on_commit_callbacks: Any
) -> None:
    assert transfer.unique_code and transfer.transfer_amount is not None
    with django_capture_on_commit_callbacks(execute=True):
        payments.confirm_bank_transfer(transfer, actor=operator)

    (entry,) = code_entries()
    code = Money(transfer.unique_code, "IDR")
    assert entry.amount == code
    assert entry.shop is None  # the marketplace's, not a shop's
    first = transfer.orders.order_by("pk").first()
    assert entry.order == first
    # Each order's own entries still add up to its total; with the code, everything posted is
    # exactly what arrived in the bank.
    for order in transfer.orders.all():
        own = order.ledger_entries.exclude(account=ledger.UNIQUE_CODE_ACCOUNT)
        assert own.aggregate(total=Sum("amount"))["total"] == order.total.amount
    everything = LedgerEntry.objects.aggregate(total=Sum("amount"))["total"]
    assert Money(everything, "IDR") == transfer.transfer_amount

    # Repeated events (a second confirmation click, an event delivered twice) post nothing new.
    with django_capture_on_commit_callbacks(execute=True):
        payments.confirm_bank_transfer(transfer, actor=operator)
    for order in transfer.orders.all():
        ledger.post_sale(order.pk)
    assert len(code_entries()) == 1


def test_an_expired_transfer_posts_no_code(
    transfer: Payment, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        payments.payment_failed(transfer, "Not paid in time.", expired=True)
    for order in transfer.orders.all():
        ledger.post_sale(order.pk)
    assert code_entries() == []


def test_other_payments_have_no_code_to_post(
    place_order: Callable[..., Any],
    variant_factory: Callable[..., Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    payment = place_order([(variant_factory(idr=85_000), 1)], method="demo")
    with django_capture_on_commit_callbacks(execute=True):
        payments.payment_succeeded(payment, reference="demo")
    assert LedgerEntry.objects.filter(order__payment=payment, kind="sale").exists()
    assert code_entries() == []

"""Racing outcomes on PostgreSQL: the stock of a cancelled order comes back exactly once."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection, connections
from django.utils import timezone

from marketplace.catalog.models import StockMovement, StockReason
from marketplace.orders import services
from marketplace.orders.models import OrderStatus
from marketplace.payments import services as payment_services
from marketplace.payments.models import Payment, PaymentStatus

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are PostgreSQL's"),
]


def race(*calls: Callable[[], Any]) -> list[BaseException]:
    barrier = threading.Barrier(len(calls))
    errors: list[BaseException] = []

    def run(call: Callable[[], Any]) -> None:
        try:
            barrier.wait(timeout=10)
            call()
        except BaseException as exc:  # reported by the caller
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return errors


@pytest.mark.parametrize("attempt", range(3))
def test_buyer_cancel_racing_expiry_releases_once(
    attempt: int, place_order: Callable[..., Any], variant_factory: Callable[..., Any], buyer: Any
) -> None:
    variant = variant_factory(stock=5)
    payment: Payment = place_order([(variant, 3)], method="bank_transfer")
    order = payment.orders.get()
    Payment.objects.filter(pk=payment.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    payment.orders.update(expires_at=timezone.now() - timedelta(seconds=1))

    errors = race(
        lambda: services.cancel_unpaid(order, actor=buyer),
        services.expire_unpaid_orders,
    )
    # The loser either found nothing to do or was told the order is no longer unpaid.
    assert all(isinstance(e, services.IllegalTransition) for e in errors), errors
    variant.refresh_from_db()
    assert variant.stock_quantity == 5
    assert StockMovement.objects.filter(variant=variant, reason=StockReason.RETURN).count() == 1
    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED


@pytest.mark.parametrize("attempt", range(3))
def test_payment_racing_expiry_ends_one_way(
    attempt: int, place_order: Callable[..., Any], variant_factory: Callable[..., Any]
) -> None:
    variant = variant_factory(stock=5)
    payment: Payment = place_order([(variant, 2)], method="bank_transfer")
    Payment.objects.filter(pk=payment.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    payment.orders.update(expires_at=timezone.now() - timedelta(seconds=1))

    errors = race(
        lambda: payment_services.payment_succeeded(payment, reference="late"),
        services.expire_unpaid_orders,
    )
    assert errors == []
    payment.refresh_from_db()
    order = payment.orders.get()
    variant.refresh_from_db()
    if payment.status == PaymentStatus.SUCCEEDED:
        assert order.status == OrderStatus.PAID
        assert variant.stock_quantity == 3
    else:
        assert payment.status == PaymentStatus.CANCELLED
        assert order.status == OrderStatus.CANCELLED
        assert variant.stock_quantity == 5

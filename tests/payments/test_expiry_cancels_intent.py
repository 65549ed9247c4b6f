"""An unpaid card payment that expires is closed at Stripe: nobody can pay for cancelled orders."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.utils import timezone

from marketplace.orders import services as order_services
from marketplace.orders.models import OrderStatus
from marketplace.payments import services
from marketplace.payments.models import Payment, PaymentStatus

from .stripe_fake import StripeFake

pytestmark = pytest.mark.django_db


def after_the_deadline() -> object:
    return timezone.now() + timedelta(days=3)


def test_expiry_cancels_the_payment_intent_then_the_orders(
    stripe_fake: StripeFake, stripe_payment: Callable[..., Payment]
) -> None:
    payment = stripe_payment("12.34", "28.00")
    intent = payment.gateway_reference
    variants = [line.variant for order in payment.orders.all() for line in order.lines.all()]
    stock_before = {v.pk: v.stock_quantity for v in variants if v is not None}

    assert order_services.expire_unpaid_orders(now=after_the_deadline()) == 2

    (sent,) = stripe_fake.posts(f"/v1/payment_intents/{intent}/cancel")
    assert sent.params == {"cancellation_reason": "abandoned"}
    assert stripe_fake.payment_intents[intent]["status"] == "canceled"
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.CANCELLED
    assert set(payment.orders.values_list("status", flat=True)) == {OrderStatus.CANCELLED}
    for variant in variants:
        assert variant is not None
        variant.refresh_from_db()
        assert variant.stock_quantity == stock_before[variant.pk] + 1  # back on sale


def test_when_stripe_cannot_be_reached_nothing_expires_until_the_next_run(
    stripe_fake: StripeFake, stripe_payment: Callable[..., Payment]
) -> None:
    payment = stripe_payment("40.00")
    stripe_fake.stop()  # Stripe is unreachable: the intent could still be paid

    assert order_services.expire_unpaid_orders(now=after_the_deadline()) == 0

    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PENDING
    assert payment.orders.get().status == OrderStatus.UNPAID


def test_a_failed_card_payment_is_not_cancelled_at_stripe_and_a_late_report_changes_nothing(
    stripe_fake: StripeFake, stripe_payment: Callable[..., Payment]
) -> None:
    payment = stripe_payment("40.00")
    services.payment_failed(payment, "card_declined")
    # Only an expiry closes the intent; a failed attempt is Stripe's own state already.
    assert stripe_fake.posts(f"/v1/payment_intents/{payment.gateway_reference}/cancel") == []
    # Once closed, an expiry report does not call Stripe again.
    services.payment_failed(payment, "Not paid in time.", expired=True)
    assert stripe_fake.posts(f"/v1/payment_intents/{payment.gateway_reference}/cancel") == []

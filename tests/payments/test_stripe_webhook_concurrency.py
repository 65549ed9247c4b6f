"""Stripe delivers the same webhook several times at once (PostgreSQL only).

Each delivery is a thread with its own database connection, released together by a barrier. The
unique (provider, event id) row makes the later ones wait for the first to commit; they must then
answer 200 without paying again.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection
from django.test import Client

from marketplace.catalog.models import Category
from marketplace.orders.models import OrderEvent, OrderStatus
from marketplace.payments.models import Payment, PaymentStatus, WebhookEvent

from .stripe_fake import StripeFake, event, signature

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]

DELIVERIES = 6


def test_simultaneous_deliveries_of_one_event_pay_once(
    stripe_fake: StripeFake, request: pytest.FixtureRequest
) -> None:
    # A transactional test starts from a flushed database: bring what the listing needs.
    Category.objects.get_or_create(
        slug="kopi", defaults={"name": "Kopi", "tax_class": "coffee", "default_hs_heading": "0901"}
    )
    make: Callable[..., Payment] = request.getfixturevalue("stripe_payment")
    payment = make("12.34", "28.00")
    body = event("payment_intent.succeeded", stripe_fake.succeed(payment.gateway_reference))
    header = signature(body)
    barrier = threading.Barrier(DELIVERIES)

    def deliver(_: int) -> tuple[int, bytes]:
        try:
            barrier.wait(timeout=30)
            response = Client().post(
                "/pembayaran/stripe/webhook/",
                data=body,
                content_type="application/json",
                headers={"Stripe-Signature": header},
            )
            return response.status_code, response.content
        finally:
            connection.close()

    with ThreadPoolExecutor(DELIVERIES) as pool:
        answers = sorted(pool.map(deliver, range(DELIVERIES)))

    # One delivery processed the event; the others waited for it and were told it was done.
    assert answers == [(200, b"duplicate")] * (DELIVERIES - 1) + [(200, b"ok")]
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.SUCCEEDED
    assert WebhookEvent.objects.count() == 1
    paid = OrderEvent.objects.filter(order__payment=payment, kind=OrderStatus.PAID)
    assert paid.count() == 2  # one per order, not one per delivery

"""Stripe's webhooks at /pembayaran/stripe/webhook/: signed with the real scheme, end to end.

Each test drives the fake Stripe (the buyer pays, a refund is made) and then delivers the webhook
Stripe would send, so what is checked is what the buyer and the seller would see: order statuses,
their history, the payment's totals.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from djmoney.money import Money

from marketplace.catalog.models import ProductVariant
from marketplace.orders.models import OrderEvent, OrderStatus
from marketplace.payments import services, webhooks
from marketplace.payments.models import Payment, PaymentRefund, PaymentStatus, WebhookEvent

from .stripe_fake import StripeFake, event, signature

pytestmark = pytest.mark.django_db

URL = "/pembayaran/stripe/webhook/"


def deliver(client: Client, body: bytes, sig: str | None = None) -> Any:
    """POST a webhook as Stripe does (JSON body, ``Stripe-Signature`` header)."""
    return client.post(
        URL,
        data=body,
        content_type="application/json",
        headers={"Stripe-Signature": signature(body) if sig is None else sig},
    )


def statuses(payment: Payment) -> list[str]:
    return list(payment.orders.order_by("pk").values_list("status", flat=True))


def stock(payment: Payment) -> list[int]:
    """What is left of each bought variant (each was stocked with 5, one bought)."""
    return list(
        ProductVariant.objects.filter(order_lines__order__payment=payment)
        .order_by("pk")
        .values_list("stock_quantity", flat=True)
    )


def paid_events(payment: Payment) -> int:
    return (
        OrderEvent.objects.filter(order__payment=payment, to_status=OrderStatus.PAID)
        .exclude(kind="refund")
        .count()
    )


def test_the_url_is_where_the_design_says() -> None:
    assert reverse("payments:stripe-webhook") == URL


def test_a_signed_success_pays_every_order(
    client: Client, stripe_fake: StripeFake, stripe_payment: Callable[..., Payment]
) -> None:
    payment = stripe_payment("12.34", "28.00")
    intent = stripe_fake.succeed(payment.gateway_reference)

    response = deliver(client, event("payment_intent.succeeded", intent))

    assert response.status_code == 200
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.SUCCEEDED
    assert statuses(payment) == [OrderStatus.PAID, OrderStatus.PAID]
    assert WebhookEvent.objects.get().processed_at is not None


def test_rupiah_success_converts_back_from_minor_units(
    client: Client, stripe_fake: StripeFake, stripe_payment: Callable[..., Payment]
) -> None:
    payment = stripe_payment("155000", currency="IDR")
    intent = stripe_fake.succeed(payment.gateway_reference)
    assert intent["amount_received"] == 15_500_000

    assert deliver(client, event("payment_intent.succeeded", intent)).status_code == 200

    payment.refresh_from_db()
    assert payment.status == PaymentStatus.SUCCEEDED


@pytest.mark.parametrize(
    "forge",
    [
        pytest.param(lambda body: signature(body, "whsec_someone_else"), id="wrong-secret"),
        pytest.param(lambda body: signature(body + b" "), id="body-changed-after-signing"),
        pytest.param(lambda body: signature(body, timestamp=int(time.time()) - 3600), id="stale"),
        pytest.param(lambda body: "", id="no-signature"),
        pytest.param(lambda body: "t=1,v1=deadbeef", id="garbage"),
    ],
)
def test_a_forged_webhook_is_refused_and_pays_nothing(
    client: Client,
    stripe_fake: StripeFake,
    stripe_payment: Callable[..., Payment],
    forge: Callable[[bytes], str],
) -> None:
    payment = stripe_payment()
    # The forger knows the intent id and the shape; not the webhook secret.
    intent = {**stripe_fake.payment_intents[payment.gateway_reference], "status": "succeeded"}
    intent["amount_received"] = intent["amount"]
    body = event("payment_intent.succeeded", intent)

    response = deliver(client, body, forge(body))

    assert response.status_code == 400
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PENDING
    assert statuses(payment) == [OrderStatus.UNPAID]
    assert not WebhookEvent.objects.exists()


def test_a_signed_body_that_is_not_json_is_refused(client: Client, stripe_fake: StripeFake) -> None:
    assert deliver(client, b"<xml>not an event</xml>").status_code == 400
    assert not WebhookEvent.objects.exists()


def test_without_a_webhook_secret_every_webhook_is_refused(
    client: Client, stripe_fake: StripeFake, stripe_payment: Callable[..., Payment], settings: Any
) -> None:
    payment = stripe_payment()
    intent = stripe_fake.succeed(payment.gateway_reference)
    body = event("payment_intent.succeeded", intent)
    settings.STRIPE_WEBHOOK_SECRET = None

    assert deliver(client, body).status_code == 400
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PENDING


def test_the_same_webhook_twice_pays_once(
    client: Client, stripe_fake: StripeFake, stripe_payment: Callable[..., Payment]
) -> None:
    payment = stripe_payment()
    body = event("payment_intent.succeeded", stripe_fake.succeed(payment.gateway_reference))

    first = deliver(client, body)
    again = deliver(client, body)

    assert (first.status_code, again.status_code) == (200, 200)
    assert again.content == b"duplicate"
    assert paid_events(payment) == 1
    assert WebhookEvent.objects.count() == 1


def test_two_success_events_for_one_intent_still_pay_once(
    client: Client, stripe_fake: StripeFake, stripe_payment: Callable[..., Payment]
) -> None:
    # Different event ids (e.g. a resend from the Dashboard): the service is idempotent too.
    payment = stripe_payment()
    intent = stripe_fake.succeed(payment.gateway_reference)

    deliver(client, event("payment_intent.succeeded", intent))
    deliver(client, event("payment_intent.succeeded", intent))

    assert paid_events(payment) == 1
    assert WebhookEvent.objects.count() == 2


def test_a_wrong_amount_is_not_paid_and_not_retried(
    client: Client, stripe_fake: StripeFake, stripe_payment: Callable[..., Payment]
) -> None:
    payment = stripe_payment("40.00")
    intent = {**stripe_fake.succeed(payment.gateway_reference), "amount_received": 400}

    response = deliver(client, event("payment_intent.succeeded", intent))

    # 200: a retry would be refused the same way; the error is logged for an operator.
    assert response.status_code == 200
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PENDING
    assert statuses(payment) == [OrderStatus.UNPAID]


def test_a_declined_card_leaves_the_order_payable(
    client: Client, stripe_fake: StripeFake, stripe_payment: Callable[..., Payment]
) -> None:
    payment = stripe_payment()
    declined = stripe_fake.fail(payment.gateway_reference)

    assert deliver(client, event("payment_intent.payment_failed", declined)).status_code == 200
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PENDING
    assert statuses(payment) == [OrderStatus.UNPAID]
    assert stock(payment) == [4]  # still held for the buyer

    # The buyer tries another card on the same page: the same intent succeeds.
    deliver(client, event("payment_intent.succeeded", stripe_fake.succeed(declined["id"])))
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.SUCCEEDED
    assert statuses(payment) == [OrderStatus.PAID]


@pytest.mark.parametrize("kind", ["payment_intent.payment_failed", "payment_intent.canceled"])
def test_an_intent_that_can_no_longer_be_paid_cancels_the_orders(
    client: Client, stripe_fake: StripeFake, stripe_payment: Callable[..., Payment], kind: str
) -> None:
    payment = stripe_payment("12.34", "28.00")
    intent = {
        **stripe_fake.payment_intents[payment.gateway_reference],
        "status": "canceled",
        "cancellation_reason": "abandoned",
    }

    assert deliver(client, event(kind, intent)).status_code == 200

    payment.refresh_from_db()
    assert payment.status == PaymentStatus.FAILED
    assert statuses(payment) == [OrderStatus.CANCELLED, OrderStatus.CANCELLED]
    assert stock(payment) == [5, 5]  # released for other buyers


def test_an_event_type_we_do_not_use_is_acknowledged(
    client: Client, stripe_fake: StripeFake, stripe_payment: Callable[..., Payment]
) -> None:
    payment = stripe_payment()
    intent = stripe_fake.payment_intents[payment.gateway_reference]

    assert deliver(client, event("payment_intent.created", intent)).status_code == 200
    assert WebhookEvent.objects.get().type == "payment_intent.created"
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PENDING


def test_a_verified_event_for_someone_elses_intent_is_acknowledged(
    client: Client, stripe_fake: StripeFake, stripe_payment: Callable[..., Payment]
) -> None:
    # Another integration on the same Stripe account: retrying would not make it ours.
    payment = stripe_payment()
    other = {**stripe_fake.payment_intents[payment.gateway_reference], "id": "pi_3NotOurs"}

    response = deliver(client, event("payment_intent.succeeded", other))

    assert response.status_code == 200
    assert WebhookEvent.objects.get().processed_at is not None
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PENDING


def test_a_crash_while_processing_is_retried_by_stripe(
    client: Client,
    stripe_fake: StripeFake,
    stripe_payment: Callable[..., Payment],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    payment = stripe_payment()
    body = event("payment_intent.succeeded", stripe_fake.succeed(payment.gateway_reference))
    real = services.payment_succeeded

    def database_went_away(*args: Any, **kwargs: Any) -> Any:
        real(*args, **kwargs)
        raise RuntimeError("connection lost")

    monkeypatch.setattr(webhooks.services, "payment_succeeded", database_went_away)
    failed = deliver(client, body)
    monkeypatch.setattr(webhooks.services, "payment_succeeded", real)

    # 500 so that Stripe delivers again; nothing of the failed attempt was kept.
    assert failed.status_code == 500
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PENDING
    assert WebhookEvent.objects.get().processed_at is None

    assert deliver(client, body).status_code == 200
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.SUCCEEDED
    assert paid_events(payment) == 1


def test_only_post_is_accepted(client: Client) -> None:
    assert client.get(URL).status_code == 405


# --- Refunds ---------------------------------------------------------------------------------


def final_state(payment: Payment) -> tuple[Any, ...]:
    payment.refresh_from_db()
    orders = payment.orders.order_by("pk")
    return (
        payment.status,
        payment.amount_refunded,
        [(o.status, o.refunded) for o in orders],
        PaymentRefund.objects.filter(payment=payment).count(),
        OrderEvent.objects.filter(order__payment=payment, kind="refund").count(),
    )


@pytest.mark.parametrize("refund_first", [False, True], ids=["in-order", "refund-before-payment"])
def test_refund_and_payment_webhooks_end_the_same_in_either_order(
    client: Client,
    stripe_fake: StripeFake,
    stripe_payment: Callable[..., Payment],
    refund_first: bool,
) -> None:
    # The buyer paid; the seller refunded at once from Stripe's Dashboard; Stripe delivers the
    # two webhooks in whichever order its queues produce.
    payment = stripe_payment("12.34", "28.00")
    succeeded = event("payment_intent.succeeded", stripe_fake.succeed(payment.gateway_reference))
    charge = stripe_fake.charge_of(payment.gateway_reference)
    stripe_fake.add_refund(charge["id"], charge["amount"])
    refunded = event("charge.refunded", charge)

    for body in (refunded, succeeded) if refund_first else (succeeded, refunded):
        assert deliver(client, body).status_code == 200

    assert final_state(payment) == (
        PaymentStatus.REFUNDED,
        Money("40.34", "EUR"),
        [
            (OrderStatus.REFUNDED, Money("12.34", "EUR")),
            (OrderStatus.REFUNDED, Money("28.00", "EUR")),
        ],
        1,
        2,
    )
    # The orders were paid before they were refunded, so the ledger sees a sale then a reversal.
    assert paid_events(payment) == 2


def test_a_partial_refund_before_the_payment_webhook(
    client: Client, stripe_fake: StripeFake, stripe_payment: Callable[..., Payment]
) -> None:
    payment = stripe_payment("40.00")
    succeeded = event("payment_intent.succeeded", stripe_fake.succeed(payment.gateway_reference))
    charge = stripe_fake.charge_of(payment.gateway_reference)
    stripe_fake.add_refund(charge["id"], 1000)

    deliver(client, event("charge.refunded", charge))
    payment.refresh_from_db()
    # Kept, not yet applied: the orders were never paid.
    assert payment.status == PaymentStatus.PENDING
    assert statuses(payment) == [OrderStatus.UNPAID]

    deliver(client, succeeded)

    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PARTIALLY_REFUNDED
    assert payment.amount_refunded == Money("10.00", "EUR")
    order = payment.orders.get()
    # Not delivered yet: it stays paid (to be shipped), the refund is in its history.
    assert (order.status, order.refunded) == (OrderStatus.PAID, Money("10.00", "EUR"))


def test_a_refund_made_through_the_api_counts_once_when_its_webhook_arrives(
    client: Client,
    stripe_fake: StripeFake,
    stripe_payment: Callable[..., Payment],
    user_factory: Any,
) -> None:
    operator = user_factory(phone="+6281234500099", is_staff=True)
    payment = stripe_payment("40.00")
    deliver(
        client, event("payment_intent.succeeded", stripe_fake.succeed(payment.gateway_reference))
    )
    services.refund(payment, Money("40.00", "EUR"), actor=operator, reason="Out of stock")

    body = event("charge.refunded", stripe_fake.charge_of(payment.gateway_reference))
    assert deliver(client, body).status_code == 200

    assert final_state(payment) == (
        PaymentStatus.REFUNDED,
        Money("40.00", "EUR"),
        [(OrderStatus.REFUNDED, Money("40.00", "EUR"))],
        1,
        1,
    )


def test_two_refunds_on_one_charge_are_each_recorded_once(
    client: Client, stripe_fake: StripeFake, stripe_payment: Callable[..., Payment]
) -> None:
    payment = stripe_payment("40.00")
    deliver(
        client, event("payment_intent.succeeded", stripe_fake.succeed(payment.gateway_reference))
    )
    charge = stripe_fake.charge_of(payment.gateway_reference)
    stripe_fake.add_refund(charge["id"], 1000)
    deliver(client, event("charge.refunded", charge))
    stripe_fake.add_refund(charge["id"], 500)
    # The second event lists both refunds; the first must not count twice.
    deliver(client, event("charge.refunded", charge))

    payment.refresh_from_db()
    assert payment.amount_refunded == Money("15.00", "EUR")
    assert PaymentRefund.objects.filter(payment=payment).count() == 2


def test_a_charge_without_its_refund_list_asks_stripe_for_it(
    client: Client, stripe_fake: StripeFake, stripe_payment: Callable[..., Payment]
) -> None:
    # Since API version 2022-11-15 a Charge's ``refunds`` are not included unless expanded.
    payment = stripe_payment("40.00")
    deliver(
        client, event("payment_intent.succeeded", stripe_fake.succeed(payment.gateway_reference))
    )
    charge = stripe_fake.charge_of(payment.gateway_reference)
    stripe_fake.add_refund(charge["id"], 2500)
    snapshot = {k: v for k, v in charge.items() if k != "refunds"}

    assert deliver(client, event("charge.refunded", snapshot)).status_code == 200

    (asked,) = [r for r in stripe_fake.requests if r.method == "GET" and r.path == "/v1/refunds"]
    assert asked.query["charge"] == charge["id"]
    payment.refresh_from_db()
    assert payment.amount_refunded == Money("25.00", "EUR")

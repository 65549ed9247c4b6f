"""Starting a card payment and refunding it, against Stripe's API faked at the HTTP boundary."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from djmoney.money import Money

from marketplace.payments import services
from marketplace.payments.gateways.base import GatewayError
from marketplace.payments.gateways.stripe import StripeGateway
from marketplace.payments.models import Payment, PaymentRefund, PaymentStatus

from .stripe_fake import PUBLISHABLE_KEY, StripeFake


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    # The messages are compared in English; the site's default language is Indonesian.
    with translation.override("en"):
        yield

pytestmark = pytest.mark.django_db


def test_start_creates_an_intent_for_the_payment(
    stripe_fake: StripeFake, stripe_payment: Callable[..., Payment]
) -> None:
    payment = stripe_payment("12.34", "28.00")

    (sent,) = stripe_fake.posts("/v1/payment_intents")
    assert sent.params == {
        "amount": "4034",
        "currency": "eur",
        "automatic_payment_methods[enabled]": "true",
        "metadata[payment_id]": str(payment.pk),
    }
    assert sent.headers["idempotency-key"] == payment.idempotency_key
    assert sent.headers["authorization"].startswith("Bearer sk_test_")
    intent = stripe_fake.payment_intents[payment.gateway_reference]
    assert payment.client_secret == intent["client_secret"]
    assert payment.client_secret.startswith(f"{payment.gateway_reference}_secret_")
    # Starting is not paying: only Stripe's webhook may say the money arrived.
    assert payment.status == PaymentStatus.PENDING


def test_rupiah_are_sent_as_stripe_expects(
    stripe_fake: StripeFake, stripe_payment: Callable[..., Payment]
) -> None:
    stripe_payment("155000", currency="IDR")

    (sent,) = stripe_fake.posts("/v1/payment_intents")
    assert (sent.params["amount"], sent.params["currency"]) == ("15500000", "idr")


def test_the_page_gets_the_client_secret_and_publishable_key(
    stripe_fake: StripeFake, stripe_payment: Callable[..., Payment]
) -> None:
    payment = stripe_payment()

    page = services.start_payment(payment)

    assert page == {"client_secret": payment.client_secret, "publishable_key": PUBLISHABLE_KEY}


def test_reloading_the_payment_page_reuses_the_intent(
    stripe_fake: StripeFake, stripe_payment: Callable[..., Payment]
) -> None:
    payment = stripe_payment()

    services.start_payment(payment)
    services.start_payment(payment)

    assert len(stripe_fake.posts("/v1/payment_intents")) == 1
    assert len(stripe_fake.payment_intents) == 1


def test_a_lost_reply_does_not_create_a_second_intent(
    stripe_fake: StripeFake, stripe_payment: Callable[..., Payment]
) -> None:
    # Stripe created the intent but our save of its id was lost (the request died): asking again
    # with the payment's idempotency key gets the same intent back.
    payment = stripe_payment()
    first = payment.gateway_reference
    Payment.objects.filter(pk=payment.pk).update(gateway_reference="", client_secret="")
    payment.refresh_from_db()

    services.start_payment(payment)

    payment.refresh_from_db()
    assert payment.gateway_reference == first
    assert len(stripe_fake.posts("/v1/payment_intents")) == 2
    assert len(stripe_fake.payment_intents) == 1


def test_stripe_down_is_a_clear_error_not_a_crash(
    stripe_fake: StripeFake, stripe_payment: Callable[..., Payment]
) -> None:
    payment = stripe_payment()
    Payment.objects.filter(pk=payment.pk).update(gateway_reference="", client_secret="")
    payment.refresh_from_db()
    stripe_fake.stop()

    with pytest.raises(ValidationError) as exc:
        services.start_payment(payment)

    assert exc.value.code == "gateway"
    assert "could not be reached" in exc.value.messages[0]
    payment.refresh_from_db()
    assert (payment.gateway_reference, payment.status) == ("", PaymentStatus.PENDING)


def test_an_unreachable_stripe_is_reported_in_the_buyers_language(
    stripe_fake: StripeFake, stripe_payment: Callable[..., Payment]
) -> None:
    payment = stripe_payment()
    stripe_fake.stop()

    with pytest.raises(GatewayError) as exc:
        StripeGateway().refund(payment, Money("1.00", "EUR"))

    # A lazy translation: rendered in whatever language is active when shown.
    assert type(exc.value.args[0]).__name__ == "__proxy__"


def _pay(stripe_fake: StripeFake, payment: Payment) -> None:
    stripe_fake.succeed(payment.gateway_reference)
    services.payment_succeeded(payment, reference=payment.gateway_reference, amount=payment.amount)
    payment.refresh_from_db()


def test_refund_goes_through_the_api_in_minor_units(
    stripe_fake: StripeFake, stripe_payment: Callable[..., Payment], user_factory: Any
) -> None:
    operator = user_factory(phone="+6281234500099", is_staff=True)
    payment = stripe_payment("40.00")
    _pay(stripe_fake, payment)

    row = services.refund(payment, Money("15.50", "EUR"), actor=operator, reason="Broken cup")

    (sent,) = stripe_fake.posts("/v1/refunds")
    assert sent.params["payment_intent"] == payment.gateway_reference
    assert sent.params["amount"] == "1550"
    assert row.reference.startswith("re_") and row.reference in stripe_fake.refunds
    payment.refresh_from_db()
    assert payment.amount_refunded == Money("15.50", "EUR")
    assert payment.status == PaymentStatus.PARTIALLY_REFUNDED


def test_a_double_submitted_refund_is_sent_back_once(
    stripe_fake: StripeFake, stripe_payment: Callable[..., Payment]
) -> None:
    # Two clicks before the first refund was recorded: same idempotency key, Stripe's first answer.
    payment = stripe_payment("40.00")
    _pay(stripe_fake, payment)

    first = StripeGateway().refund(payment, Money("10.00", "EUR"))
    second = StripeGateway().refund(payment, Money("10.00", "EUR"))

    assert first == second
    assert len(stripe_fake.refunds) == 1


def test_a_refund_stripe_refuses_is_a_clear_error_and_records_nothing(
    stripe_fake: StripeFake, stripe_payment: Callable[..., Payment], user_factory: Any
) -> None:
    operator = user_factory(phone="+6281234500099", is_staff=True)
    payment = stripe_payment("40.00")
    _pay(stripe_fake, payment)
    # Refunded in Stripe's Dashboard already (its webhook not here yet): the API refuses more.
    stripe_fake.add_refund(stripe_fake.charge_of(payment.gateway_reference)["id"], 4000)

    with pytest.raises(ValidationError) as exc:
        services.refund(payment, Money("40.00", "EUR"), actor=operator, reason="Lost parcel")

    assert exc.value.code == "gateway"
    assert "refused" in exc.value.messages[0]
    assert not PaymentRefund.objects.exists()


def test_without_a_secret_key_card_payments_are_unavailable(
    stripe_fake: StripeFake, stripe_payment: Callable[..., Payment], settings: Any
) -> None:
    payment = stripe_payment()
    Payment.objects.filter(pk=payment.pk).update(gateway_reference="", client_secret="")
    payment.refresh_from_db()
    settings.STRIPE_SECRET_KEY = None

    with pytest.raises(ValidationError, match="not available"):
        services.start_payment(payment)


def test_cancel_closes_an_unpaid_intent_so_it_cannot_be_paid_late(
    stripe_fake: StripeFake, stripe_payment: Callable[..., Payment]
) -> None:
    payment = stripe_payment()

    StripeGateway().cancel(payment)

    (sent,) = stripe_fake.posts(f"/v1/payment_intents/{payment.gateway_reference}/cancel")
    assert sent.params == {"cancellation_reason": "abandoned"}
    assert stripe_fake.payment_intents[payment.gateway_reference]["status"] == "canceled"


def test_cancelling_an_intent_that_already_succeeded_leaves_it_alone(
    stripe_fake: StripeFake, stripe_payment: Callable[..., Payment]
) -> None:
    # The buyer paid a moment before the deadline; the success webhook is still on its way.
    payment = stripe_payment()
    stripe_fake.succeed(payment.gateway_reference)

    StripeGateway().cancel(payment)

    assert stripe_fake.payment_intents[payment.gateway_reference]["status"] == "succeeded"

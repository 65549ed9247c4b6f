"""Card payments through Stripe: PaymentIntents, refunds and the one rule for minor units.

This is the only module that imports the ``stripe`` library, so an upgrade of it (or a change of
provider) touches one file. It talks to Stripe and stores what the payment page needs (the intent's
id and client secret); it never decides a payment's status: Stripe's webhooks do, through
``payments.services`` (see ``payments/webhooks.py``).

Every call sends an ``Idempotency-Key``: Stripe answers a repeated key with the first answer, so a
retried request (ours, or the library's own retry after a dropped connection) never creates a second
intent or a second refund.
"""

from __future__ import annotations

import logging
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import stripe
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from djmoney.money import Money

from .base import GatewayError

if TYPE_CHECKING:
    from marketplace.payments.models import Payment

logger = logging.getLogger(__name__)

#: The library retries a request that could not reach Stripe (same Idempotency-Key each time).
MAX_NETWORK_RETRIES = 2

#: Stripe's exponent per currency, from https://docs.stripe.com/currencies. Only the currencies the
#: marketplace charges in are listed: an unknown currency must fail loudly, never be guessed.
#:
#: IDR is one of Stripe's "special cases": the API treats it as a two-decimal currency (Rp 1 is
#: ``amount=100``, so Rp 55.000 is ``5500000``), while payouts and the card networks work in whole
#: rupiah. So rupiah are multiplied by 100 like cents, and an amount with sen is refused rather
#: than sent (it would fail at payout or be rounded by someone else).
_EXPONENT: dict[str, int] = {"EUR": 2, "IDR": 2}
#: Currencies whose API amounts must be whole units (a multiple of 100 in minor units).
_WHOLE_UNITS_ONLY: frozenset[str] = frozenset({"IDR"})


def _exponent(currency: str) -> int:
    try:
        return _EXPONENT[currency.upper()]
    except KeyError:
        raise ValueError(f"Stripe minor units are not defined here for {currency!r}") from None


def to_minor_units(money: Money) -> int:
    """The amount Stripe's API expects: EUR 12.34 → 1234; Rp 150.000 → 15000000.

    The one function for this conversion: every amount sent to Stripe goes through it. Refuses an
    amount that cannot be expressed exactly (a fraction of a cent; sen in rupiah) instead of
    rounding, because a rounded charge would no longer equal the order's total.
    """
    currency = str(money.currency)
    exponent = _exponent(currency)
    amount = Decimal(money.amount)
    if currency.upper() in _WHOLE_UNITS_ONLY and amount != amount.to_integral_value():
        raise ValueError(f"{currency} amounts must be whole units for Stripe, not {amount}")
    minor = amount.scaleb(exponent)
    if minor != minor.to_integral_value():
        raise ValueError(f"{money} has more decimals than {currency} allows")
    return int(minor)


def from_minor_units(amount: int, currency: str) -> Money:
    """The inverse of ``to_minor_units`` for amounts Stripe reports (webhooks, refunds)."""
    code = currency.upper()
    return Money(Decimal(int(amount)).scaleb(-_exponent(code)), code)


def client() -> stripe.StripeClient:
    """A client for the configured account; pointed at ``STRIPE_API_BASE`` when set (tests)."""
    if not settings.STRIPE_SECRET_KEY:
        raise GatewayError(_("Card payments are not available at the moment."))
    base = settings.STRIPE_API_BASE
    return stripe.StripeClient(
        settings.STRIPE_SECRET_KEY,
        base_addresses={"api": base} if base else None,
        max_network_retries=MAX_NETWORK_RETRIES,
    )


def _gateway_error(exc: stripe.StripeError, doing: str) -> GatewayError:
    """A message the buyer or operator can act on; the details go to the log, not the page."""
    if isinstance(exc, stripe.APIConnectionError):
        logger.warning("Stripe could not be reached while %s: %s", doing, exc)
        return GatewayError(
            _("The card payment service could not be reached. Please try again in a moment.")
        )
    logger.error("Stripe refused %s: %s (request %s)", doing, exc, exc.request_id)
    if isinstance(exc, stripe.CardError) and exc.user_message:
        return GatewayError(exc.user_message)
    return GatewayError(
        _("The card payment service refused the request. Please try again or pay another way.")
    )


class StripeGateway:
    method = "stripe"

    def start(self, payment: Payment) -> dict[str, Any]:
        """Create the PaymentIntent once (same key → same intent) and hand the page its secret.

        Stripe's Payment Element on the page confirms the intent with the client secret; the card
        number never touches our server. Called again for the same payment (the buyer reloads the
        page), it reuses the stored intent instead of asking Stripe for another.
        """
        if not (payment.gateway_reference and payment.client_secret):
            try:
                intent = client().v1.payment_intents.create(
                    {
                        "amount": to_minor_units(payment.amount),
                        "currency": str(payment.amount.currency).lower(),
                        "automatic_payment_methods": {"enabled": True},
                        "metadata": {"payment_id": str(payment.pk)},
                    },
                    {"idempotency_key": payment.idempotency_key},
                )
            except stripe.StripeError as exc:
                raise _gateway_error(exc, f"creating the intent for payment {payment.pk}") from exc
            payment.gateway_reference = intent.id
            payment.client_secret = intent.client_secret or ""
            payment.save(update_fields=["gateway_reference", "client_secret", "updated_at"])
        return {
            "client_secret": payment.client_secret,
            "publishable_key": settings.STRIPE_PUBLISHABLE_KEY or "",
        }

    def refund(self, payment: Payment, amount: Money) -> str:
        """Refund ``amount`` of the intent's charge; answer the refund's id (``re_…``).

        The idempotency key counts the refunds already recorded, so a double-submitted refund form
        gets Stripe's first answer back (and ``refund_recorded`` counts it once), while a later,
        deliberate second refund of the same amount is a new refund.
        """
        if not payment.gateway_reference:
            raise GatewayError(_("This payment was never sent to the card payment service."))
        minor = to_minor_units(amount)
        key = f"{payment.idempotency_key}:refund:{payment.refunds.count()}:{minor}"
        try:
            refund = client().v1.refunds.create(
                {
                    "payment_intent": payment.gateway_reference,
                    "amount": minor,
                    "metadata": {"payment_id": str(payment.pk)},
                },
                {"idempotency_key": key},
            )
        except stripe.StripeError as exc:
            raise _gateway_error(exc, f"refunding payment {payment.pk}") from exc
        return refund.id

    def cancel(self, payment: Payment) -> None:
        """Close the intent so the buyer can no longer pay it (an unpaid payment expired).

        Without this, a buyer who keeps the payment page open past the deadline could still pay
        for orders whose stock was released; Stripe refuses to confirm a canceled intent. An
        intent that already succeeded or was canceled is left as it is.
        """
        if not payment.gateway_reference:
            return
        try:
            client().v1.payment_intents.cancel(
                payment.gateway_reference,
                {"cancellation_reason": "abandoned"},
                {"idempotency_key": f"{payment.idempotency_key}:cancel"},
            )
        except stripe.InvalidRequestError as exc:
            if exc.code != "payment_intent_unexpected_state":
                raise _gateway_error(exc, f"cancelling payment {payment.pk}") from exc
            logger.info("Payment %s: intent not cancelable (%s)", payment.pk, exc.user_message)
        except stripe.StripeError as exc:
            raise _gateway_error(exc, f"cancelling payment {payment.pk}") from exc

    def refunds_of_charge(self, charge_id: str) -> list[dict[str, Any]]:
        """The charge's refunds, for a ``charge.refunded`` webhook that does not list them.

        Since API version 2022-11-15 a Charge's ``refunds`` list is no longer included unless
        expanded, so the webhook asks for it.
        """
        try:
            page = client().v1.refunds.list({"charge": charge_id, "limit": 100})
        except stripe.StripeError as exc:
            raise _gateway_error(exc, f"listing the refunds of {charge_id}") from exc
        return [refund.to_dict(for_json=True) for refund in page.data]


def construct_event(payload: bytes, signature: str) -> dict[str, Any]:
    """Verify a webhook's ``Stripe-Signature`` and answer the event as plain data.

    Raises ``ValueError`` for a body that is not JSON and
    ``stripe.SignatureVerificationError`` (re-exported below) for a forged or stale one.
    """
    secret = settings.STRIPE_WEBHOOK_SECRET
    if not secret:
        raise SignatureVerificationError("STRIPE_WEBHOOK_SECRET is not set", signature)
    event = stripe.Webhook.construct_event(payload, signature, secret)
    return event.to_dict(for_json=True)


SignatureVerificationError = stripe.SignatureVerificationError

"""Stripe's webhooks: the only way a card payment becomes paid or failed.

The page never tells us a card payment succeeded (a buyer could fake that); Stripe does, by a
signed POST. Refunds made in Stripe's Dashboard arrive here too. Each event is checked, recorded
and then handed to ``payments.services``, which hold the rules (orders paid, cancelled, refunded).

What we answer, chosen deliberately because Stripe retries any non-2xx for up to three days:

- bad or missing signature (forged, stale, or the wrong secret) → 400, nothing recorded;
- an event already processed (Stripe delivers at least once) → 200, not processed again;
- ``payment_intent.payment_failed`` for an intent that can still be paid (a declined card; Stripe
  puts the intent back to ``requires_payment_method`` and the buyer may try another card) → 200,
  logged, the orders stay unpaid until they expire; only an intent that can no longer be paid
  (``canceled``, also sent as ``payment_intent.canceled``) fails the payment and its orders;
- an event type we do not use, or a verified event about an intent that is not ours (another
  integration on the same account) → 200 and a log line: a retry would find the same thing;
- a service refusing the event (``ValidationError``, e.g. an amount that does not match) → 200 and
  an error in the log: retrying cannot change the answer, an operator must look;
- an unexpected failure (the database went away, a bug) → the processing is rolled back, the event
  stays recorded but unprocessed, and we answer 500 so that Stripe delivers it again later.

Order of delivery is not guaranteed: a ``charge.refunded`` may arrive before
``payment_intent.succeeded``. ``services.refund_recorded`` keeps such a refund and applies it when
the success arrives, so both orders of delivery end in the same state.
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from . import services
from .gateways import stripe as gateway
from .models import Payment, PaymentMethod, WebhookEvent

logger = logging.getLogger(__name__)

PROVIDER = "stripe"


class _Unmatched(Exception):
    """A verified event about something that is not one of our payments."""


@csrf_exempt
@require_POST
def stripe_webhook(request: HttpRequest) -> HttpResponse:
    try:
        event = gateway.construct_event(request.body, request.headers.get("Stripe-Signature", ""))
    except (ValueError, gateway.SignatureVerificationError) as exc:
        logger.warning("Refused a Stripe webhook: %s", exc)
        return HttpResponseBadRequest("invalid signature")
    event_id, kind = str(event.get("id") or ""), str(event.get("type") or "")
    if not event_id:
        return HttpResponseBadRequest("event without id")

    with transaction.atomic():
        record, created = WebhookEvent.objects.get_or_create(
            provider=PROVIDER, event_id=event_id, defaults={"type": kind, "payload": event}
        )
        if not created:
            # ``get_or_create`` waited for a concurrent delivery to commit; the lock makes two
            # retries of an event whose first attempt failed process it once.
            record = WebhookEvent.objects.select_for_update().get(pk=record.pk)
            if record.processed_at is not None:
                return HttpResponse("duplicate")
        try:
            with transaction.atomic():
                _dispatch(kind, event["data"]["object"])
        except _Unmatched as exc:
            logger.warning("Stripe event %s (%s) matches no payment: %s", event_id, kind, exc)
        except ValidationError as exc:
            logger.error("Stripe event %s (%s) refused: %s", event_id, kind, exc.messages)
        except Exception:
            logger.exception("Stripe event %s (%s) failed; Stripe will retry", event_id, kind)
            return HttpResponse("failed", status=500)
        record.processed_at = timezone.now()
        record.save(update_fields=["processed_at"])
    return HttpResponse("ok")


def _dispatch(kind: str, obj: dict[str, Any]) -> None:
    if kind == "payment_intent.succeeded":
        payment = _payment_for(obj["id"], obj.get("metadata"))
        services.payment_succeeded(
            payment,
            reference=obj["id"],
            amount=gateway.from_minor_units(obj["amount_received"], obj["currency"]),
        )
    elif kind in ("payment_intent.payment_failed", "payment_intent.canceled"):
        payment = _payment_for(obj["id"], obj.get("metadata"))
        error = obj.get("last_payment_error") or {}
        reason = str(error.get("message") or obj.get("cancellation_reason") or kind)
        if obj.get("status") != "canceled":
            # A declined attempt: the intent is back to ``requires_payment_method`` and the buyer
            # may try another card on the same page. Cancelling the orders now would turn that
            # second, successful attempt into money taken for cancelled orders.
            logger.info("Payment %s: attempt failed (%s); still payable", payment.pk, reason)
            return
        services.payment_failed(payment, reason)
    elif kind == "charge.refunded":
        payment = _payment_for(obj.get("payment_intent") or "", obj.get("metadata"))
        for refund in _refunds(obj):
            # Pending refunds count: Stripe has already taken the money from the balance.
            if refund.get("status") in ("succeeded", "pending"):
                services.refund_recorded(
                    payment,
                    gateway.from_minor_units(refund["amount"], refund["currency"]),
                    refund["id"],
                )
    else:
        logger.info("Ignoring Stripe event type %s", kind)


def _payment_for(intent_id: str, metadata: dict[str, Any] | None) -> Payment:
    """Our payment for a PaymentIntent, locked: the intent id we stored when starting it."""
    payment = (
        Payment.objects.select_for_update()
        .filter(method=PaymentMethod.STRIPE, gateway_reference=intent_id)
        .exclude(gateway_reference="")
        .first()
    )
    if payment is None:
        raise _Unmatched(f"intent {intent_id!r}, metadata {metadata!r}")
    return payment


def _refunds(charge: dict[str, Any]) -> list[dict[str, Any]]:
    """The charge's refunds: listed in the event when it carries them, else asked of Stripe."""
    listed = charge.get("refunds")
    if isinstance(listed, dict) and not listed.get("has_more"):
        return list(listed.get("data") or [])
    return gateway.StripeGateway().refunds_of_charge(charge["id"])

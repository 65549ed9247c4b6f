"""Writing payments: create, succeed, fail, refund, and the bank-transfer steps.

Whoever learns the outcome (a Stripe webhook, the demo gateway, an operator checking the bank
statement, the expiry task) calls the same function here, and each is idempotent, because
providers deliver twice and out of order:

- ``payment_succeeded`` twice pays the orders once; after ``payment_failed`` (the buyer was too
  late and the stock is gone) a success does not resurrect the orders: it is logged and audited
  for an operator to refund.
- ``payment_failed`` after a success is ignored (an earlier attempt failing, reported late).
- ``refund_recorded`` is unique by the provider's reference, so our own call and the webhook
  reporting the same refund count once.
- **A refund reported before the success** (webhooks out of order) is recorded on the payment
  with ``applied_at`` empty; when the success arrives, the orders are first marked paid and then
  every unapplied refund is applied, so they end ``refunded`` (or partially), never simply
  ``paid``. The ledger therefore sees ``order.paid`` then ``order.refunded``, in that order.

Payment rows are locked (``select_for_update``) for every change, and always before their orders,
in the same order everywhere, so concurrent deliveries serialise instead of deadlocking.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Mapping
from datetime import timedelta
from functools import partial
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from djmoney.money import Money

from marketplace.audit.services import record
from marketplace.core import permissions
from marketplace.orders import services as order_services
from marketplace.orders.models import Order, OrderStatus

from .gateways.base import GatewayError, get_gateway
from .models import (
    BankTransferProof,
    Payment,
    PaymentMethod,
    PaymentRefund,
    PaymentStatus,
    ProofStatus,
)

logger = logging.getLogger(__name__)

SUCCEEDED_STATUSES = frozenset(
    {PaymentStatus.SUCCEEDED, PaymentStatus.REFUNDED, PaymentStatus.PARTIALLY_REFUNDED}
)
CLOSED_STATUSES = frozenset({PaymentStatus.FAILED, PaymentStatus.CANCELLED})


class AmountMismatch(ValidationError):
    """The provider reports a different amount than the payment asks for: nothing is marked paid."""


def _lock(payment: Payment) -> Payment:
    payment.refresh_from_db(from_queryset=Payment.objects.select_for_update())
    return payment


def _orders(payment: Payment) -> list[Order]:
    """The payment's orders, locked, in primary-key order (the one lock order)."""
    return list(Order.objects.select_for_update().filter(payment=payment).order_by("pk"))


# --- Creating ------------------------------------------------------------------------------------


def _expiry() -> timedelta:
    return timedelta(hours=settings.PAYMENT_EXPIRY_HOURS)


def _pick_unique_code(amount: Money) -> int:
    """A code 1 to 999 no other pending transfer of the same amount uses (random among the free)."""
    taken = set(
        Payment.objects.filter(
            method=PaymentMethod.BANK_TRANSFER,
            status=PaymentStatus.PENDING,
            amount=amount.amount,
            amount_currency=str(amount.currency),
        ).values_list("unique_code", flat=True)
    )
    free = [code for code in range(1, 1000) if code not in taken]
    if not free:
        # 999 pending transfers of exactly this amount: reuse; the operator matches by name too.
        return secrets.randbelow(999) + 1
    return free[secrets.randbelow(len(free))]


def create_payment(
    *, method: str, amount: Money, idempotency_key: str, buyer: Any, email: str
) -> Payment:
    """Create the one payment of a checkout (``checkout.complete_checkout`` calls it).

    Idempotent by ``idempotency_key``: the same key returns the first payment, so a double click
    never charges twice. A bank transfer gets a unique code of 1 to 999 rupiah added to the amount
    (``transfer_amount``), so the transfer identifies itself on the statement; ``amount`` stays
    what the orders cost, and the code's rupiah are the marketplace's (the ledger books the
    difference). Every payment expires after ``PAYMENT_EXPIRY_HOURS``; its orders should carry
    the same ``expires_at``.
    """
    existing = Payment.objects.filter(idempotency_key=idempotency_key).first()
    if existing is not None:
        return existing
    if method not in PaymentMethod.values:
        raise ValidationError(
            {"method": ValidationError(_("Choose a payment method."), code="invalid")}
        )
    if method == PaymentMethod.DEMO and settings.PAYMENT_GATEWAY != "demo":
        raise ValidationError(
            {"method": ValidationError(_("Demo payments are switched off."), code="invalid")}
        )
    if method == PaymentMethod.STRIPE and settings.PAYMENT_GATEWAY != "stripe":
        raise ValidationError(
            {"method": ValidationError(_("Card payments are not available."), code="invalid")}
        )
    if amount.amount <= 0:
        raise ValidationError(
            {"amount": ValidationError(_("There is nothing to pay."), code="invalid")}
        )
    payment = Payment(
        method=method,
        amount=amount,  # type: ignore[misc]
        amount_refunded=Money(0, amount.currency),
        idempotency_key=idempotency_key,
        buyer=buyer if getattr(buyer, "is_authenticated", False) else None,
        email=email or "",
        expires_at=timezone.now() + _expiry(),
    )
    if method == PaymentMethod.BANK_TRANSFER:
        if str(amount.currency) != "IDR":
            raise ValidationError(
                {
                    "method": ValidationError(
                        _("Bank transfer is available for payments in rupiah only."),
                        code="invalid",
                    )
                }
            )
        payment.unique_code = _pick_unique_code(amount)
        payment.transfer_amount = amount + Money(payment.unique_code, "IDR")
    # One atomic block (a savepoint inside checkout's transaction) for the row and its audit
    # entry: it is also what a lost race on the key rolls back to.
    try:
        with transaction.atomic():
            payment.save()
            record(buyer, "payment.created", payment, data={"method": method})
    except IntegrityError:
        # Two requests with the same key at once: the other one won; answer its payment.
        return Payment.objects.get(idempotency_key=idempotency_key)
    return payment


def start_payment(payment: Payment) -> dict[str, Any]:
    """What the payment page needs (client secret, transfer instructions, …), from the gateway."""
    try:
        return get_gateway(payment.method).start(payment)
    except GatewayError as exc:
        raise ValidationError(str(exc), code="gateway") from exc


# --- Outcomes ------------------------------------------------------------------------------------


@transaction.atomic
def payment_succeeded(
    payment: Payment, *, reference: str = "", amount: Money | None = None, actor: Any = None
) -> Payment:
    """The money arrived: mark every order of the payment paid (idempotent).

    ``amount`` (when the provider reports one) must equal the payment's amount, or for a bank
    transfer the transfer amount; otherwise ``AmountMismatch`` is raised, logged and audited and
    nothing changes: a short payment must not ship goods.
    """
    _lock(payment)
    if payment.status in SUCCEEDED_STATUSES:
        return payment
    expected = [m for m in (payment.amount, payment.transfer_amount) if m is not None]
    if amount is not None and not any(
        amount.currency == m.currency and amount.amount == m.amount for m in expected
    ):
        logger.error(
            "Payment %s: provider reports %s, expected %s", payment.pk, amount, payment.amount
        )
        raise AmountMismatch(
            _("The amount paid (%(paid)s) differs from the amount due (%(due)s).")
            % {"paid": amount, "due": payment.transfer_amount or payment.amount},
            code="amount_mismatch",
        )
    if payment.status in CLOSED_STATUSES:
        # Paid too late: the orders were cancelled and their stock released. An operator refunds.
        logger.error("Payment %s succeeded after it was %s", payment.pk, payment.status)
        record(
            actor,
            "payment.late_success",
            payment,
            data={"reference": reference, "status": payment.status},
        )
        return payment
    now = timezone.now()
    payment.status = PaymentStatus.SUCCEEDED
    payment.succeeded_at = now
    if reference:
        payment.gateway_reference = reference
    if actor is not None and getattr(actor, "is_authenticated", False):
        payment.confirmed_by = actor
    payment.save()
    owed_back = False
    for order in _orders(payment):
        if order.status == OrderStatus.UNPAID:
            order_services.mark_paid(order, actor=actor)
        elif order.status == OrderStatus.CANCELLED and order.refunded < order.total:
            owed_back = True
    if owed_back:
        # An order the shop cancelled before the money came: its share goes back, after commit
        # and outside this transaction (the gateway is a network call).
        from .tasks import refund_cancelled_orders

        transaction.on_commit(partial(refund_cancelled_orders.delay, payment.pk), robust=True)
    record(actor, "payment.succeeded", payment, data={"reference": reference})
    # Refunds reported before this success (out-of-order webhooks) apply now.
    for pending in payment.refunds.filter(applied_at=None).order_by("pk"):
        _apply_refund(payment, pending)
    _update_refund_status(payment)
    return payment


@transaction.atomic
def payment_failed(
    payment: Payment, reason: str, *, expired: bool = False, actor: Any = None
) -> int:
    """The payment failed or expired: its unpaid orders are cancelled and their stock released.

    Ignored once the payment succeeded (a late report of an earlier failed attempt). Returns the
    number of orders cancelled.

    An expired card payment is first closed at the gateway (Stripe: the PaymentIntent is
    cancelled), so a buyer who kept the payment page open cannot pay for orders whose stock went
    back on sale. That call comes before anything is written: if the gateway cannot be reached,
    ``GatewayError`` rolls the expiry back and the next expiry run tries again, rather than
    cancelling orders that could still be paid.
    """
    _lock(payment)
    if payment.status != PaymentStatus.PENDING:
        return 0
    if expired:
        _close_at_gateway(payment)
    payment.status = PaymentStatus.CANCELLED if expired else PaymentStatus.FAILED
    payment.failure_reason = str(reason)[:1000]
    payment.failed_at = timezone.now()
    payment.save()
    cancelled = 0
    for order in _orders(payment):
        if order_services.cancel_for_failed_payment(order, reason=str(reason)) is not None:
            cancelled += 1
    record(actor, "payment.failed", payment, data={"reason": str(reason), "expired": expired})
    return cancelled


def _close_at_gateway(payment: Payment) -> None:
    """Stop the gateway taking money for ``payment`` (gateways without the step: nothing to do)."""
    cancel = getattr(get_gateway(payment.method), "cancel", None)
    if cancel is not None:
        cancel(payment)


@transaction.atomic
def close_if_nothing_to_pay(payment: Payment) -> Payment:
    """After a buyer cancels unpaid orders: a payment with no unpaid order left is cancelled."""
    _lock(payment)
    if (
        payment.status == PaymentStatus.PENDING
        and not payment.orders.filter(status=OrderStatus.UNPAID).exists()
    ):
        payment.status = PaymentStatus.CANCELLED
        payment.failed_at = timezone.now()
        payment.save()
    return payment


# --- Refunds -------------------------------------------------------------------------------------


def refund(
    order_or_payment: Order | Payment,
    amount: Money,
    *,
    actor: Any,
    reason: str,
    lines: Mapping[int, int] | None = None,
    check_permission: bool = True,
) -> PaymentRefund:
    """Send ``amount`` back through the payment's gateway, then record it.

    For an order, at most what is left of that order; for a payment, at most what is left of it.
    Operators only when called directly; the cancel and withdrawal services (whose own rules
    were checked) pass ``check_permission=False``.
    """
    if check_permission:
        permissions.require(permissions.can_refund, actor, order_or_payment)
    if isinstance(order_or_payment, Order):
        order: Order | None = order_or_payment
        if order_or_payment.payment_id is None:
            raise ValidationError(_("This order has no payment to refund."), code="no_payment")
        order_or_payment.refresh_from_db()
        payment = Payment.objects.get(pk=order_or_payment.payment_id)
        left = order_or_payment.total - order_or_payment.refunded
    else:
        order = None
        payment = order_or_payment
        payment.refresh_from_db()
        left = payment.amount - payment.amount_refunded
    if amount.currency != payment.amount.currency:
        raise ValidationError(
            {
                "amount": ValidationError(
                    _("The refund must be in the payment's currency."), "invalid"
                )
            }
        )
    if amount.amount <= 0:
        raise ValidationError(
            {"amount": ValidationError(_("Enter an amount above zero."), code="min_value")}
        )
    if amount > left:
        raise ValidationError(
            {
                "amount": ValidationError(
                    _("At most %(left)s can still be refunded.") % {"left": left},
                    code="max_value",
                )
            }
        )
    if payment.status not in SUCCEEDED_STATUSES:
        raise ValidationError(_("Only a received payment can be refunded."), code="not_paid")
    try:
        reference = get_gateway(payment.method).refund(payment, amount)
    except GatewayError as exc:
        raise ValidationError(str(exc), code="gateway") from exc
    return refund_recorded(
        payment,
        amount=amount,
        reference=reference,
        order=order,
        actor=actor,
        reason=reason,
        lines=lines,
    )


def refund_order_lines(
    order: Order, quantities: Mapping[int, int], *, actor: Any, reason: str
) -> PaymentRefund:
    """Refund units of an order's lines at the price the buyer paid for them (operators).

    ``quantities`` maps order-line ids to units; each at most what is not refunded yet, so a line
    is never refunded twice. The amount is the lines' gross price (VAT included, as paid); the
    units are booked on the lines by ``orders.services.apply_refund``.
    """
    permissions.require(permissions.can_refund, actor, order)
    wanted = {int(pk): int(qty) for pk, qty in quantities.items() if int(qty) != 0}
    if not wanted:
        raise ValidationError(
            {"lines": ValidationError(_("Choose at least one item to refund."), code="required")}
        )
    lines = {line.pk: line for line in order.lines.all()}
    amount = Money(0, order.currency)
    for pk, quantity in wanted.items():
        line = lines.get(pk)
        if line is None:
            raise ValidationError(
                {"lines": ValidationError(_("That item is not part of this order."), "invalid")}
            )
        left = line.quantity - line.quantity_refunded
        if quantity < 0 or quantity > left:
            raise ValidationError(
                {
                    "lines": ValidationError(
                        _("At most %(n)d of “%(title)s” can still be refunded.")
                        % {"n": left, "title": line.product_title},
                        code="max_value",
                    )
                }
            )
        amount += line.unit_price * quantity
    return refund(order, amount, actor=actor, reason=reason, lines=wanted)


@transaction.atomic
def refund_recorded(
    payment: Payment,
    amount: Money,
    reference: str,
    *,
    order: Order | None = None,
    actor: Any = None,
    reason: str = "",
    lines: Mapping[int, int] | None = None,
) -> PaymentRefund:
    """The provider returned ``amount`` (reference ``reference``): book it once.

    Idempotent by ``(payment, reference)``. Applied to the orders at once when the payment has
    succeeded, else kept until it does (see the module's docstring).
    """
    _lock(payment)
    existing = payment.refunds.filter(reference=reference).first()
    if existing is not None:
        return existing
    if amount.currency != payment.amount.currency or amount.amount <= 0:
        raise ValidationError(_("A refund must be above zero, in the payment's currency."))
    refund_row = PaymentRefund.objects.create(
        payment=payment,
        order=order,
        amount=amount,  # type: ignore[misc]
        reference=reference,
        reason=reason,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        allocation={"lines": {str(k): v for k, v in (lines or {}).items()}} if lines else {},
    )
    payment.amount_refunded = payment.amount_refunded + amount
    payment.save(update_fields=["amount_refunded", "amount_refunded_currency", "updated_at"])
    record(
        actor,
        "payment.refunded",
        payment,
        data={"amount": str(amount.amount), "currency": str(amount.currency), "ref": reference},
    )
    if payment.status in SUCCEEDED_STATUSES:
        _apply_refund(payment, refund_row)
        _update_refund_status(payment)
    return refund_row


def _apply_refund(payment: Payment, refund_row: PaymentRefund) -> None:
    """Split a recorded refund over the payment's orders (its own order first) and book it."""
    lines = {int(k): int(v) for k, v in refund_row.allocation.get("lines", {}).items()}
    orders = _orders(payment)
    if refund_row.order_id is not None:
        orders.sort(key=lambda o: o.pk != refund_row.order_id)
    remaining = refund_row.amount
    shares: dict[str, str] = {}
    for order in orders:
        if remaining.amount <= 0:
            break
        room = order.total - order.refunded
        if room.amount <= 0:
            continue
        share = min(room, remaining)
        order_lines = lines if order.pk == refund_row.order_id else None
        order_services.apply_refund(
            order, share, refund_id=refund_row.pk, actor=refund_row.actor, lines=order_lines
        )
        shares[str(order.pk)] = str(share.amount)
        remaining -= share
    if remaining.amount > 0:
        logger.error("Refund %s: %s could not be placed on any order", refund_row.pk, remaining)
    refund_row.allocation = {**refund_row.allocation, "orders": shares}
    refund_row.applied_at = timezone.now()
    refund_row.save(update_fields=["allocation", "applied_at"])


def _update_refund_status(payment: Payment) -> None:
    if payment.status not in SUCCEEDED_STATUSES or payment.amount_refunded.amount <= 0:
        return
    payment.status = (
        PaymentStatus.REFUNDED
        if payment.amount_refunded >= payment.amount
        else PaymentStatus.PARTIALLY_REFUNDED
    )
    payment.save(update_fields=["status", "updated_at"])


# --- Bank transfer -------------------------------------------------------------------------------

#: What a receipt may be: detected from the first bytes, never from the name or the browser.
PROOF_SIGNATURES: dict[bytes, tuple[str, str]] = {
    b"\xff\xd8\xff": ("image/jpeg", "jpg"),
    b"\x89PNG\r\n\x1a\n": ("image/png", "png"),
    b"%PDF-": ("application/pdf", "pdf"),
}


def _sniff(head: bytes) -> tuple[str, str] | None:
    for magic, kind in PROOF_SIGNATURES.items():
        if head.startswith(magic):
            return kind
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return ("image/webp", "webp")
    return None


def _clean_image(data: bytes) -> bytes:
    """Re-encode an image from its pixels (drops EXIF/GPS and anything hidden after the image)."""
    from io import BytesIO

    from PIL import Image

    try:
        with Image.open(BytesIO(data)) as image:
            image.load()
            out = BytesIO()
            image.convert("RGB").save(out, format="JPEG", quality=90)
    except Exception as exc:  # Pillow raises many kinds for a broken or hostile file.
        raise ValidationError(
            {"file": ValidationError(_("This image cannot be read."), code="invalid")}
        ) from exc
    return out.getvalue()


@transaction.atomic
def upload_transfer_proof(
    payment: Payment, file: IO[bytes], *, actor: Any, guest_holds_link: bool = False
) -> BankTransferProof:
    """The buyer's receipt of the transfer: a JPEG/PNG/WebP image (re-encoded) or a PDF.

    Decided by content, not by name; at most ``PAYMENT_PROOF_MAX_BYTES``. Only the payment's
    buyer (or an operator) may upload, and only while the payment is pending. A guest's payment
    has no buyer: the payment page passes ``guest_holds_link`` when the request came through the
    unguessable link only the guest was given (the placed checkout's token).
    """
    if not (
        permissions.is_operator(actor)
        or (payment.buyer_id is not None and getattr(actor, "pk", None) == payment.buyer_id)
        or (guest_holds_link and payment.buyer_id is None)
    ):
        raise PermissionDenied
    _lock(payment)
    if payment.method != PaymentMethod.BANK_TRANSFER:
        raise ValidationError(_("This payment is not a bank transfer."), code="invalid")
    if payment.status != PaymentStatus.PENDING:
        raise ValidationError(_("This payment is no longer waiting for a transfer."), "invalid")
    limit = settings.PAYMENT_PROOF_MAX_BYTES
    data = file.read(limit + 1)
    if len(data) > limit:
        raise ValidationError(
            {
                "file": ValidationError(
                    _("The file is too large (at most %(mb)d MB).") % {"mb": limit // 2**20},
                    code="file_too_large",
                )
            }
        )
    kind = _sniff(data[:16])
    if kind is None:
        raise ValidationError(
            {
                "file": ValidationError(
                    _("Upload a photo (JPEG, PNG, WebP) or a PDF of the transfer receipt."),
                    code="invalid_type",
                )
            }
        )
    content_type, ext = kind
    if content_type.startswith("image/"):
        data, content_type, ext = _clean_image(data), "image/jpeg", "jpg"
    proof = BankTransferProof(
        payment=payment,
        content_type=content_type,
        uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    proof.file.save(f"proof.{ext}", ContentFile(data), save=False)
    proof.save()
    record(actor, "payment.proof_uploaded", payment)
    return proof


@transaction.atomic
def confirm_bank_transfer(payment: Payment, *, actor: Any) -> Payment:
    """An operator found the transfer on the statement: the payment succeeded."""
    permissions.require(permissions.can_confirm_bank_transfer, actor, payment)
    _lock(payment)
    if payment.method != PaymentMethod.BANK_TRANSFER:
        raise ValidationError(_("This payment is not a bank transfer."), code="invalid")
    if payment.status in CLOSED_STATUSES:
        raise ValidationError(
            _("This payment has expired or was cancelled; its orders no longer exist."),
            code="closed",
        )
    now = timezone.now()
    payment.proofs.filter(status=ProofStatus.PENDING).update(
        status=ProofStatus.CONFIRMED, reviewed_by=actor, reviewed_at=now
    )
    return payment_succeeded(
        payment, reference=f"bank-transfer-{payment.pk}", amount=None, actor=actor
    )


@transaction.atomic
def reject_bank_transfer(payment: Payment, *, actor: Any, note: str) -> Payment:
    """The proof does not match a transfer: the buyer reads why and may upload another.

    The payment stays pending (the buyer may still transfer before the deadline); its proofs are
    marked rejected.
    """
    permissions.require(permissions.can_confirm_bank_transfer, actor, payment)
    if not (note or "").strip():
        raise ValidationError(
            {"note": ValidationError(_("Tell the buyer what is wrong."), code="required")}
        )
    _lock(payment)
    payment.proofs.filter(status=ProofStatus.PENDING).update(
        status=ProofStatus.REJECTED, reviewed_by=actor, reviewed_at=timezone.now(), review_note=note
    )
    record(actor, "payment.proof_rejected", payment, data={"note": note})
    return payment


def refund_cancelled_orders(payment: Payment) -> int:
    """Refund what was paid for the payment's cancelled orders; returns how many were refunded."""
    payment.refresh_from_db()
    if payment.status not in SUCCEEDED_STATUSES:
        return 0
    done = 0
    for order in payment.orders.filter(status=OrderStatus.CANCELLED).order_by("pk"):
        owed = order.total - order.refunded
        if owed.amount > 0:
            refund(
                order,
                owed,
                actor=None,
                reason=_("The order was cancelled before the payment arrived."),
                check_permission=False,
            )
            done += 1
    return done


def new_reference(prefix: str) -> str:
    """A reference for refunds made by hand (bank transfer) or in the demo."""
    return f"{prefix}-{secrets.token_hex(8)}"

"""Writing orders: the state machine, fulfilment, cancellation, expiry and EU withdrawal.

Every status change goes through ``transition``: it locks the order row, checks ``states``,
sets the status's timestamp, writes an ``OrderEvent`` and emits the domain event of
``docs/design/orders.md``; the e-mail to the buyer follows after commit (``emails``). Because the
check and the write happen under the row lock, two cancellations racing (the buyer's click and the
expiry task) cannot both pass, which is what makes "stock is released exactly once" hold.

Money moves only through ``marketplace.payments.services`` (imported inside the functions that
need it: payments calls back into ``mark_paid``/``cancel_for_failed_payment``).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from djmoney.money import Money

from marketplace.audit.services import record
from marketplace.catalog.models import ProductVariant, StockMovement, StockReason
from marketplace.core import permissions
from marketplace.core.events import emit

from . import states
from .emails import send_order_email, send_orders_email, send_shop_email
from .models import Order, OrderEvent, OrderLine, OrderStatus, Withdrawal, WithdrawalStatus

logger = logging.getLogger(__name__)


class IllegalTransition(ValidationError):
    """The order cannot go from its status to the one asked for (a translated message)."""


def _status_label(status: str) -> str:
    return str(OrderStatus(status).label) if status in OrderStatus.values else status


def _lock(order: Order) -> Order:
    """Re-read ``order`` under a row lock, into the same instance (callers keep their object)."""
    order.refresh_from_db(from_queryset=Order.objects.select_for_update())
    return order


@transaction.atomic
def transition(
    order: Order,
    to: str,
    *,
    actor: Any,
    note: str = "",
    data: Mapping[str, Any] | None = None,
    notify: bool = True,
) -> Order:
    """Move ``order`` to status ``to`` or raise ``IllegalTransition``; history, event, e-mail."""
    _lock(order)
    current = order.status
    if not states.can_transition(current, to):
        raise IllegalTransition(
            _("An order that is “%(current)s” cannot become “%(to)s”.")
            % {"current": _status_label(current), "to": _status_label(to)},
            code="illegal_transition",
        )
    now = timezone.now()
    order.status = to
    update = ["status"]
    if field := states.TIMESTAMPS.get(to):
        setattr(order, field, now)
        update.append(field)
    if to == OrderStatus.DELIVERED and order.is_eu:
        order.withdrawable_until = now + timedelta(days=settings.ORDER_WITHDRAWAL_DAYS)
        update.append("withdrawable_until")
    order.save(update_fields=update)
    OrderEvent.objects.create(
        order=order,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        kind=to,
        from_status=current,
        to_status=to,
        note=note,
        data=dict(data or {}),
        created_at=now,
    )
    record(actor, f"order.{to}", order, on_behalf_of=order.shop, data={"from": current})
    _emit_for(order, to, note)
    if notify and to in {"paid", "shipped", "delivered"}:
        send_order_email(order, to)
    if notify and to == OrderStatus.PAID:
        send_shop_email(order, "shop_paid")
    return order


def _emit_for(order: Order, status: str, note: str) -> None:
    if status == OrderStatus.PAID:
        emit(
            "order.paid",
            order_id=order.pk,
            shop_id=order.shop_id,
            buyer_id=order.buyer_id,
            market=order.market,
        )
    elif status in {OrderStatus.SHIPPED, OrderStatus.DELIVERED, OrderStatus.COMPLETED}:
        emit(f"order.{status}", order_id=order.pk)
    elif status == OrderStatus.CANCELLED:
        emit("order.cancelled", order_id=order.pk, reason=note)


def order_placed(order: Order, *, actor: Any = None) -> None:
    """Announce a new order (inside the transaction that created it)."""
    orders_placed([order], actor=actor)


def orders_placed(orders: Sequence[Order], *, actor: Any = None) -> None:
    """Announce the new orders of one checkout: their history rows in one statement, then per
    order the ``order.placed`` event, and the buyer's e-mails, all queued as one task (the
    events and the task go out after commit)."""
    who = actor if getattr(actor, "is_authenticated", False) else None
    OrderEvent.objects.bulk_create(
        OrderEvent(order=order, actor=who, kind="placed", to_status=order.status)
        for order in orders
    )
    for order in orders:
        emit(
            "order.placed",
            order_id=order.pk,
            shop_id=order.shop_id,
            buyer_id=order.buyer_id,
            market=order.market,
        )
    send_orders_email(orders, "placed")  # one task renders the checkout's e-mails


# --- Payment ------------------------------------------------------------------------------------


def mark_paid(order: Order, *, actor: Any = None) -> Order:
    """The order's payment succeeded (called by ``payments.services.payment_succeeded``)."""
    return transition(order, OrderStatus.PAID, actor=actor)


# --- Fulfilment ----------------------------------------------------------------------------------


def start_processing(order: Order, *, actor: Any) -> Order:
    """The seller is packing: the buyer sees someone is on it."""
    permissions.require(permissions.can_fulfil_order, actor, order)
    return transition(order, OrderStatus.PROCESSING, actor=actor)


def ship(order: Order, *, courier: str, tracking_number: str, actor: Any) -> Order:
    """The parcel left: courier and tracking number are required so the buyer can follow it."""
    permissions.require(permissions.can_fulfil_order, actor, order)
    courier = (courier or order.courier or "").strip()
    tracking_number = (tracking_number or "").strip()
    errors: dict[str, ValidationError] = {}
    if not courier:
        errors["courier"] = ValidationError(_("Choose the courier."), code="required")
    if not tracking_number:
        errors["tracking_number"] = ValidationError(
            _("Enter the tracking number."), code="required"
        )
    elif len(tracking_number) > 64:
        errors["tracking_number"] = ValidationError(
            _("A tracking number has at most 64 characters."), code="max_length"
        )
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        _lock(order)
        order.courier = courier[:40]
        order.tracking_number = tracking_number
        order.save(update_fields=["courier", "tracking_number"])
        return transition(
            order,
            OrderStatus.SHIPPED,
            actor=actor,
            data={"courier": courier, "tracking_number": tracking_number},
        )


def mark_delivered(order: Order, *, actor: Any) -> Order:
    """Delivered (seller or operator): starts an EU buyer's 14 days of withdrawal."""
    if not permissions.is_operator(actor):
        permissions.require(permissions.can_fulfil_order, actor, order)
    return transition(order, OrderStatus.DELIVERED, actor=actor)


def complete(order: Order, *, actor: Any = None) -> Order:
    """Close a delivered order (the system, once the withdrawal period has passed)."""
    return transition(order, OrderStatus.COMPLETED, actor=actor)


# --- Cancellation and stock ----------------------------------------------------------------------


def _release_stock(order: Order, *, actor: Any, note: str) -> None:
    """Put the order's units back on the shelf: one ``RETURN`` movement per line.

    Called only right after a successful transition to ``cancelled`` under the order's lock, so
    it runs once per order. Variants are locked in primary-key order like checkout locks them,
    so a release and a checkout cannot deadlock.
    """
    lines = [line for line in order.lines.all() if line.variant_id is not None]
    quantities: dict[int, int] = {}
    for line in lines:
        assert line.variant_id is not None
        quantities[line.variant_id] = quantities.get(line.variant_id, 0) + line.quantity
    variants = ProductVariant.objects.select_for_update().filter(pk__in=quantities).order_by("pk")
    restocked: set[int] = set()
    for variant in variants:
        if variant.stock_quantity <= 0:
            restocked.add(variant.product_id)
        quantity = quantities[variant.pk]
        ProductVariant.objects.filter(pk=variant.pk).update(
            stock_quantity=F("stock_quantity") + quantity
        )
        StockMovement.objects.create(
            variant=variant,
            delta=quantity,
            quantity_after=variant.stock_quantity + quantity,
            reason=StockReason.RETURN,
            note=note[:200],
            actor=actor if getattr(actor, "is_authenticated", False) else None,
        )
    # A sold-out variant is on sale again: the listing's "in stock" changed for search and the
    # cached pages (checkout announces the opposite, a sale emptying a variant, the same way).
    for product_id in sorted(restocked):
        emit("product.changed", product_id=product_id)


@transaction.atomic
def _cancel(
    order: Order, *, actor: Any, reason: str, restock: bool = True, notify: bool = True
) -> Order:
    transition(order, OrderStatus.CANCELLED, actor=actor, note=reason, notify=False)
    if restock:
        _release_stock(
            order, actor=actor, note=_("Order %(number)s cancelled") % {"number": order.number}
        )
    if notify:
        send_order_email(order, "cancelled", reason=reason)
    return order


@transaction.atomic
def cancel_unpaid(order: Order, *, actor: Any, reason: str = "") -> Order:
    """Cancel before payment: stock back; the payment is closed once nothing is left to pay.

    When **the buyer** cancels, every unpaid order of the same payment is cancelled with it: one
    checkout has one payment (one PaymentIntent, one transfer amount with its code), paid whole or
    not at all, so no money can arrive for an order the buyer no longer wants. When the shop or an
    operator cancels one order, the others stay; should the full amount still arrive,
    ``payments.services.payment_succeeded`` refunds the cancelled order's share.
    """
    from marketplace.payments import services as payment_services

    # Viewing first, the status second: a buyer's second click reads "already cancelled", not 403.
    permissions.require(permissions.can_view_order, actor, order)
    _lock_payment_of(order)
    _lock(order)
    if order.status != OrderStatus.UNPAID:
        raise IllegalTransition(
            _("Only an order that is not paid yet can be cancelled this way."),
            code="illegal_transition",
        )
    permissions.require(permissions.can_cancel_order, actor, order)
    by_buyer = permissions.is_order_buyer(actor, order)
    reason = reason or (_("Cancelled by the buyer.") if by_buyer else _("Cancelled by the shop."))
    _cancel(order, actor=actor, reason=reason)
    if order.payment is not None:
        if by_buyer:
            siblings = Order.objects.filter(
                payment=order.payment, status=OrderStatus.UNPAID
            ).order_by("pk")
            for sibling in siblings:
                _cancel(sibling, actor=actor, reason=reason)
        payment_services.close_if_nothing_to_pay(order.payment)
    return order


def _lock_payment_of(order: Order) -> None:
    """Lock the order's payment before the order: the one lock order (payment, then its orders)
    that ``payments.services`` follows too, so a cancellation racing a webhook cannot deadlock."""
    if order.payment_id is not None:
        from marketplace.payments.models import Payment

        list(Payment.objects.select_for_update().filter(pk=order.payment_id).values_list("pk"))


@transaction.atomic
def cancel(order: Order, *, actor: Any, reason: str, restock: bool = True) -> Order:
    """Cancel an order; a paid one (seller or operator) is refunded in full through its gateway.

    ``restock=False`` when the seller cancels because the goods are gone (the units must not
    come back as sellable). A reason is required after payment: the buyer reads it.
    """
    from marketplace.payments import services as payment_services

    permissions.require(permissions.can_cancel_order, actor, order)
    _lock_payment_of(order)
    _lock(order)
    if order.status == OrderStatus.UNPAID:
        return cancel_unpaid(order, actor=actor, reason=reason)
    if not (reason or "").strip():
        raise ValidationError(
            {"reason": ValidationError(_("Tell the buyer why the order is cancelled."), "required")}
        )
    _cancel(order, actor=actor, reason=reason, restock=restock, notify=False)
    owed = order.total - order.refunded
    if order.payment_id is not None and owed.amount > 0:
        payment_services.refund(order, owed, actor=actor, reason=reason, check_permission=False)
    send_order_email(order, "cancelled", reason=reason, refunded=owed if owed.amount > 0 else None)
    return order


@transaction.atomic
def cancel_for_failed_payment(order: Order, *, reason: str) -> Order | None:
    """An unpaid order whose payment failed or expired: cancelled by the system, stock back."""
    _lock(order)
    if order.status != OrderStatus.UNPAID:
        return None
    return _cancel(order, actor=None, reason=reason)


def expire_unpaid_orders(now: datetime | None = None) -> int:
    """Cancel orders still unpaid past their deadline and fail their payments; returns how many.

    Each payment is handled in its own transaction, so one broken order does not keep the others'
    stock locked away; the task runs every few minutes (``CELERY_BEAT_SCHEDULE``).
    """
    from marketplace.payments import services as payment_services
    from marketplace.payments.models import Payment, PaymentStatus

    now = now or timezone.now()
    expired = 0
    due = Order.objects.filter(status=OrderStatus.UNPAID, expires_at__lt=now)
    payment_ids = set(due.exclude(payment=None).values_list("payment_id", flat=True))
    payment_ids |= set(
        Payment.objects.filter(status=PaymentStatus.PENDING, expires_at__lt=now).values_list(
            "pk", flat=True
        )
    )
    for payment in Payment.objects.filter(pk__in=payment_ids).order_by("pk"):
        try:
            expired += payment_services.payment_failed(
                payment, reason=_("Not paid in time."), expired=True
            )
        except Exception:
            logger.exception("Could not expire payment %s", payment.pk)
    for order in due.filter(payment=None).order_by("pk"):
        if cancel_for_failed_payment(order, reason=_("Not paid in time.")) is not None:
            expired += 1
    return expired


def complete_delivered_orders(now: datetime | None = None) -> int:
    """Close delivered orders whose withdrawal period (EU) or hold (domestic) has passed."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.ORDER_WITHDRAWAL_DAYS)
    done = 0
    for order in Order.objects.filter(status=OrderStatus.DELIVERED, delivered_at__lt=cutoff):
        if order.withdrawals.filter(status=WithdrawalStatus.REQUESTED).exists():
            continue
        complete(order)
        done += 1
    return done


# --- EU withdrawal -------------------------------------------------------------------------------


@transaction.atomic
def withdraw(
    order: Order,
    *,
    actor: Any,
    lines: Mapping[int, int] | None = None,
    reason: str = "",
) -> Withdrawal:
    """An EU buyer withdraws from the contract, within 14 days of delivery; no reason needed.

    ``lines`` maps order-line ids to quantities (``None``: every non-perishable line, in full).
    Perishable lines are excluded by law (Directive 2011/83/EU, Art. 16(d)) and the buyer was
    told before paying; naming one is refused with a message, as is anything after
    ``withdrawable_until``.

    The refund is **not** sent at once: the buyer sends the goods back, and the refund follows
    when the seller (or an operator) confirms the return with ``confirm_withdrawal_return``, which
    the Directive allows (Art. 13(3): the trader may withhold the refund until the goods are
    back). A village seller must not lose both the goods and the money to one click. Withdrawing
    the whole order also refunds the delivery, VAT and duty (Art. 13(1)): the amount is then
    what is left of the order's total.
    """
    permissions.require(permissions.can_withdraw_order, actor, order)
    _lock(order)
    now = timezone.now()
    if not order.is_eu:
        raise ValidationError(
            _("The 14-day withdrawal applies to orders delivered in the EU."), code="not_eu"
        )
    if order.status not in {
        OrderStatus.DELIVERED,
        OrderStatus.COMPLETED,
        OrderStatus.PARTIALLY_REFUNDED,
    }:
        raise ValidationError(
            _("You can withdraw once the order has been delivered."), code="not_delivered"
        )
    if order.withdrawable_until is None or now > order.withdrawable_until:
        raise ValidationError(
            _("The 14-day period to withdraw from this order has ended."), code="expired"
        )
    all_lines = {line.pk: line for line in order.lines.all()}
    already = _withdrawn_quantities(order)
    if lines is None:
        wanted = {
            pk: line.quantity - already.get(pk, 0)
            for pk, line in all_lines.items()
            if not line.is_perishable and line.quantity - already.get(pk, 0) > 0
        }
        if not wanted:
            raise ValidationError(
                _("Nothing in this order can be withdrawn: perishable food is excluded."),
                code="perishable",
            )
    else:
        wanted = {int(pk): int(qty) for pk, qty in lines.items() if int(qty) != 0}
        if not wanted:
            raise ValidationError(_("Choose what you are sending back."), code="required")
    for pk, quantity in wanted.items():
        line = all_lines.get(pk)
        if line is None:
            raise ValidationError(_("That item is not part of this order."), code="invalid")
        if line.is_perishable:
            raise ValidationError(
                _("“%(title)s” is perishable and cannot be returned.")
                % {"title": line.product_title},
                code="perishable",
            )
        if quantity < 0 or quantity > line.quantity - already.get(pk, 0):
            raise ValidationError(
                _("You can return at most %(n)d of “%(title)s”.")
                % {"n": line.quantity - already.get(pk, 0), "title": line.product_title},
                code="quantity",
            )
    whole = all(
        wanted.get(pk, 0) + already.get(pk, 0) >= line.quantity for pk, line in all_lines.items()
    )
    if whole:
        amount = order.total - order.refunded
    else:
        amount = Money(Decimal("0"), order.currency)
        for pk, quantity in wanted.items():
            amount += all_lines[pk].unit_price * quantity
        amount = min(amount, order.total - order.refunded)
    withdrawal = Withdrawal.objects.create(
        order=order,
        requested_by=actor if getattr(actor, "is_authenticated", False) else None,
        reason=reason,
        lines={str(pk): qty for pk, qty in wanted.items()},
        amount=amount,
        created_at=now,
    )
    OrderEvent.objects.create(
        order=order,
        actor=withdrawal.requested_by,
        kind="withdrawal",
        from_status=order.status,
        to_status=order.status,
        note=reason,
        data={"withdrawal_id": withdrawal.pk, "lines": withdrawal.lines},
    )
    record(actor, "order.withdrawn", order, on_behalf_of=order.shop, data=withdrawal.lines)
    emit("order.withdrawn", order_id=order.pk)
    send_order_email(
        order,
        "withdrawal",
        withdrawal=withdrawal,
        lines=[
            {"quantity": qty, "title": all_lines[pk].product_title} for pk, qty in wanted.items()
        ],
    )
    return withdrawal


def _withdrawn_quantities(order: Order) -> dict[int, int]:
    out: dict[int, int] = {}
    for withdrawal in order.withdrawals.all():
        for pk, qty in withdrawal.lines.items():
            out[int(pk)] = out.get(int(pk), 0) + int(qty)
    return out


@transaction.atomic
def confirm_withdrawal_return(withdrawal: Withdrawal, *, actor: Any) -> Withdrawal:
    """The seller (or an operator) has the goods back: refund the withdrawal through payments."""
    from marketplace.payments import services as payment_services

    order = withdrawal.order
    if not permissions.is_operator(actor):
        permissions.require(permissions.can_fulfil_order, actor, order)
    _lock_payment_of(order)
    locked = Withdrawal.objects.select_for_update().get(pk=withdrawal.pk)
    if locked.status == WithdrawalStatus.REFUNDED:
        return locked
    per_line = {int(pk): int(qty) for pk, qty in locked.lines.items()}
    if locked.amount.amount > 0:
        payment_services.refund(
            order,
            locked.amount,
            actor=actor,
            reason=_("Withdrawal from the contract"),
            lines=per_line,
            check_permission=False,
        )
    locked.status = WithdrawalStatus.REFUNDED
    locked.refunded_at = timezone.now()
    locked.save(update_fields=["status", "refunded_at"])
    withdrawal.status, withdrawal.refunded_at = locked.status, locked.refunded_at
    return locked


# --- Refunds (called by payments.services.refund_recorded) ---------------------------------------


@transaction.atomic
def apply_refund(
    order: Order,
    amount: Money,
    *,
    refund_id: int,
    actor: Any = None,
    lines: Mapping[int, int] | None = None,
) -> Order:
    """Book ``amount`` of a recorded refund on ``order``: total, status, lines, event, e-mail.

    A refund that covers what is left of the order makes it ``refunded``; a partial one makes a
    delivered order ``partially_refunded`` and leaves an order still to be shipped in its status
    (see ``states``). A cancelled order stays cancelled.
    """
    _lock(order)
    order.refunded = order.refunded + amount
    order.save(update_fields=["refunded", "refunded_currency"])
    if lines:
        for pk, qty in lines.items():
            OrderLine.objects.filter(pk=pk, order=order).update(
                quantity_refunded=F("quantity_refunded") + qty
            )
    OrderEvent.objects.create(
        order=order,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        kind="refund",
        from_status=order.status,
        to_status=order.status,
        data={
            "amount": str(amount.amount),
            "currency": str(amount.currency),
            "refund_id": refund_id,
        },
    )
    full = order.refunded >= order.total
    target = None
    if full and states.can_transition(order.status, OrderStatus.REFUNDED):
        target = OrderStatus.REFUNDED
    elif not full and states.can_transition(order.status, OrderStatus.PARTIALLY_REFUNDED):
        target = OrderStatus.PARTIALLY_REFUNDED
    if target is not None:
        transition(order, target, actor=actor, notify=False)
    emit(
        "order.refunded",
        order_id=order.pk,
        amount=str(amount.amount),
        currency=str(amount.currency),
        refund_id=refund_id,
    )
    send_order_email(order, "refunded", amount=amount)
    return order

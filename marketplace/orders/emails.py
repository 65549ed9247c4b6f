"""E-mails to buyers about their orders, in the recipient's language, sent after commit.

The service only *queues* an e-mail, by ids: once its transaction commits, the task
``orders.tasks.send_order_email`` loads the order, renders the templates and sends. A rolled-back
cancellation never e-mails anyone (nothing is queued before the commit), and neither rendering
nor a slow mail server costs the request anything: rendering the order e-mail inside checkout's
transaction was a tenth of its time, holding the stock locks meanwhile. What the extra context
holds (amounts, a withdrawal) travels as plain values (``encode_context``), never pickled models.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from functools import partial
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import models, transaction
from django.template import loader
from django.utils import translation
from django.utils.functional import Promise
from djmoney.money import Money

from marketplace.core.tasks import send_email

from .models import Order

#: The e-mails a buyer receives: template name under ``orders/email/``.
KINDS = frozenset(
    {"placed", "paid", "shipped", "delivered", "cancelled", "refunded", "withdrawal", "shop_paid"}
)


def render_order_email(
    order: Order, kind: str, *, language: str | None = None, **extra: Any
) -> tuple[str, str]:
    """Subject and body of one e-mail about ``order``, in ``language`` (default: the buyer's)."""
    if kind not in KINDS:
        raise ValueError(f"Unknown order e-mail {kind!r}")
    from .links import order_url, seller_order_url

    link = seller_order_url if kind == "shop_paid" else order_url
    context = {
        "order": order,
        "order_link": link(order, absolute=True),
        "site_name": "Pasar Kampung",
        "bank": settings.PAYMENT_BANK_ACCOUNT,
        **extra,
    }
    with translation.override(language or order.recipient_language):
        subject = loader.render_to_string(f"orders/email/{kind}_subject.txt", context)
        body = loader.render_to_string(f"orders/email/{kind}.txt", context)
    return " ".join(subject.split()), body


# --- the extra context as plain values ----------------------------------------------------

_MONEY = "__money__"
_MODEL = "__model__"


def encode_context(value: Any) -> Any:
    """``value`` as JSON-safe data for the task: Money and model instances become tagged pairs."""
    if isinstance(value, Money):
        return {_MONEY: [str(value.amount), str(value.currency)]}
    if isinstance(value, models.Model):
        return {_MODEL: [value._meta.label, value.pk]}
    if isinstance(value, Promise):
        return str(value)
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {str(key): encode_context(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [encode_context(item) for item in value]
    return value


def decode_context(value: Any) -> Any:
    """The reverse of ``encode_context`` (a model deleted since reads as ``None``)."""
    if isinstance(value, dict):
        if set(value) == {_MONEY}:
            amount, currency = value[_MONEY]
            return Money(Decimal(amount), currency)
        if set(value) == {_MODEL}:
            label, pk = value[_MODEL]
            return apps.get_model(label)._default_manager.filter(pk=pk).first()
        return {key: decode_context(item) for key, item in value.items()}
    if isinstance(value, list):
        return [decode_context(item) for item in value]
    return value


# --- queueing --------------------------------------------------------------------------------


def _queue(orders: Sequence[Order], kind: str, audience: str, extra: dict[str, Any]) -> None:
    """One task for all of ``orders`` (a checkout's orders: one message to the broker)."""
    if kind not in KINDS:
        raise ValueError(f"Unknown order e-mail {kind!r}")
    if not orders:
        return
    from .tasks import send_order_email as task

    ids = [order.pk for order in orders]
    transaction.on_commit(
        partial(task.delay, ids, kind, audience, encode_context(extra)), robust=True
    )


def send_order_email(order: Order, kind: str, **extra: Any) -> None:
    """Queue the e-mail for after commit; orders without an address (phone-only guests) get none."""
    send_orders_email([order], kind, **extra)


def send_orders_email(orders: Sequence[Order], kind: str, **extra: Any) -> None:
    """``send_order_email`` for several orders (one per shop of a checkout) in one task."""
    _queue([order for order in orders if order.recipient_email], kind, "buyer", extra)


def send_shop_email(order: Order, kind: str, **extra: Any) -> None:
    """Tell the shop's members with an e-mail address, each in their own language.

    Members without an address (many village sellers use only a phone) see the order on their
    dashboard; a facilitator helping them sees it there too. Who they are is read by the task.
    """
    _queue([order], kind, "shop", extra)


def deliver_order_emails(
    order_ids: Sequence[int], kind: str, audience: str, extra: dict[str, Any]
) -> int:
    """Render and send queued e-mails (the task's body); how many messages were sent.

    An order deleted since (it never is, but a task can outlive anything) is skipped.
    """
    context = decode_context(extra)
    orders = Order.objects.select_related("buyer", "shop").filter(pk__in=order_ids).order_by("pk")
    sent = 0
    for order in orders:
        if audience == "buyer":
            sent += _to_buyer(order, kind, context)
        else:
            sent += _to_shop(order, kind, context)
    return sent


def _to_buyer(order: Order, kind: str, context: dict[str, Any]) -> int:
    to = order.recipient_email
    if not to:
        return 0
    subject, body = render_order_email(order, kind, **context)
    send_email.delay(subject, body, [to], None, settings.DEFAULT_FROM_EMAIL)
    return 1


def _to_shop(order: Order, kind: str, context: dict[str, Any]) -> int:
    sent = 0
    members = order.shop.memberships.select_related("user").order_by("pk")
    for membership in members:
        user = membership.user
        if not (user.is_active and user.email):
            continue
        subject, body = render_order_email(
            order, kind, language=user.preferred_language or settings.LANGUAGE_CODE, **context
        )
        send_email.delay(subject, body, [user.email], None, settings.DEFAULT_FROM_EMAIL)
        sent += 1
    return sent

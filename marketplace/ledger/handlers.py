"""The ledger listens to orders: a paid order posts its split, a refund its reversal.

Handlers run after the emitting transaction commits (``marketplace.core.events``); posting is
idempotent, so an event delivered twice posts once.
"""

from __future__ import annotations

from typing import Any

from marketplace.core.events import subscribe

from . import services


@subscribe("order.paid")
def post_paid_order(order_id: int, **_payload: Any) -> None:
    services.post_sale(order_id)


@subscribe("order.refunded")
def post_refund(order_id: int, amount: str, currency: str, refund_id: str, **_payload: Any) -> None:
    services.post_refund(order_id, amount, currency, str(refund_id))

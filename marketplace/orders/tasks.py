"""Scheduled order work (Celery beat, ``CELERY_BEAT_SCHEDULE`` in settings)."""

from __future__ import annotations

from typing import Any

from celery import shared_task

from . import emails, services


@shared_task
def expire_unpaid_orders() -> int:
    """Cancel orders unpaid past their deadline; their stock goes back on sale."""
    return services.expire_unpaid_orders()


@shared_task
def complete_delivered_orders() -> int:
    """Close delivered orders once the withdrawal period has passed."""
    return services.complete_delivered_orders()


@shared_task
def send_order_email(order_id: int, kind: str, audience: str, extra: dict[str, Any]) -> int:
    """Render an order e-mail after its transaction committed and hand it to ``send_email``.

    ``audience`` is ``"buyer"`` or ``"shop"`` (every member with an address, in their language).
    """
    return emails.deliver_order_email(order_id, kind, audience, extra)

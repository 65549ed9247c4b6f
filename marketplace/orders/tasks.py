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
def send_order_email(order_ids: list[int], kind: str, audience: str, extra: dict[str, Any]) -> int:
    """Render order e-mails after their transaction committed and hand them to ``send_email``.

    ``audience`` is ``"buyer"`` or ``"shop"`` (every member with an address, in their language);
    several ids: the orders of one checkout, queued as one message.
    """
    return emails.deliver_order_emails(order_ids, kind, audience, extra)

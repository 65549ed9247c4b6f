"""Payment work done outside the request or the webhook (Celery)."""

from __future__ import annotations

from celery import shared_task

from . import services
from .models import Payment


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def refund_cancelled_orders(payment_id: int) -> int:
    """Send back the share of a payment that arrived for orders already cancelled."""
    payment = Payment.objects.get(pk=payment_id)
    return services.refund_cancelled_orders(payment)

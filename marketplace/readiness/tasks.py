"""Recomputing readiness outside the request (a worker in production, eagerly in tests)."""

from __future__ import annotations

from celery import shared_task

from . import services


@shared_task
def recompute_readiness(product_ids: list[int]) -> int:
    """Idempotent: reads the listings as they are now, so duplicate events are harmless."""
    return services.recompute(product_ids)

"""Reads of addresses."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from .models import Address


def addresses_of(user: Any) -> QuerySet[Address]:
    """A signed-in buyer's saved addresses, newest first; none for anonymous visitors."""
    if not getattr(user, "is_authenticated", False):
        return Address.objects.none()
    return (
        Address.objects.filter(user=user).select_related("village").order_by("-created_at", "-pk")
    )

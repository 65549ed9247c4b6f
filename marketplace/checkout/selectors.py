"""Reads of checkouts."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest

from marketplace.shipping.selectors import Destination

from .models import Checkout

#: Where a visitor's cart token lives in the session (it survives the new session key at login).
SESSION_KEY = "checkout_token"


def open_checkout_of(user: Any) -> Checkout | None:
    """A signed-in buyer's cart (there is at most one open checkout per user)."""
    if not getattr(user, "is_authenticated", False):
        return None
    return Checkout.objects.filter(user=user, completed_at__isnull=True).first()


def session_checkout(request: HttpRequest) -> Checkout | None:
    """The visitor's cart named by the session, if it is still open and nobody's."""
    session = getattr(request, "session", None)
    token = session.get(SESSION_KEY) if session is not None else None
    if not token:
        return None
    try:
        return Checkout.objects.filter(
            token=token, user__isnull=True, completed_at__isnull=True
        ).first()
    except ValidationError:  # not a UUID: an old or foreign session value
        return None


def current_checkout(request: HttpRequest) -> Checkout | None:
    """The cart of this request without creating one (pages that only show it)."""
    user = getattr(request, "user", None)
    if getattr(user, "is_authenticated", False):
        return open_checkout_of(user)
    return session_checkout(request)


def destination_of(checkout: Checkout) -> Destination | None:
    """Where parcels go; ``None`` for Indonesia until an address names the province."""
    address = checkout.shipping_address if checkout.shipping_address_id else None
    if checkout.country == "ID":
        if address is None or not address.province_code:
            return None
        return Destination(country="ID", province_code=address.province_code)
    return Destination(country=checkout.country)

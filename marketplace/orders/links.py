"""Addresses of an order's pages, for e-mails and for pages that link to an order.

A guest has no account, so a guest's order link carries a signature of the order number: whoever
holds the e-mail can open the order, nobody can guess another. E-mails need absolute addresses:
``settings.SITE_URL`` is where the marketplace is served.
"""

from __future__ import annotations

from urllib.parse import quote

from django.conf import settings
from django.core import signing
from django.urls import reverse

from .models import Order

#: Query parameter carrying a guest's signature.
KEY_PARAM = "kunci"


def _signer() -> signing.Signer:
    return signing.Signer(salt="storefront.orders.guest-link")


def order_key(order: Order) -> str:
    return _signer().signature(order.number)


def order_url(order: Order, *, absolute: bool = False) -> str:
    """The buyer's order page; a guest's carries its signature, so it opens without an account."""
    url = reverse("storefront:order", kwargs={"number": order.number})
    if order.buyer_id is None:
        url += f"?{KEY_PARAM}={quote(order_key(order))}"
    return _absolute(url) if absolute else url


def seller_order_url(order: Order, *, absolute: bool = False) -> str:
    """The order's page in its shop's dashboard."""
    url = reverse(
        "dashboard:order", kwargs={"shop_slug": order.shop.slug, "number": order.number}
    )
    return _absolute(url) if absolute else url


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path

"""Addresses of an order's pages, for e-mails and for pages that link to an order.

A guest has no account, so a guest's order link carries a signature of the order number: whoever
holds the e-mail can open the order, nobody can guess another. E-mails need absolute addresses:
``settings.SITE_URL`` is where the marketplace is served.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils.crypto import constant_time_compare

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


@dataclass(frozen=True)
class OrderLinkHolder:
    """Whoever opened a guest order's signed link: the buyer without an account.

    Pages build one only after checking the signature (``holds_order_link``); the permission rules
    (``marketplace.core.permissions``) treat it as the buyer of that one order and nothing else.
    It is not a user: nothing stores it as an actor, and every other rule refuses it.
    """

    order_number: str
    is_authenticated: bool = False
    is_active: bool = True
    is_staff: bool = False
    pk: None = None


def holds_order_link(order: Order, key: str) -> bool:
    """Whether ``key`` is the signature of ``order``'s guest link."""
    return bool(key) and order.buyer_id is None and constant_time_compare(key, order_key(order))


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path

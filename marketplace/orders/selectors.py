"""Reads of orders: one list per audience, each a fixed number of queries whatever its length.

Every list joins the shop (and buyer, payment where shown) and prefetches the lines, so a page of
50 orders costs the same queries as a page of 3 (pinned in ``tests/orders/test_selectors.py``).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from marketplace.core import permissions
from sellers.models import Shop

from .models import Order, OrderEvent, OrderLine, OrderStatus


def _with_details(qs: QuerySet[Order]) -> QuerySet[Order]:
    return qs.select_related("shop", "buyer", "payment").prefetch_related(
        Prefetch("lines", queryset=OrderLine.objects.order_by("pk"))
    )


def orders_for_buyer(user: Any) -> QuerySet[Order]:
    """A signed-in buyer's own orders, newest first."""
    if not getattr(user, "is_authenticated", False):
        return Order.objects.none()
    return _with_details(Order.objects.filter(buyer=user)).order_by("-placed_at", "-pk")


def orders_for_shop(shop: Shop, *, status: str = "") -> QuerySet[Order]:
    """A shop's orders to fulfil and its history. Unpaid orders are listed too (not to ship yet)."""
    qs = Order.objects.filter(shop=shop)
    if status:
        qs = qs.filter(status=status)
    return _with_details(qs).order_by("-placed_at", "-pk")


def orders_for_operator(filters: Mapping[str, Any] | None = None) -> QuerySet[Order]:
    """Every order, filtered by ``status``, ``market``, ``shop``, ``search`` (number, e-mail,
    tracking number), ``placed_from``/``placed_to`` (datetimes)."""
    filters = filters or {}
    qs = Order.objects.all()
    if status := filters.get("status"):
        qs = qs.filter(status=status)
    if market := filters.get("market"):
        qs = qs.filter(market=market)
    if shop := filters.get("shop"):
        qs = qs.filter(shop=shop)
    if search := (filters.get("search") or "").strip():
        qs = qs.filter(
            Q(number__icontains=search)
            | Q(email__iexact=search)
            | Q(tracking_number__iexact=search)
        )
    placed_from: datetime | None = filters.get("placed_from")
    if placed_from:
        qs = qs.filter(placed_at__gte=placed_from)
    placed_to: datetime | None = filters.get("placed_to")
    if placed_to:
        qs = qs.filter(placed_at__lt=placed_to)
    return _with_details(qs).order_by("-placed_at", "-pk")


def orders_visible_to(user: Any) -> QuerySet[Order]:
    """The queryset twin of ``can_view_order``: own orders, managed shops' orders; operators all."""
    if permissions.is_operator(user):
        return Order.objects.all()
    if not getattr(user, "is_authenticated", False):
        return Order.objects.none()
    return Order.objects.filter(Q(buyer=user) | Q(shop__in=permissions.manageable_shops(user)))


def order_history(order: Order) -> QuerySet[OrderEvent]:
    """What happened to an order, oldest first, with who did it."""
    return order.events.select_related("actor").order_by("created_at", "pk")


#: What a seller still has to do something about: pack (paid) or finish packing (processing).
TO_FULFIL: tuple[str, ...] = (OrderStatus.PAID, OrderStatus.PROCESSING)


def orders_to_fulfil_count(shop: Shop) -> int:
    """The dashboard nav's badge: one indexed COUNT (``shop, status, -placed_at``), no rows read."""
    return Order.objects.filter(shop=shop, status__in=TO_FULFIL).count()

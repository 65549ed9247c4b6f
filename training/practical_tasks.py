"""The practical tasks' rules: one function per task, reading the marketplace's own data.

Each rule answers "has this learner done it, and where is the proof?" from what the marketplace
recorded (shops, listings, photos, paid orders), never from anything the learner typed. The same
function runs when a learner enrols (so a task done before enrolment counts) and when a domain
event says something changed (``training.handlers``), so a task has exactly one definition.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.apps import apps
from django.db.models import Count, Model, Q
from django.db.models.functions import Length, Trim

from marketplace.catalog.models import Product, ProductStatus
from marketplace.taxes.countries import EU_COUNTRIES
from sellers.models import Shop, ShopStatus
from storefront.links import product_url, shop_url

from .models import TaskKind

#: A listing's first task asks for this many photos: one photo rarely sells.
MIN_PHOTOS = 3
#: An English description shorter than this is a caption, not a description a buyer can use.
MIN_ENGLISH_DESCRIPTION = 80


@dataclass(frozen=True)
class Evidence:
    """What proves a task: the object, a label and a link people can open, and when it happened."""

    obj: Model
    label: str
    url: str
    at: datetime


def _shops(user: Any) -> Any:
    return Shop.objects.filter(memberships__user_id=user.pk)


def _products(user: Any) -> Any:
    return Product.objects.filter(
        shop__memberships__user_id=user.pk, status=ProductStatus.PUBLISHED
    )


def open_shop(user: Any) -> Evidence | None:
    """A shop the learner belongs to that left the draft stage (submitted for approval or more)."""
    shop = _shops(user).exclude(status=ShopStatus.DRAFT).order_by("created_at", "pk").first()
    if shop is None:
        return None
    return Evidence(shop, shop.name, shop_url(shop), shop.submitted_at or shop.created_at)


def shop_approved(user: Any) -> Evidence | None:
    shop = _shops(user).filter(status=ShopStatus.APPROVED).order_by("created_at", "pk").first()
    if shop is None:
        return None
    return Evidence(shop, shop.name, shop_url(shop), shop.status_changed_at or shop.created_at)


def first_listing(user: Any) -> Evidence | None:
    """A published listing with at least three photos."""
    product = (
        _products(user)
        .annotate(photo_count=Count("photos"))
        .filter(photo_count__gte=MIN_PHOTOS)
        .order_by("published_at", "pk")
        .first()
    )
    if product is None:
        return None
    return Evidence(
        product, product.title, product_url(product), product.published_at or product.created_at
    )


def english_description(user: Any) -> Evidence | None:
    """A published listing whose English description is long enough to help a buyer."""
    product = (
        _products(user)
        .annotate(en_length=Length(Trim("description_en")))
        .filter(en_length__gte=MIN_ENGLISH_DESCRIPTION)
        .order_by("published_at", "pk")
        .first()
    )
    if product is None:
        return None
    return Evidence(product, product.title, product_url(product), product.updated_at)


def export_ready(user: Any) -> Evidence | None:
    """A listing of the learner's shops that the export-readiness check passed for an EU country.

    Reads the stored results of ``marketplace.readiness`` (the one rule); the
    ``product.export_ready`` event ticks the task as it happens (``training.handlers``).
    """
    product = (
        Product.objects.filter(
            shop__memberships__user_id=user.pk,
            readiness_results__ready=True,
            readiness_results__country__in=EU_COUNTRIES,
        )
        .order_by("pk")
        .first()
    )
    if product is None:
        return None
    return Evidence(product, product.title, product_url(product), product.updated_at)


def order_model() -> type[Model] | None:
    """``orders.Order`` when the checkout has it with the fields training reads, else ``None``.

    The orders app is built alongside training; the figures that need orders say 0 until it is.
    """
    try:
        model = apps.get_model("orders", "Order")
    except LookupError:
        return None
    names = {f.name for f in model._meta.get_fields()}
    if not {"shop", "market", "paid_at", "status"} <= names:
        return None
    return model


#: Order states that are not (or no longer) a sale.
NOT_SOLD = ("unpaid", "cancelled", "refunded")


def paid_orders(**filters: Any) -> Any:
    model = order_model()
    if model is None:
        return None
    return model._default_manager.filter(paid_at__isnull=False, **filters).exclude(
        status__in=NOT_SOLD
    )


def _first_order(user: Any, condition: Q) -> Evidence | None:
    orders = paid_orders(shop__memberships__user_id=user.pk)
    if orders is None:
        return None
    order = orders.filter(condition).order_by("paid_at", "pk").first()
    if order is None:
        return None
    return Evidence(order, str(getattr(order, "number", "") or order.pk), "", order.paid_at)


def first_order(user: Any) -> Evidence | None:
    return _first_order(user, Q())


def first_eu_order(user: Any) -> Evidence | None:
    return _first_order(user, Q(market="EU"))


#: The one rule of each task.
RULES: dict[str, Callable[[Any], Evidence | None]] = {
    TaskKind.OPEN_SHOP: open_shop,
    TaskKind.SHOP_APPROVED: shop_approved,
    TaskKind.FIRST_LISTING: first_listing,
    TaskKind.ENGLISH_DESCRIPTION: english_description,
    TaskKind.EXPORT_READY: export_ready,
    TaskKind.FIRST_ORDER: first_order,
    TaskKind.FIRST_EU_ORDER: first_eu_order,
}

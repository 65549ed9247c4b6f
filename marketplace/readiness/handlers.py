"""Domain events that can change a listing's readiness, each turned into a recompute task.

Handlers run after the emitting transaction commits and only enqueue. ``plot.changed`` and
``document.changed`` (from ``marketplace.plots`` and ``marketplace.documents``) carry either
``product_ids`` (the listings linked to the plot or document) or a ``shop_id`` (a shop-wide
document such as a halal certificate); ``shop.changed`` recomputes the whole shop.
"""

from __future__ import annotations

from typing import Any

from marketplace.catalog.models import Product
from marketplace.core.events import subscribe

from . import tasks

#: Listing ids per task, so a large shop's change is several moderate tasks.
BATCH = 500

PRODUCT_EVENTS = ("product.published", "product.changed", "product.export_profile_changed")
RELATED_EVENTS = ("plot.changed", "document.changed")
SHOP_EVENTS = ("shop.changed",)


def _enqueue(ids: list[int]) -> None:
    for start in range(0, len(ids), BATCH):
        tasks.recompute_readiness.delay(ids[start : start + BATCH])


def _shop_product_ids(shop_id: int) -> list[int]:
    return list(Product.objects.filter(shop_id=shop_id).order_by("pk").values_list("pk", flat=True))


def recompute_product(product_id: int, **payload: Any) -> None:
    _enqueue([int(product_id)])


def recompute_related(
    product_ids: list[int] | None = None,
    shop_id: int | None = None,
    product_id: int | None = None,
    **payload: Any,
) -> None:
    """The listings named by the event; the whole shop only when it names none (a shop-wide
    document's event already lists every listing of the shop)."""
    ids = {int(pk) for pk in product_ids or ()}
    if product_id is not None:
        ids.add(int(product_id))
    if product_ids is None and product_id is None and shop_id is not None:
        ids.update(_shop_product_ids(int(shop_id)))
    _enqueue(sorted(ids))


def recompute_shop(shop_id: int, **payload: Any) -> None:
    _enqueue(_shop_product_ids(int(shop_id)))


for _event in PRODUCT_EVENTS:
    subscribe(_event)(recompute_product)
for _event in RELATED_EVENTS:
    subscribe(_event)(recompute_related)
for _event in SHOP_EVENTS:
    subscribe(_event)(recompute_shop)

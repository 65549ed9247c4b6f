"""Domain events that change what search shows, each turned into an indexing task.

Handlers run after the emitting transaction commits (``marketplace.core.events``); they only
enqueue, so a slow or unavailable index never slows a seller's request.
"""

from __future__ import annotations

from typing import Any

from marketplace.catalog.models import Product
from marketplace.core.events import subscribe

from . import tasks

#: Listing ids per task, so a large shop's change is several moderate tasks, not one huge one.
BATCH = 500

# ``product.stock_out`` is not needed: a published listing's stock change also emits
# ``product.changed``, and a listing no market shows has no document to update.
PRODUCT_EVENTS = ("product.published", "product.changed", "product.removed")
# A shop's status decides whether any of its listings are shown.
SHOP_EVENTS = ("shop.approved", "shop.suspended", "shop.returned_to_draft")


def reindex_product(product_id: int, **payload: Any) -> None:
    tasks.index_products.delay([int(product_id)])


def reindex_shop(shop_id: int, **payload: Any) -> None:
    ids = list(Product.objects.filter(shop_id=shop_id).order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), BATCH):
        tasks.index_products.delay(ids[start : start + BATCH])


for _event in PRODUCT_EVENTS:
    subscribe(_event)(reindex_product)
for _event in SHOP_EVENTS:
    subscribe(_event)(reindex_shop)

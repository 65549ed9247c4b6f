"""Domain events that change what search shows, each turned into an indexing task.

Handlers run after the emitting transaction commits (``marketplace.core.events``); they only
enqueue, so a slow or unavailable index never slows a seller's request.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save

from marketplace.catalog.models import Category, Product
from marketplace.core.events import emit, subscribe

from . import selectors, tasks

#: Listing ids per task, so a large shop's change is several moderate tasks, not one huge one.
BATCH = 500

# ``product.stock_out`` is not needed: a published listing's stock change also emits
# ``product.changed``, and a listing no market shows has no document to update.
PRODUCT_EVENTS = ("product.published", "product.changed", "product.removed")
# A shop's status decides whether any of its listings are shown; its name, village and district
# are words of every listing's document (``shop.changed``: the seller edited the profile).
SHOP_EVENTS = ("shop.approved", "shop.suspended", "shop.returned_to_draft", "shop.changed")
#: A category's names (every language) and place in the tree are in its listings' documents.
CATEGORY_EVENTS = ("category.changed",)


def _enqueue(ids: list[int]) -> None:
    for start in range(0, len(ids), BATCH):
        tasks.index_products.delay(ids[start : start + BATCH])


def reindex_product(product_id: int, **payload: Any) -> None:
    tasks.index_products.delay([int(product_id)])


def reindex_shop(shop_id: int, **payload: Any) -> None:
    _enqueue(
        list(Product.objects.filter(shop_id=shop_id).order_by("pk").values_list("pk", flat=True))
    )


def reindex_category(category_id: int, **payload: Any) -> None:
    """The category's listings and its children's (their documents carry the whole path)."""
    in_tree = Product.objects.filter(category_id__in=selectors.category_subtree_ids(category_id))
    _enqueue(list(in_tree.order_by("pk").values_list("pk", flat=True)))


def _category_saved(sender: type[Category], instance: Category, created: bool, **kw: Any) -> None:
    """Categories are edited in the operators' admin, which has no service to emit from: a
    renamed or moved category would otherwise leave its listings' search text stale until the
    next ``reindex``. A new category has no listings yet."""
    if not created and not kw.get("raw"):
        emit("category.changed", category_id=instance.pk)


for _event in PRODUCT_EVENTS:
    subscribe(_event)(reindex_product)
for _event in SHOP_EVENTS:
    subscribe(_event)(reindex_shop)
for _event in CATEGORY_EVENTS:
    subscribe(_event)(reindex_category)
post_save.connect(_category_saved, sender=Category, dispatch_uid="search.category_saved")

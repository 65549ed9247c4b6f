"""Caching what buyers read, invalidated by domain events.

Instead of deleting keys one by one (and missing some), cached buyer-facing fragments include the
*catalog generation* in their key. Any event that changes what buyers may see (a listing
published, changed, removed or out of stock; a shop approved, suspended or sent back) bumps the
generation after commit, so every fragment built before it is simply never read again and expires
on its own. With Redis the generation is shared by every web process; with the embedded
local-memory cache it is per process, which is what a single ``runserver`` needs.
"""

from __future__ import annotations

from typing import Any

from django.core.cache import cache

from marketplace.core import events

GENERATION_KEY = "catalog:generation"
#: Events after which buyer pages may show something else.
INVALIDATING_EVENTS = (
    "product.published",
    "product.changed",
    "product.removed",
    "product.stock_out",
    "shop.approved",
    "shop.suspended",
    "shop.returned_to_draft",
)


def catalog_generation() -> int:
    value = cache.get(GENERATION_KEY)
    if value is None:
        cache.add(GENERATION_KEY, 1, timeout=None)
        value = cache.get(GENERATION_KEY, 1)
    return int(value)


def bump_catalog_generation(**payload: Any) -> None:
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # not there yet (or evicted): any new value invalidates the old keys
        cache.set(GENERATION_KEY, catalog_generation() + 1, timeout=None)


def connect() -> None:
    for name in INVALIDATING_EVENTS:
        events.subscribe(name)(bump_catalog_generation)

"""Reads for search: loading a page of products, facet labels, and documents to index."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.db.models import Prefetch, QuerySet

from marketplace.catalog.models import Category, Product, ProductVariant
from marketplace.catalog.selectors import products_for_market
from marketplace.regions.models import Region

from . import text
from .models import ProductDocument

#: Everything a result card shows, in a constant number of queries whatever the page size.
RESULT_RELATED: tuple[str, ...] = ("shop__village__parent", "category")


def with_result_relations(qs: QuerySet[Product]) -> QuerySet[Product]:
    """Join shop, village, district and category; prefetch variants and photos (two queries)."""
    return qs.select_related(*RESULT_RELATED).prefetch_related(
        Prefetch("variants", queryset=ProductVariant.objects.order_by("position", "pk")),
        "photos",
    )


def products_in_order(market_code: str, ids: Sequence[int]) -> list[Product]:
    """The listings ``ids`` in that order, dropping any the market no longer shows.

    An external index can lag behind the catalog for a moment; filtering its hits through
    ``products_for_market`` means a removed listing or a suspended shop never reaches a buyer.
    """
    if not ids:
        return []
    found = {
        p.pk: p for p in with_result_relations(products_for_market(market_code)).filter(pk__in=ids)
    }
    return [found[pk] for pk in ids if pk in found]


def category_labels(slugs: Iterable[str], language: str) -> dict[str, str]:
    """Category names in ``language`` (Indonesian when the category has none in it)."""
    wanted = set(slugs)
    if not wanted:
        return {}
    own, fallback = text.column("name", language), text.column("name", text.DEFAULT_LANGUAGE)
    rows = Category.objects.filter(slug__in=wanted).values("slug", own, fallback)
    return {row["slug"]: row[own] or row[fallback] or row["slug"] for row in rows}


def category_subtree(slug: str) -> list[str]:
    """The slugs of the category ``slug`` and of every category below it, at any depth.

    Searching a category includes its children. Filtering the documents' ``category_slug`` on
    this short list lets the per-market facet index answer a category page, where matching the
    ``category_path`` text (``LIKE '%/kopi/%'``) read every document of the market. The tree
    is a few dozen rows: one small query.
    """
    children: dict[int | None, list[tuple[int, str]]] = {}
    root: int | None = None
    for pk, parent_id, own in Category.objects.values_list("pk", "parent_id", "slug"):
        children.setdefault(parent_id, []).append((pk, own))
        if own == slug:
            root = pk
    if root is None:
        return [slug]  # an unknown category matches nothing (no document has it)
    found, todo, seen = [slug], [root], {root}
    while todo:
        for pk, own in children.get(todo.pop(), []):
            if pk not in seen:
                seen.add(pk)
                found.append(own)
                todo.append(pk)
    return found


def category_subtree_ids(category_id: int) -> list[int]:
    """The category ``category_id`` and every category below it (see ``category_subtree``)."""
    slug = Category.objects.filter(pk=category_id).values_list("slug", flat=True).first()
    if slug is None:
        return [category_id]
    subtree = Category.objects.filter(slug__in=category_subtree(slug))
    return list(subtree.values_list("pk", flat=True))


def region_labels(codes: Iterable[str]) -> dict[str, str]:
    """Official region names as people read them (title case)."""
    wanted = set(codes)
    if not wanted:
        return {}
    return {r.code: r.display_name for r in Region.objects.filter(code__in=wanted)}


def documents(ids: Iterable[int] | None = None) -> QuerySet[ProductDocument]:
    qs = ProductDocument.objects.order_by("pk")
    return qs if ids is None else qs.filter(pk__in=list(ids))

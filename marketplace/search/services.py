"""Writes of search: keeping ``ProductDocument`` rows (and the external index) in step.

Documents are derived data. ``refresh_documents`` rebuilds the rows of the given listings from
the catalog, whatever happened to them: a listing a market shows gets a fresh row, any other
loses its row. Being idempotent, it is safe to run twice, late, or out of order (events can
arrive in any order from several workers).
"""

from __future__ import annotations

import dataclasses
import hashlib
import operator
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import reduce
from typing import Any

from django.conf import settings
from django.contrib.postgres.search import SearchVector
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    Max,
    Min,
    OuterRef,
    Q,
    Value,
    When,
)
from django.utils import timezone
from django.utils.html import strip_tags

from marketplace.catalog.models import Category, Product, ProductVariant
from marketplace.catalog.selectors import products_for_market
from marketplace.core.cache import bump_catalog_generation, catalog_generation

from . import selectors, text
from .models import FacetCount, ProductDocument
from .query import SearchQuery, SearchResult

#: Rows per write: bounds memory and the size of each SQL statement and bulk request.
CHUNK_SIZE = 500

#: (stage, done, total) after each chunk; stages are "documents" and "elasticsearch".
Progress = Callable[[str, int, int], None]

#: Markets and the document flag saying each shows the listing. (``marketplace.markets`` names
#: the markets; the rule of what each shows stays in ``catalog.selectors.products_for_market``.)
MARKET_FLAGS: dict[str, str] = {"ID": "visible_id", "EU": "visible_eu"}
#: Each market's currency: which lowest price its price ranges count.
MARKET_CURRENCIES: dict[str, str] = {"ID": "IDR", "EU": "EUR"}

_TEXT_FIELDS: tuple[str, ...] = tuple(
    text.column(name, language)
    for name in ("title", "description", "category")
    for language in text.LANGUAGES
)
_UPDATE_FIELDS: tuple[str, ...] = (
    *_TEXT_FIELDS,
    "place",
    "words",
    "search_text",
    "title_words",
    "category_slug",
    "category_path",
    "district_code",
    "district_name",
    "village_code",
    "village_name",
    "min_price_idr",
    "min_export_price_eur",
    "in_stock",
    "ships_to_eu",
    *MARKET_FLAGS.values(),
    "published_at",
    "indexed_at",
)


#: How long a result page (ids, total, facets) is kept. Any catalog event or finished indexing
#: bumps the catalog generation first, so this only bounds memory use, not staleness.
RESULT_CACHE_SECONDS = 300


def _cache_key(query: SearchQuery) -> str:
    fields = dataclasses.asdict(dataclasses.replace(query, market=None))  # type: ignore[arg-type]
    market = (query.market.code, query.market.currency, getattr(query.market, "country", ""))
    raw = repr((settings.SEARCH_BACKEND, market, sorted(fields.items())))
    digest = hashlib.sha256(raw.encode()).hexdigest()[:32]
    return f"search:{catalog_generation()}:{digest}"


def search(query: SearchQuery) -> SearchResult:
    """Answer ``query`` on the configured backend, through the result cache.

    A cached page keeps only ids, total and facets; the listings are read again through
    ``products_for_market`` (``selectors.products_in_order``), so a listing hidden since can never
    come back from the cache.
    """
    from .backends import get_backend

    key = _cache_key(query)
    cached = cache.get(key)
    if cached is not None:
        ids, total, page, page_size, facets = cached
        return SearchResult(
            products=selectors.products_in_order(query.market.code, ids),
            total=total,
            page=page,
            page_size=page_size,
            facets=facets,
        )
    result = get_backend().search(query)
    cache.set(
        key,
        (
            [p.pk for p in result.products],
            result.total,
            result.page,
            result.page_size,
            result.facets,
        ),
        RESULT_CACHE_SECONDS,
    )
    return result


@dataclass
class Refreshed:
    """What a refresh wrote: rows to (re)index and listings no market shows any more."""

    documents: list[ProductDocument]
    removed: list[int]


def document_vector() -> SearchVector:
    """The weighted vector: title (A) > category (B) > description (C) > shop and place (D).

    Each language's text is parsed with its own configuration; the proper names of shop, village
    and district with every configuration, so a query parsed in any language meets them.
    """
    parts: list[SearchVector] = []
    for language, config in text.TEXT_CONFIGS.items():
        parts += [
            SearchVector(text.column("title", language), config=config, weight="A"),
            SearchVector(text.column("category", language), config=config, weight="B"),
            SearchVector(text.column("description", language), config=config, weight="C"),
            SearchVector("place", config=config, weight="D"),
        ]
    return reduce(operator.add, parts)


def _chunks(ids: Sequence[int], size: int = CHUNK_SIZE) -> Iterator[list[int]]:
    for start in range(0, len(ids), size):
        yield list(ids[start : start + size])


def _category_paths() -> dict[int, list[Category]]:
    """Each category with its ancestors, root first (the tree is small: one query)."""
    by_id = {c.pk: c for c in Category.objects.all()}
    paths: dict[int, list[Category]] = {}
    for category in by_id.values():
        path: list[Category] = []
        seen: set[int] = set()
        node: Category | None = category
        while node is not None and node.pk not in seen:
            seen.add(node.pk)
            path.append(node)
            node = by_id.get(node.parent_id) if node.parent_id else None
        paths[category.pk] = path[::-1]
    return paths


def _build(product: Any, paths: dict[int, list[Category]]) -> ProductDocument:
    village = product.shop.village
    district = village.parent
    path = paths[product.category_id]
    values: dict[str, Any] = {}
    for language in text.LANGUAGES:
        values[text.column("title", language)] = (
            getattr(product, text.column("title", language)) or ""
        )
        description = getattr(product, text.column("description", language)) or ""
        values[text.column("description", language)] = strip_tags(description)
        values[text.column("category", language)] = " ".join(
            getattr(c, text.column("name", language)) or "" for c in path
        ).strip()
    place = " ".join(
        part
        for part in (
            product.shop.name,
            village.display_name,
            district.display_name if district else "",
        )
        if part
    )
    names = {key: value for key, value in values.items() if key.startswith(("title_", "category_"))}
    titles = " ".join(values[text.column("title", lang)] for lang in text.LANGUAGES)
    min_price = product.min_price
    min_export = product.min_export_price
    return ProductDocument(
        product_id=product.pk,
        **values,
        place=place,
        words=" ".join(text.terms(" ".join([*names.values(), place]), limit=None)),
        search_text=text.fold(" ".join([*values.values(), place])),
        title_words=text.fold(titles),
        category_slug=path[-1].slug,
        category_path="/" + "/".join(c.slug for c in path) + "/",
        district_code=district.code if district else "",
        district_name=district.name if district else "",
        village_code=village.code,
        village_name=village.name,
        min_price_idr=getattr(min_price, "amount", min_price),
        min_export_price_eur=getattr(min_export, "amount", min_export),
        in_stock=product.stocked,
        ships_to_eu=product.ships_to_eu,
        published_at=product.published_at,
        indexed_at=timezone.now(),
        **{flag: getattr(product, flag) for flag in MARKET_FLAGS.values()},
    )


def _products(ids: list[int]) -> Iterable[Any]:
    """The listings with everything a document needs, in one query."""
    stocked = ProductVariant.objects.filter(product=OuterRef("pk"), stock_quantity__gt=0)
    shown = {
        flag: Exists(products_for_market(code).filter(pk=OuterRef("pk")))
        for code, flag in MARKET_FLAGS.items()
    }
    return (
        Product.objects.filter(pk__in=ids)
        .select_related("shop__village__parent")
        .annotate(
            min_price=Min("variants__price"),
            min_export_price=Min("variants__export_price"),
            stocked=Exists(stocked),
            **shown,
        )
        .order_by()
    )


def refresh_documents(product_ids: Iterable[int], *, recount: bool = True) -> Refreshed:
    """Rebuild the documents of these listings from the catalog (see the module docstring).

    ``recount=False``: leave ``FacetCount`` to the caller (a full rebuild recounts once).
    """
    ids = sorted({int(pk) for pk in product_ids})
    result = Refreshed(documents=[], removed=[])
    if not ids:
        return result
    paths = _category_paths()
    for chunk in _chunks(ids):
        with transaction.atomic():
            # The categories and villages counted before the change, and after it (below).
            touched = set(
                ProductDocument.objects.filter(pk__in=chunk).values_list(
                    "category_slug", "village_code"
                )
            )
            docs = [
                _build(p, paths)
                for p in _products(chunk)
                if any(getattr(p, flag) for flag in MARKET_FLAGS.values())
            ]
            kept = {d.product_id for d in docs}
            gone = [pk for pk in chunk if pk not in kept]
            ProductDocument.objects.filter(pk__in=gone).delete()
            if docs:
                ProductDocument.objects.bulk_create(
                    docs,
                    update_conflicts=True,
                    unique_fields=["product"],
                    update_fields=list(_UPDATE_FIELDS),
                )
                if connection.vendor == "postgresql":
                    ProductDocument.objects.filter(pk__in=kept).update(document=document_vector())
            if recount:
                recount_facets(touched | {(d.category_slug, d.village_code) for d in docs})
        result.documents += docs
        result.removed += gone
    # Cached result pages were built from the old documents: let them go.
    bump_catalog_generation()
    return result


def price_range(currency: str) -> Case:
    """The facet value (``common.range_key``) of a document's price range in ``currency``."""
    from .backends import common

    price = common.price_field(currency)
    buckets = []
    for low, high in common.price_ranges(currency):
        bounds = Q(**{f"{price}__gte": low})
        if high is not None:
            bounds &= Q(**{f"{price}__lt": high})
        buckets.append(When(bounds, then=Value(common.range_key(low, high, currency))))
    return Case(*buckets, default=Value(""), output_field=CharField())


#: Rows per recount transaction of ``recount_all_facets``.
RECOUNT_BATCH = 200


def _lock_keys(keys: Sequence[tuple[str, str]]) -> None:
    """Transaction-level advisory locks on (category, village) pairs, always in the same order."""
    if connection.vendor != "postgresql":
        return  # SQLite has one writer at a time anyway
    locks = sorted(
        int.from_bytes(hashlib.sha256(repr(key).encode()).digest()[:8], "big", signed=True)
        for key in keys
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_advisory_xact_lock(k) FROM unnest(%s::bigint[]) AS k ORDER BY k", [locks]
        )


def recount_facets(keys: Iterable[tuple[str, str]]) -> None:
    """Count the documents again for these (category slug, village code) pairs.

    Called in the transaction that changed the documents. Two workers recounting the same pair
    at once take turns (a transaction-level advisory lock per pair, in a fixed order, so they
    cannot deadlock), and each statement then sees the other's committed documents: the last
    recount always counts every document.
    """
    wanted = sorted(set(keys))
    if not wanted:
        return
    with transaction.atomic():
        _lock_keys(wanted)
        where = reduce(
            operator.or_,
            (Q(category_slug=category, village_code=village) for category, village in wanted),
        )
        FacetCount.objects.filter(where).delete()
        rows = []
        for market, flag in MARKET_FLAGS.items():
            groups = (
                ProductDocument.objects.filter(where, **{flag: True})
                .annotate(price_range=price_range(MARKET_CURRENCIES[market]))
                .values("category_slug", "village_code", "price_range", "in_stock", "ships_to_eu")
                # Names and district follow the village; ``Max`` keeps one row per village even
                # while a renamed village's documents are being rewritten.
                .annotate(
                    n=Count("pk"),
                    district=Max("district_code"),
                    district_label=Max("district_name"),
                    village_label=Max("village_name"),
                )
                .order_by()
            )
            rows += [
                FacetCount(
                    market=market,
                    category_slug=g["category_slug"],
                    district_code=g["district"],
                    district_name=g["district_label"],
                    village_code=g["village_code"],
                    village_name=g["village_label"],
                    price_range=g["price_range"],
                    in_stock=g["in_stock"],
                    ships_to_eu=g["ships_to_eu"],
                    count=g["n"],
                )
                for g in groups
            ]
        FacetCount.objects.bulk_create(rows, batch_size=CHUNK_SIZE)


def recount_all_facets() -> None:
    """Recount every pair that has documents or counts (after a rebuild), a batch at a time."""
    keys = set(ProductDocument.objects.values_list("category_slug", "village_code").distinct())
    keys |= set(FacetCount.objects.values_list("category_slug", "village_code").distinct())
    ordered = sorted(keys)
    for start in range(0, len(ordered), RECOUNT_BATCH):
        recount_facets(ordered[start : start + RECOUNT_BATCH])


def rebuild_documents(progress: Progress | None = None) -> int:
    """Rebuild every document: the database backend's whole index. Returns how many there are.

    Rows of listings no market shows any more are deleted first, then every shown listing is
    rebuilt chunk by chunk (each chunk its own transaction, so searches keep working throughout).
    """
    shown = reduce(
        operator.or_,
        (Q(pk__in=products_for_market(code).values("pk")) for code in MARKET_FLAGS),
    )
    ProductDocument.objects.exclude(pk__in=Product.objects.filter(shown).values("pk")).delete()
    ids = list(Product.objects.filter(shown).order_by("pk").values_list("pk", flat=True))
    done = 0
    for chunk in _chunks(ids):
        refresh_documents(chunk, recount=False)
        done += len(chunk)
        if progress is not None:
            progress("documents", done, len(ids))
    # Once at the end rather than per chunk (a pair's documents are spread over many chunks).
    recount_all_facets()
    return ProductDocument.objects.count()


def index_products(product_ids: Iterable[int]) -> Refreshed:
    """Refresh these listings' documents, then send them to the external index if there is one."""
    from .backends import get_backend

    refreshed = refresh_documents(product_ids)
    get_backend().index(refreshed.documents, refreshed.removed)
    return refreshed


def reindex(progress: Progress | None = None, log: Callable[[str], None] | None = None) -> int:
    """Rebuild all documents, then the backend's index from them (``manage.py reindex``)."""
    from .backends import get_backend

    count = rebuild_documents(progress)
    if connection.vendor == "postgresql":
        # A bulk rebuild leaves the planner without statistics for the new rows: without them it
        # chooses sequential scans and the first searches after a reindex are many times slower.
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {ProductDocument._meta.db_table}")
    if log is not None:
        log(f"{count} documents in the database.")
    get_backend().rebuild(progress, log)
    return count

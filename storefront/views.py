"""The buyer pages: home, category, village, shop, product and search.

Server-rendered and light (buyers are on phones on slow links); every control is a link or a plain
GET form, so nothing needs JavaScript. Views only gather: which listings a market shows is
``products_for_market``/``search``'s rule, prices are ``markets.pricing``'s, and each page costs a
fixed number of queries whatever the number of listings (``tests/storefront/test_budget.py``).
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.cache import cache
from django.core.files.storage import default_storage
from django.core.paginator import EmptyPage, Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.html import strip_tags
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from marketplace.catalog.models import Product
from marketplace.core.cache import catalog_generation
from marketplace.markets.markets import Market, country_name, current_market
from marketplace.markets.pricing import lowest_price
from marketplace.photos.models import ProductPhoto
from marketplace.search import SearchQuery, SearchResult, search
from marketplace.search.query import FACETS

from . import links, selectors

#: og:image: the 1080 px WebP derivative (or the largest one, for smaller photos).
SHARE_IMAGE_WIDTH = 1080
#: The home page's listing sections are rebuilt at the latest after this, or on any catalog event.
HOME_CACHE_SECONDS = 600
#: Rendered lists of category and village pages (any catalog event also retires them).
LISTING_CACHE_SECONDS = 300
SORTS = ("relevance", "newest", "price_asc", "price_desc")
#: Search parameters of the pages, by the ``SearchQuery`` field they fill (URLs speak Indonesian).
PARAMS = {
    "text": "q",
    "category": "kategori",
    "district": "kecamatan",
    "village": "desa",
    "price_min": "harga_min",
    "price_max": "harga_maks",
    "in_stock": "stok",
    "ships_to_eu": "eu",
    "sort": "urut",
}


def _summary(html: str, length: int = 160) -> str:
    """Plain text for ``<meta name=description>`` and previews: tags stripped, one line."""
    return Truncator(" ".join(strip_tags(html).split())).chars(length)


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The home page. Its listing sections are the same for every buyer of a market and language,
    so they are rendered once per catalog generation (see ``marketplace.core.cache``)."""
    market = current_market(request)
    key = f"home:{catalog_generation()}:{get_language()}:{market.country}"
    sections = cache.get(key)
    if sections is None:
        sections = render_to_string(
            "storefront/_home_sections.html",
            {
                "villages": list(
                    selectors.villages_with_shops().order_by("-shop_count", "name")[
                        : selectors.HOME_VILLAGES
                    ]
                ),
                "categories": list(selectors.top_categories()),
                "cards": selectors.cards(selectors.new_listings(market), market),
                "market": market,
            },
            request=request,
        )
        cache.set(key, sections, HOME_CACHE_SECONDS)
    return render(
        request,
        "storefront/home.html",
        {"sections": mark_safe(sections), "canonical": links.canonical_url(request, "/")},  # noqa: S308 - our own rendered template
    )


# --- Search and the pages that list through it ----------------------------------------------


def _decimal(value: str) -> Decimal | None:
    value = value.strip().replace(" ", "")
    if not value:
        return None
    try:
        amount = Decimal(value.replace(",", "."))
    except InvalidOperation:
        return None
    return amount if amount.is_finite() and amount >= 0 else None


def _query(request: HttpRequest, market: Market, **fixed: Any) -> SearchQuery:
    """A ``SearchQuery`` from the page's GET parameters; ``fixed`` filters come from the URL."""
    get = request.GET
    sort = get.get(PARAMS["sort"], "")
    values: dict[str, Any] = {
        "text": get.get(PARAMS["text"], "").strip()[:200],
        "category": get.get(PARAMS["category"]) or None,
        "district": get.get(PARAMS["district"]) or None,
        "village": get.get(PARAMS["village"]) or None,
        "price_min": _decimal(get.get(PARAMS["price_min"], "")),
        "price_max": _decimal(get.get(PARAMS["price_max"], "")),
        "in_stock": True if get.get(PARAMS["in_stock"]) else None,
        "ships_to_eu": True if get.get(PARAMS["ships_to_eu"]) else None,
        "sort": sort if sort in SORTS else "relevance",
        "page": links.page_number(request),
        "language": get_language() or "id",
    }
    values.update(fixed)
    return SearchQuery(market, **values)


def _shown_facets(hidden: set[str]) -> tuple[str, ...]:
    return tuple(name for name in FACETS if name not in hidden)


@dataclass(frozen=True)
class FacetLink:
    label: str
    count: int
    href: str
    selected: bool


@dataclass(frozen=True)
class Facet:
    name: str
    title: str
    values: list[FacetLink]


FACET_TITLES = {
    "category": lambda: _("Category"),
    "district": lambda: _("District"),
    "village": lambda: _("Village"),
    "price": lambda: _("Price"),
    "in_stock": lambda: _("Availability"),
    "ships_to_eu": lambda: _("Shipping"),
}


def _facet_links(request: HttpRequest, result: SearchResult, hidden: set[str]) -> list[Facet]:
    """Each facet value as a link that sets (or, when selected, clears) its filter."""
    facets = []
    for name, make_title in FACET_TITLES.items():
        if name in hidden or not result.facets.get(name):
            continue
        values = []
        link = links.param_links(request.GET, PARAMS.get(name, name))
        for value in result.facets[name]:
            if name == "price":
                low, _sep, high = str(value.value).partition("-")
                selected = (
                    request.GET.get(PARAMS["price_min"], "") == low
                    and request.GET.get(PARAMS["price_max"], "") == high
                )
                href = links.with_params(
                    request.GET,
                    **{
                        PARAMS["price_min"]: None if selected else low,
                        PARAMS["price_max"]: None if selected else high,
                    },
                )
            elif name in ("in_stock", "ships_to_eu"):
                if str(value.value).lower() not in ("true", "1"):
                    continue
                selected = bool(request.GET.get(PARAMS[name]))
                href = links.with_params(request.GET, **{PARAMS[name]: None if selected else "1"})
            else:
                selected = request.GET.get(PARAMS[name], "") == str(value.value)
                href = link(None if selected else str(value.value))
            values.append(FacetLink(str(value.label), value.count, href, selected))
        if values:
            facets.append(Facet(name, str(make_title()), values))
    return facets


@dataclass(frozen=True)
class Pager:
    page: int
    pages: int
    previous: str | None
    next: str | None
    numbers: list[tuple[int | None, str]]


def _pager(request: HttpRequest, page: int, pages: int) -> Pager | None:
    """Page links: first, last and two either side of the current one (``None`` is a gap)."""
    if pages <= 1:
        return None

    def href(n: int) -> str:
        return links.with_params(request.GET, page=str(n) if n > 1 else None)

    shown = sorted({1, pages, *range(max(1, page - 2), min(pages, page + 2) + 1)})
    numbers: list[tuple[int | None, str]] = []
    for n in shown:
        if numbers and numbers[-1][0] is not None and n - numbers[-1][0] > 1:
            numbers.append((None, ""))
        numbers.append((n, href(n)))
    return Pager(
        page=page,
        pages=pages,
        previous=href(page - 1) if page > 1 else None,
        next=href(page + 1) if page < pages else None,
        numbers=numbers,
    )


def _cached_listing(request: HttpRequest, market: Market, hidden: set[str], **fixed: Any) -> str:
    """The rendered list (count, sorts, facets, cards, pager) of a category or village page.

    The same for every buyer of a market and language asking the same address, so it is rendered
    once per catalog generation (``marketplace.core.cache``): rendering 24 cards costs more than
    the search behind them. The address is the key, so filters, sorts and pages each get theirs.
    """
    path = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:32]
    key = f"listing:{catalog_generation()}:{get_language()}:{market.country}:{path}"
    html = cache.get(key)
    if html is None:
        html = render_to_string(
            "storefront/_listing.html", _listing(request, market, hidden, **fixed), request=request
        )
        cache.set(key, html, LISTING_CACHE_SECONDS)
    return mark_safe(html)  # noqa: S308 - our own template, rendered above


def _listing(
    request: HttpRequest, market: Market, hidden: set[str], **fixed: Any
) -> dict[str, Any]:
    """Run ``search`` for a listing page; the context its results, facets and pager need."""
    query = _query(request, market, facets=_shown_facets(hidden), **fixed)
    result = search(query)
    pages = max(1, math.ceil(result.total / result.page_size)) if result.page_size else 1
    if query.page > pages:
        raise Http404(_("There is no such page."))
    sorts = [
        ("relevance", _("Best match")),
        ("newest", _("Newest")),
        ("price_asc", _("Price: low to high")),
        ("price_desc", _("Price: high to low")),
    ]
    if not query.text:
        sorts = sorts[1:]
    return {
        "query": query,
        "result": result,
        "cards": selectors.cards(result.products, market),
        "facets": _facet_links(request, result, hidden),
        "pager": _pager(request, query.page, pages),
        "sorts": sorts,
        "sort": query.effective_sort,
        "params": PARAMS,
        "market": market,
        "hidden_params": [
            (name, value)
            for name in (
                PARAMS["text"],
                PARAMS["category"],
                PARAMS["district"],
                PARAMS["village"],
                PARAMS["sort"],
                PARAMS["in_stock"],
                PARAMS["ships_to_eu"],
            )
            for value in request.GET.getlist(name)[:1]
            if value
        ],
        "filtered": any(request.GET.get(p) for k, p in PARAMS.items() if k not in ("text", "sort")),
    }


@require_GET
def search_page(request: HttpRequest) -> HttpResponse:
    """The search page. Its results (count, sorts, facets, cards, pager) are cached like a
    category's list: rendering 24 cards cost more than the search itself. The key is the whole
    address, not only the normalised query, because the fragment's links echo the address's
    parameters; only the title and the heading (the words searched) are rendered per request.
    """
    market = current_market(request)
    query = _query(request, market)
    listing = _cached_listing(request, market, hidden=set())
    keep = tuple(PARAMS.values())
    return render(
        request,
        "storefront/search.html",
        {
            "query": query,
            "listing": listing,
            "canonical": links.canonical_url(request, keep=keep),
        },
    )


@require_GET
def category(request: HttpRequest, slug: str) -> HttpResponse:
    market = current_market(request)
    found = selectors.category(slug)
    if found is None:
        raise Http404(_("There is no such category."))
    # Child categories are links to their own pages (above the list), not a facet.
    listing = _cached_listing(request, market, hidden={"category"}, category=found.slug)
    return render(
        request,
        "storefront/category.html",
        {"category": found, "listing": listing, "canonical": links.canonical_url(request)},
    )


@require_GET
def village(request: HttpRequest, code: str, slug: str) -> HttpResponse:
    market = current_market(request)
    found = selectors.village(code)
    if found is None:
        raise Http404(_("No producers sell from this village yet."))
    if slug != links.village_slug(found):
        return HttpResponsePermanentRedirect(links.village_url(found))
    listing = _cached_listing(request, market, hidden={"district", "village"}, village=found.code)
    return render(
        request,
        "storefront/village.html",
        {
            "village": found,
            "listing": listing,
            "shops": selectors.shops_of(found),
            "canonical": links.canonical_url(request),
        },
    )


@require_GET
def shop(request: HttpRequest, slug: str) -> HttpResponse:
    market = current_market(request)
    found = selectors.shop(slug)
    if found is None:
        raise Http404(_("There is no such shop."))
    paginator = Paginator(selectors.shop_listings(found, market), selectors.PAGE_SIZE)
    number = links.page_number(request)
    try:
        page = paginator.page(number)
    except EmptyPage as exc:
        if number == 1:
            page = paginator.page(1)
        else:
            raise Http404(_("There is no such page.")) from exc
    return render(
        request,
        "storefront/shop.html",
        {
            "shop": found,
            "cards": selectors.cards(page.object_list, market),
            "total": paginator.count,
            "pager": _pager(request, number, paginator.num_pages),
            "canonical": links.canonical_url(request),
        },
    )


# --- Product ----------------------------------------------------------------------------------


def _share_image(request: HttpRequest, photo: ProductPhoto | None) -> dict[str, Any] | None:
    """The absolute URL and size of the derivative link previews show (never the master)."""
    if photo is None:
        return None
    rendition = photo.rendition_for(SHARE_IMAGE_WIDTH, "webp")
    if rendition is None:
        return None
    return {
        "url": request.build_absolute_uri(default_storage.url(rendition["name"])),
        "width": rendition["w"],
        "height": rendition["h"],
    }


@require_GET
def product(request: HttpRequest, pk: int, slug: str) -> HttpResponse:
    market = current_market(request)
    found = selectors.product(pk)
    if found is None:
        raise Http404(_("This product is not on sale."))
    if slug != links.product_slug(found):
        return HttpResponsePermanentRedirect(links.product_url(found))
    offered = selectors.offered_in(found, market)
    variants = list(found.variants.all())
    photos = list(found.photos.all())
    rows = selectors.variant_rows(variants, market) if offered else []
    price = lowest_price(variants, market) if offered else None
    canonical = request.build_absolute_uri(links.product_url(found))
    image = _share_image(request, photos[0] if photos else None)
    summary = _summary(found.description or "") or _summary(found.shop.story or "")
    return render(
        request,
        "storefront/product.html",
        {
            "product": found,
            "shop": found.shop,
            "photos": photos,
            "rows": rows,
            "price": price,
            "offered": offered,
            "in_stock": any(v.stock_quantity > 0 for v in variants),
            "market": market,
            "market_country": country_name(market.country),
            "canonical": canonical,
            "share_image": image,
            "summary": summary,
            "structured_data": _structured_data(found, rows, canonical, image, summary),
        },
    )


def _structured_data(
    product: Product,
    rows: list[selectors.VariantRow],
    canonical: str,
    image: dict[str, Any] | None,
    summary: str,
) -> dict[str, Any]:
    """schema.org ``Product`` for search engines: the same facts the page shows, no more."""
    shop = product.shop
    seller = {"@type": "Organization", "name": shop.name}
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Product",
        "name": str(product.title),
        "description": _summary(product.description or "", 5000) or summary,
        "url": canonical,
        "brand": {"@type": "Brand", "name": shop.name},
        "category": str(product.category.name),
    }
    if image:
        data["image"] = [image["url"]]
    if rows:
        data["sku"] = rows[0].variant.sku
        offers = [
            {
                "@type": "Offer",
                "sku": row.variant.sku,
                "name": row.variant.name or row.variant.sku,
                "price": str(row.price.gross.amount),
                "priceCurrency": str(row.price.gross.currency),
                "availability": "https://schema.org/"
                + ("OutOfStock" if row.stock == selectors.Stock.OUT else "InStock"),
                "url": canonical,
                "seller": seller,
            }
            for row in rows
            if row.price is not None
        ]
        if offers:
            data["offers"] = offers
    return data

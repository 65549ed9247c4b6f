"""Addresses of the buyer pages, built in one place.

Slugs are decoration, identifiers carry the meaning: ``/produk/<pk>-<slug>/`` and
``/desa/<code>-<slug>/`` keep working when a title or a spelling changes (the view redirects to the
current slug), and the slug is always made from the Indonesian text so one page has one address
whatever language the buyer reads it in.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.http import HttpRequest, QueryDict
from django.urls import reverse
from django.utils.text import slugify

from marketplace.catalog.models import Category, Product
from marketplace.regions.models import Region
from sellers.models import Shop

#: Query parameters that never make a different page (campaign tags, click ids).
TRACKING_PREFIXES = ("utm_", "fbclid", "gclid", "mc_", "ref", "_ga")
PAGE_PARAM = "halaman"


def product_slug(product: Product) -> str:
    title = getattr(product, "title_ind", None) or product.title
    return slugify(title)[:60].strip("-") or "produk"


def village_slug(village: Region) -> str:
    return slugify(village.display_name)[:60].strip("-") or "desa"


def product_url(product: Product) -> str:
    return reverse("storefront:product", kwargs={"pk": product.pk, "slug": product_slug(product)})


def village_url(village: Region) -> str:
    return reverse(
        "storefront:village", kwargs={"code": village.code, "slug": village_slug(village)}
    )


def shop_url(shop: Shop) -> str:
    return reverse("storefront:shop", kwargs={"slug": shop.slug})


def category_url(category: Category) -> str:
    return reverse("storefront:category", kwargs={"slug": category.slug})


def page_number(request: HttpRequest) -> int:
    """The requested page (1 when missing or nonsense; capped so no one walks to page 10^9)."""
    raw = request.GET.get(PAGE_PARAM, "")
    return min(int(raw), 1000) if raw.isdigit() and int(raw) >= 1 else 1


def canonical_url(request: HttpRequest, path: str | None = None, keep: tuple[str, ...] = ()) -> str:
    """The absolute address search engines and shared links should use for this page.

    Only the parameters in ``keep`` survive (a search's words and filters), plus the page number
    when it is above 1; tracking tags and everything else are dropped.
    """
    params = [
        (name, value)
        for name in keep
        if not name.startswith(TRACKING_PREFIXES)
        for value in request.GET.getlist(name)
        if value
    ]
    page = page_number(request)
    if page > 1:
        params.append((PAGE_PARAM, str(page)))
    url = request.build_absolute_uri(path or request.path)
    return f"{url}?{urlencode(params)}" if params else url


def with_params(query: QueryDict, **changes: str | None) -> str:
    """``?…`` for a link that changes some parameters of the current page (``None`` drops one).

    Changing a filter always returns to the first page. Spelled like ``QueryDict.urlencode`` of
    the changed copy (changed parameters move to the end), without copying the ``QueryDict``: a
    page with a village facet builds hundreds of these links.
    """
    named = {PAGE_PARAM if name == "page" else name: value for name, value in changes.items()}
    pairs = [
        (name, value)
        for name, values in query.lists()
        if name != PAGE_PARAM and name not in named
        for value in values
    ]
    pairs += [(name, str(value)) for name, value in named.items() if value not in (None, "")]
    encoded = urlencode(pairs)
    return f"?{encoded}" if encoded else "?"


def param_links(query: QueryDict, name: str) -> Callable[[str | None], str]:
    """``with_params(query, name=value)`` for many values of one parameter (a facet's links).

    The rest of the query string is the same for every value, so it is encoded once.
    """
    rest = urlencode(
        [
            (key, value)
            for key, values in query.lists()
            if key not in (PAGE_PARAM, name)
            for value in values
        ]
    )
    prefix = f"?{rest}&" if rest else "?"

    def link(value: str | None) -> str:
        if value in (None, ""):
            return f"?{rest}" if rest else "?"
        return prefix + urlencode([(name, str(value))])

    return link

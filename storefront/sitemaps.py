"""``/sitemap.xml`` (and ``/robots.txt`` pointing at it): every page a buyer can reach.

The same rules as the pages: published listings of approved shops, approved shops, villages with
an approved shop. The XML is cached under a fingerprint of the listings and shops (their count and
last change), so a listing removed or a shop suspended leaves the sitemap with the next request,
while an unchanged catalogue costs two small aggregate queries instead of a full render.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.core.cache import cache
from django.db.models import Count, Max, QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_GET

from marketplace.catalog.models import Category, Product
from marketplace.catalog.selectors import visible_products
from marketplace.regions.models import Region
from sellers.models import Shop

from . import links, selectors

CACHE_SECONDS = 6 * 3600


class HomeSitemap(Sitemap):
    changefreq = "daily"
    priority = 1.0

    def items(self) -> list[str]:
        return ["storefront:home"]

    def location(self, item: str) -> str:
        return reverse(item)


class CategorySitemap(Sitemap):
    changefreq = "daily"
    priority = 0.7

    def items(self) -> QuerySet[Category]:
        return Category.objects.order_by("position", "slug")

    def location(self, item: Category) -> str:
        return links.category_url(item)


class VillageSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.7

    def items(self) -> QuerySet[Region]:
        return selectors.villages_with_shops().order_by("code")

    def location(self, item: Region) -> str:
        return links.village_url(item)


class ShopSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.6

    def items(self) -> QuerySet[Shop]:
        return selectors.public_shops().order_by("pk")

    def location(self, item: Shop) -> str:
        return links.shop_url(item)

    def lastmod(self, item: Shop) -> datetime:
        return item.updated_at


class ProductSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.8
    limit = 10_000

    def items(self) -> QuerySet[Product]:
        return visible_products().order_by("pk")

    def location(self, item: Product) -> str:
        return links.product_url(item)

    def lastmod(self, item: Product) -> datetime:
        return item.updated_at


SITEMAPS: dict[str, type[Sitemap[Any]] | Sitemap[Any]] = {
    "home": HomeSitemap,
    "categories": CategorySitemap,
    "villages": VillageSitemap,
    "shops": ShopSitemap,
    "products": ProductSitemap,
}


def _fingerprint() -> str:
    """Changes whenever a listing or shop is added, deleted or changed (status included)."""
    parts: list[Any] = []
    for model in (Product, Shop):
        row = model.objects.aggregate(n=Count("pk"), last=Max("updated_at"))
        parts += [row["n"], row["last"]]
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:16]


@require_GET
def sitemap(request: HttpRequest) -> HttpResponse:
    page = request.GET.get("p", "1")
    key = f"storefront:sitemap:{request.get_host()}:{page}:{_fingerprint()}"
    cached = cache.get(key)
    if cached is not None:
        response = HttpResponse(cached, content_type="application/xml")
    else:
        response = sitemap_views.sitemap(request, sitemaps=SITEMAPS)
        response.render()
        if response.status_code != 200:
            return response
        cache.set(key, response.content, CACHE_SECONDS)
    response["X-Robots-Tag"] = "noindex, noodp, noarchive"
    return response


@require_GET
def robots_txt(request: HttpRequest) -> HttpResponse:
    lines = [
        "User-agent: *",
        "Disallow: /akun/",
        "Disallow: /penjual/",
        "Disallow: /operator/",
        "Disallow: /graphql/",
        "Disallow: /fasilitator/",
        "Disallow: /moderasi/",
        "Disallow: /cari/",
        f"Sitemap: {request.build_absolute_uri(reverse('storefront:sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")

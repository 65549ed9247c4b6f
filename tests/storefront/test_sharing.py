"""What a shared link carries: Open Graph tags, schema.org JSON-LD, the WhatsApp share text,
canonical addresses and the sitemap."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from marketplace.catalog.models import Category, Product
from marketplace.markets.formatting import format_money
from marketplace.markets.markets import market_for_country
from marketplace.markets.pricing import price_for
from marketplace.regions.models import Region
from sellers.models import Shop
from storefront import links

from .conftest import buyer, html, meta

pytestmark = pytest.mark.django_db


def json_ld(page: str) -> dict:
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert match, "no JSON-LD"
    return json.loads(match.group(1))


def whatsapp_share_text(page: str) -> str:
    match = re.search(r'href="https://wa\.me/\?text=([^"]*)"', page)
    assert match, "no WhatsApp share link"
    return parse_qs(urlsplit("?text=" + match.group(1)).query)["text"][0]


@pytest.fixture
def product(listing: Callable[..., Product]) -> Product:
    return listing(
        title={"id": "Kopi Lanang Kemiren", "en": "Kemiren peaberry coffee"}, photos=2, eur="9.50"
    )


@pytest.mark.parametrize("country", ["ID", "DE"])
def test_open_graph_and_json_ld_carry_title_price_and_photo(product: Product, country: str) -> None:
    market = market_for_country(country)
    shown = price_for(product.variants.get(), market)
    assert shown is not None
    page = html(buyer("en", country).get(links.product_url(product)))
    canonical = f"http://testserver{links.product_url(product)}"
    photo = product.photos.order_by("position").first()
    assert photo is not None
    image = f"http://testserver/media/photos/{photo.pk}/a1b2-1080w.webp"

    assert meta(page, "og:title") == "Kemiren peaberry coffee"
    assert meta(page, "og:type") == "product"
    assert meta(page, "og:url") == canonical
    assert meta(page, "og:image") == image
    assert meta(page, "og:image:width") == "1080"
    assert "Red-cherry robusta" in (meta(page, "og:description") or "")
    assert meta(page, "description") == meta(page, "og:description")
    assert meta(page, "product:price:amount") == str(shown.gross.amount)
    assert meta(page, "product:price:currency") == market.currency
    assert f'<link rel="canonical" href="{canonical}">' in page

    data = json_ld(page)
    assert data["@type"] == "Product"
    assert data["name"] == "Kemiren peaberry coffee"
    assert data["image"] == [image]
    assert data["sku"] == product.variants.get().sku
    assert data["brand"]["name"] == "Kopi Bu Sri"
    [offer] = data["offers"]
    assert offer["price"] == str(shown.gross.amount)
    assert offer["priceCurrency"] == market.currency
    assert offer["availability"] == "https://schema.org/InStock"
    assert offer["seller"]["name"] == "Kopi Bu Sri"


def test_the_whatsapp_link_carries_title_price_and_address(product: Product) -> None:
    for country, language in (("ID", "id"), ("DE", "de"), ("DE", "en")):
        shown = price_for(product.variants.get(), market_for_country(country))
        assert shown is not None
        page = html(buyer(language, country).get(links.product_url(product)))
        text = whatsapp_share_text(page)
        assert product.title_ind in text or "Kemiren peaberry coffee" in text  # type: ignore[attr-defined]
        assert format_money(shown.gross, language) in text
        assert text.endswith(f"http://testserver{links.product_url(product)}")


def test_seller_text_cannot_break_out_of_the_json_ld(listing: Callable[..., Product]) -> None:
    sneaky = listing(title={"id": 'Kopi </script><script>alert("x")</script> & teh'})
    page = html(buyer().get(links.product_url(sneaky)))
    assert "<script>alert" not in page
    assert json_ld(page)["name"] == 'Kopi </script><script>alert("x")</script> & teh'


def test_canonical_addresses_drop_tracking_and_the_first_page(
    listing: Callable[..., Product], shop: Shop, regions: dict[str, Region], coffee: Category
) -> None:
    for _ in range(26):
        listing(photos=0)
    cases = {
        "/?utm_source=wa&fbclid=1": "http://testserver/",
        "/kategori/kopi/?utm_campaign=x&halaman=1": "http://testserver/kategori/kopi/",
        "/kategori/kopi/?halaman=2&gclid=3": "http://testserver/kategori/kopi/?halaman=2",
        links.village_url(regions["kemiren"]) + "?halaman=2&urut=newest": (
            f"http://testserver{links.village_url(regions['kemiren'])}?halaman=2"
        ),
        "/toko/kopi-bu-sri/?ref=ig": "http://testserver/toko/kopi-bu-sri/",
        "/cari/?q=kopi&utm_medium=x&kategori=kopi&halaman=2": (
            "http://testserver/cari/?q=kopi&kategori=kopi&halaman=2"
        ),
    }
    for address, canonical in cases.items():
        page = html(buyer().get(address))
        assert f'<link rel="canonical" href="{canonical.replace("&", "&amp;")}">' in page, address
    assert buyer().get("/kategori/kopi/?halaman=9").status_code == 404


def test_the_sitemap_lists_every_public_page_and_is_cached(
    listing: Callable[..., Product], shop: Shop, regions: dict[str, Region]
) -> None:
    products = [listing() for _ in range(3)]
    first = buyer().get("/sitemap.xml")
    xml = html(first)
    assert first["Content-Type"].startswith("application/xml")
    assert "<loc>http://testserver/</loc>" in xml
    assert "<loc>http://testserver/kategori/kopi/</loc>" in xml
    assert f"<loc>http://testserver{links.village_url(regions['kemiren'])}</loc>" in xml
    assert "<loc>http://testserver/toko/kopi-bu-sri/</loc>" in xml
    for product in products:
        assert f"<loc>http://testserver{links.product_url(product)}</loc>" in xml
    assert links.village_url(regions["kampunganyar"]) not in xml
    with CaptureQueriesContext(connection) as queries:
        again = buyer().get("/sitemap.xml")
    assert again.content == first.content
    assert len(queries) == 2  # the fingerprint; the XML comes from the cache
    robots = buyer().get("/robots.txt").content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in robots

"""Buyers on phones: a German buyer finds coffee and sees euros with German VAT; an Indonesian
buyer browses a village in rupiah; a product page shares well on WhatsApp.

No JavaScript is needed by the pages: every step is a link or a plain form.
"""

from __future__ import annotations

import datetime
import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import Image, ImageDraw

from marketplace.catalog import services as catalog
from marketplace.catalog.models import Category, Product
from marketplace.markets.formatting import format_money
from marketplace.markets.markets import market_for_country
from marketplace.markets.pricing import DisplayPrice, price_for
from marketplace.photos.services import add_photo
from marketplace.regions.models import Region, VillageHall
from marketplace.taxes.models import VatRate
from sellers.models import MemberRole, Shop, ShopMembership, ShopStatus
from storefront import links
from tests.conftest import make_user
from tests.readiness.helpers import make_export_ready

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def photo(colour: tuple[int, int, int], seed: int) -> SimpleUploadedFile:
    """A 1200 x 900 JPEG (big enough for the 1080 px derivative), drawn, not downloaded."""
    image = Image.new("RGB", (1200, 900), colour)
    draw = ImageDraw.Draw(image)
    for i in range(12):
        x = (seed * 97 + i * 131) % 1100
        draw.ellipse((x, 200 + i * 40, x + 160, 360 + i * 40), fill=(201, 160, 90))
    from io import BytesIO

    buffer = BytesIO()
    image.save(buffer, "JPEG", quality=80)
    return SimpleUploadedFile(f"p{seed}.jpg", buffer.getvalue(), content_type="image/jpeg")


def kemiren() -> tuple[Shop, Any]:
    """Kemiren in Glagah with its hall, and an approved coffee shop (made with the ORM)."""
    owner = make_user(full_name="Ibu Sri Wahyuni", phone="+6281234500321")
    province = Region.objects.create(code="35", level="province", name="JAWA TIMUR")
    regency = Region.objects.create(
        code="3510", level="regency", name="KABUPATEN BANYUWANGI", parent=province
    )
    district = Region.objects.create(
        code="3510170", level="district", name="GLAGAH", parent=regency
    )
    village = Region.objects.create(
        code="3510170012", level="village", name="KEMIREN", parent=district
    )
    hall = VillageHall.objects.create(village=village, name="Balai Desa Kemiren")
    shop = Shop.objects.create(
        name="Kopi Bu Sri",
        slug="kopi-bu-sri",
        village=village,
        village_hall=hall,
        status=ShopStatus.APPROVED,
        whatsapp="+6281234500321",
        story="<p>Keluarga kami menanam kopi robusta di lereng Ijen sejak 1980.</p>",
    )
    ShopMembership.objects.create(shop=shop, user=owner, role=MemberRole.OWNER)
    # A transactional test before this one may have flushed the seeded rows.
    Category.objects.get_or_create(
        slug="kopi",
        defaults={
            "name": "Kopi", "name_ind": "Kopi", "name_en": "Coffee", "name_de": "Kaffee",
            "tax_class": "coffee", "is_food": True,
        },
    )  # fmt: skip
    VatRate.objects.get_or_create(
        country="DE",
        tax_class="coffee",
        valid_from=datetime.date(2026, 1, 1),
        defaults={"rate": Decimal("7")},
    )
    return shop, owner


def coffee_listing(shop: Shop, owner: Any, n: int, title: dict[str, str], idr: int) -> Product:
    product = catalog.create_product(
        owner,
        shop,
        catalog.ProductInput(
            category=Category.objects.get(slug="kopi"),
            title=title,
            description={
                "id": "<p>Robusta petik merah, dijemur di para-para bambu.</p>",
                "en": "<p>Red-cherry robusta, dried on raised bamboo beds.</p>",
                "de": "<p>Rot gepflückter Robusta, auf Bambusgestellen getrocknet.</p>",
            },
            ships_to_eu=True,
        ),
    )
    for v, (name, extra) in enumerate((("250 g", 0), ("1 kg", 160_000))):
        variant = catalog.save_variant(
            owner,
            product,
            catalog.VariantInput(
                sku=f"KO-{n}-{v}",
                name=name,
                price_idr=idr + extra,
                export_price_eur=Decimal("9.50") + v * 20,
                weight_grams=270,
            ),
        )
        catalog.adjust_stock(owner, variant, 2 if v else 25)
    add_photo(owner, product, photo((122, 62, 18), n), alt_text=title["id"])
    add_photo(owner, product, photo((60, 90, 40), n + 50), alt_text=title["id"])
    catalog.publish_product(owner, product)
    make_export_ready(product)
    product.refresh_from_db()
    return product


@pytest.fixture
def market_day(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.MEDIA_URL = "/media/"
    ARTIFACTS.mkdir(exist_ok=True)
    return tmp_path / "media"


def serve_media(page: Any, root: Path) -> None:
    """The live server serves no uploads (DEBUG is off): hand the browser the stored files."""

    def handle(route: Any) -> None:
        name = urlsplit(route.request.url).path.removeprefix("/media/")
        file = (root / name).resolve()
        if file.is_file() and root.resolve() in file.parents:
            route.fulfill(path=str(file))
        else:
            route.fulfill(status=404)

    page.route("**/media/**", handle)


def price(product: Product, country: str, variant: int = 0) -> DisplayPrice:
    shown = price_for(
        product.variants.order_by("position", "pk")[variant], market_for_country(country)
    )
    assert shown is not None
    return shown


def test_a_buyer_in_germany_finds_coffee_and_sees_euros_with_german_vat(
    page: Any, live_server: Any, market_day: Path
) -> None:
    shop, owner = kemiren()
    product = coffee_listing(
        shop,
        owner,
        1,
        {
            "id": "Kopi Robusta Kemiren",
            "en": "Kemiren robusta coffee",
            "de": "Robusta-Kaffee aus Kemiren",
        },
        65_000,
    )
    coffee_listing(shop, owner, 2, {"id": "Kopi Lanang", "en": "Peaberry coffee"}, 90_000)
    serve_media(page, market_day)

    page.goto(f"{live_server.url}/")
    assert page.locator("html").get_attribute("lang") == "id"
    # The footer: German, then Germany as the country the goods ship to.
    page.locator("#language").select_option("de")
    page.locator("form:has(#language) button").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "de"
    page.locator("#country").select_option("DE")
    page.locator("form:has(#country) button").click()
    page.wait_for_load_state()
    assert page.locator("#country").input_value() == "DE"

    page.locator("#find-q").fill("Kaffee")
    page.locator("#find-q").press("Enter")
    page.wait_for_url(re.compile(r"/cari/\?q=Kaffee"))
    page.screenshot(path=str(ARTIFACTS / "buyer-de-search.png"), full_page=True)
    page.get_by_role("link", name="Robusta-Kaffee aus Kemiren").first.click()
    page.wait_for_url(re.compile(r"/produk/"))

    shown = price(product, "DE")
    with translation.override("de"):
        label = shown.vat_label()
        amount = format_money(shown.gross, "de")
    assert shown.vat_rate == 7 and amount == "10,17\u00a0€"
    text = page.locator("main").inner_text()
    assert amount.replace("\u00a0", " ") in text.replace("\u00a0", " ")
    assert label in text and "7" in label and "DE" in label
    assert "IDR" not in text and "Rp" not in text
    page.screenshot(path=str(ARTIFACTS / "buyer-de-product.png"), full_page=True)


def test_a_buyer_in_indonesia_browses_a_village_in_rupiah(
    page: Any, live_server: Any, market_day: Path
) -> None:
    shop, owner = kemiren()
    product = coffee_listing(shop, owner, 1, {"id": "Kopi Robusta Kemiren"}, 65_000)
    coffee_listing(shop, owner, 2, {"id": "Kopi Lanang Kemiren"}, 90_000)
    serve_media(page, market_day)

    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="Kemiren", exact=True).click()
    page.wait_for_url(re.compile(r"/desa/3510170012-kemiren/"))
    assert page.locator("html").get_attribute("lang") == "id"
    text = page.locator("main").inner_text().replace("\u00a0", " ")
    assert "Balai Desa Kemiren" in text
    assert "Kopi Bu Sri" in text and "lereng Ijen" in text
    assert "Kopi Robusta Kemiren" in text and "Kopi Lanang Kemiren" in text
    assert format_money(price(product, "ID").gross, "id").replace("\u00a0", " ") in text
    assert "Rp 65.000" in text and "€" not in text
    # The cards' photos really load (not only their placeholders).
    first = page.locator(".item img").first
    first.scroll_into_view_if_needed()
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=first.element_handle()
    )
    page.screenshot(path=str(ARTIFACTS / "buyer-id-village.png"), full_page=True)


def test_the_product_page_shares_title_price_and_photo(
    page: Any, live_server: Any, market_day: Path
) -> None:
    shop, owner = kemiren()
    product = coffee_listing(
        shop, owner, 1, {"id": "Kopi Robusta Kemiren", "en": "Kemiren robusta coffee"}, 65_000
    )
    serve_media(page, market_day)
    page.context.add_cookies([{"name": "pasar_language", "value": "en", "url": live_server.url}])

    page.goto(f"{live_server.url}{links.product_url(product)}")
    canonical = f"{live_server.url}{links.product_url(product)}"
    shown = price(product, "ID")
    amount = format_money(shown.gross, "en")

    share = page.get_by_role("link", name="Share on WhatsApp").get_attribute("href")
    assert share is not None and share.startswith("https://wa.me/?text=")
    message = parse_qs(urlsplit(share).query)["text"][0]
    assert "Kemiren robusta coffee" in message and amount in message
    assert message.endswith(canonical)

    og = {
        prop: page.locator(f'meta[property="{prop}"]').get_attribute("content")
        for prop in ("og:title", "og:image", "og:url", "product:price:amount")
    }
    assert og["og:title"] == "Kemiren robusta coffee"
    assert og["og:url"] == canonical
    assert og["product:price:amount"] == str(shown.gross.amount)
    image = og["og:image"] or ""
    assert image.startswith(f"{live_server.url}/media/") and image.endswith("1080w.webp")
    assert (market_day / image.split("/media/")[1]).is_file()
    data = json.loads(page.locator('script[type="application/ld+json"]').inner_text())
    assert data["name"] == "Kemiren robusta coffee" and data["image"] == [image]
    assert data["offers"][0]["price"] == str(shown.gross.amount)

    # The first photo is in view and loaded; the page reads well on a phone.
    hero = page.locator(".gallery img").first
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=hero.element_handle())
    assert page.get_by_text("Only 2 left").is_visible()
    page.screenshot(path=str(ARTIFACTS / "buyer-product.png"), full_page=True)

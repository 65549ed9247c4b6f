"""Each buyer page renders in Indonesian by default and in English or German when chosen, with
rupiah on the Indonesian market and euros incl. the destination's VAT on the German one."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from marketplace.catalog.models import Category, Product
from marketplace.markets.formatting import format_money
from marketplace.markets.markets import market_for_country
from marketplace.markets.pricing import price_for
from marketplace.regions.models import Region
from sellers.models import Shop
from storefront import links

from .conftest import STORY, buyer, html

pytestmark = pytest.mark.django_db


def addresses(product: Product, shop: Shop, village: Region, category: Category) -> list[str]:
    return [
        "/",
        links.category_url(category),
        links.village_url(village),
        links.shop_url(shop),
        links.product_url(product),
        "/cari/?q=kopi",
    ]


@pytest.fixture
def product(listing: Callable[..., Product]) -> Product:
    return listing(
        title={"id": "Kopi Lanang Kemiren", "en": "Kemiren peaberry coffee", "de": "Perlbohnen"}
    )


@pytest.mark.parametrize(
    ("language", "title"),
    [
        (None, "Kopi Lanang Kemiren"),
        ("id", "Kopi Lanang Kemiren"),
        ("en", "Kemiren peaberry coffee"),
        ("de", "Perlbohnen"),
    ],
)
def test_every_page_speaks_the_chosen_language(
    language: str | None,
    title: str,
    product: Product,
    shop: Shop,
    regions: dict[str, Region],
    coffee: Category,
) -> None:
    client = buyer(language)
    for address in addresses(product, shop, regions["kemiren"], coffee):
        page = html(client.get(address))
        assert f'<html lang="{language or "id"}">' in page, address
        assert title in page, address
        assert '<link rel="canonical" href="http://testserver/' in page, address
        assert '<meta name="description" content="' in page, address


def test_english_pages_read_english(
    product: Product, shop: Shop, regions: dict[str, Region]
) -> None:
    client = buyer("en")
    page = html(client.get(links.product_url(product)))
    assert "The producer" in page
    assert "In stock" in page
    assert "Share on WhatsApp" in page
    village = html(client.get(links.village_url(regions["kemiren"])))
    assert "Village Kemiren" in village
    assert "District Glagah, Banyuwangi, East Java" in village
    assert "Village hall: Balai Desa Kemiren, Jl. Barong 1" in village
    assert "Keluarga kami menanam kopi" in village  # the producer's story


def test_a_product_without_a_translation_falls_back_to_indonesian(
    listing: Callable[..., Product],
) -> None:
    only_id = listing(title={"id": "Gula Aren Licin"})
    assert "Gula Aren Licin" in html(buyer("de").get(links.product_url(only_id)))
    assert "Gula Aren Licin" in html(buyer("en").get("/"))


def test_rupiah_on_the_indonesian_market(product: Product) -> None:
    variant = product.variants.get()
    shown = price_for(variant, market_for_country("ID"))
    assert shown is not None
    for language in ("id", "en"):
        page = html(buyer(language, "ID").get(links.product_url(product)))
        assert format_money(shown.gross, language) in page
        assert "€" not in page and "VAT" not in page
    home = html(buyer("id").get("/"))
    assert "Rp\u00a085.000" in home  # the card's lowest price


def test_euros_including_german_vat_on_the_german_market(
    listing: Callable[..., Product], batik: Category
) -> None:
    cloth = listing(
        category=batik, title={"id": "Batik Gajah Oling", "en": "Gajah Oling batik"}, eur="40.00"
    )
    variant = cloth.variants.get()
    shown = price_for(variant, market_for_country("DE"))
    assert shown is not None and shown.vat_rate == 19
    page = html(buyer("en", "DE").get(links.product_url(cloth)))
    assert format_money(shown.gross, "en") == "€47.60"
    assert "€47.60" in page
    assert "incl. 19% VAT, DE" in page
    assert "Ships from Indonesia; delivery 2\u20134 weeks." in page
    assert "IDR\u00a0" not in page
    # Coffee has Germany's reduced rate; the label says which.
    coffee = listing(eur="9.50")
    coffee_price = price_for(coffee.variants.get(), market_for_country("DE"))
    assert coffee_price is not None
    page = html(buyer("en", "DE").get(links.product_url(coffee)))
    assert format_money(coffee_price.gross, "en") in page
    assert coffee_price.vat_label() in page
    # The cards of the list pages carry the same price.
    search = html(buyer("en", "DE").get("/cari/?q=batik"))
    assert "€47.60" in search
    assert "Prices include the VAT of Germany; shipping is extra." in search


def test_stock_is_told_plainly(listing: Callable[..., Product]) -> None:
    plenty = listing(stock=20)
    few = listing(stock=2)
    none = listing(stock=0)
    client = buyer("en")
    assert "In stock" in html(client.get(links.product_url(plenty)))
    assert "Only 2 left" in html(client.get(links.product_url(few)))
    sold_out = html(client.get(links.product_url(none)))
    assert "Out of stock" in sold_out
    assert "Order from the seller on WhatsApp" not in sold_out
    home = html(client.get("/"))
    assert home.count('class="badge out"') == 1


def test_an_indonesia_only_listing_seen_from_germany_says_it_is_not_offered(
    listing: Callable[..., Product],
) -> None:
    local = listing(title={"id": "Tape Ketan", "en": "Sticky rice tape"}, eur=None)
    page = html(buyer("en", "DE").get(links.product_url(local)))
    assert "This product is not offered to buyers in Germany." in page
    assert "Sticky rice tape" in page
    assert "€" not in page and "IDR\u00a0" not in page
    assert "Order from the seller on WhatsApp" not in page
    assert 'property="product:price:amount"' not in page
    assert '"offers"' not in page
    # …and no list of the German market shows it.
    for address in ("/", "/cari/?q=tape", links.category_url(local.category)):
        assert "Sticky rice tape" not in html(buyer("en", "DE").get(address))
    # Indonesia sees it with its price.
    assert "IDR\u00a085,000" in html(buyer("en", "ID").get(links.product_url(local)))


def test_the_village_page_shows_the_place_its_producers_and_their_goods(
    product: Product, shop: Shop, regions: dict[str, Region], shop_factory: Callable[..., Shop]
) -> None:
    shop_factory(name="Batik Kemiren", slug="batik-kemiren", story="<p>Batik tulis.</p>")
    page = html(buyer("en").get(links.village_url(regions["kemiren"])))
    assert "Kopi Bu Sri" in page and "Batik Kemiren" in page
    assert "Batik tulis." in page and "Keluarga kami" in page
    assert "Kemiren peaberry coffee" in page
    assert 'href="/toko/kopi-bu-sri/"' in page
    # A wrong slug redirects to the page's one address; a village without shops has no page.
    wrong = buyer().get(f"/desa/{regions['kemiren'].code}-x/")
    assert wrong.status_code == 301 and wrong["Location"] == links.village_url(regions["kemiren"])
    assert buyer().get(links.village_url(regions["kampunganyar"])).status_code == 404


def test_home_lists_villages_with_their_shop_count_categories_and_new_listings(
    product: Product, shop: Shop, shop_factory: Callable[..., Shop], regions: dict[str, Region]
) -> None:
    shop_factory(name="Bambu Kemiren", slug="bambu-kemiren")
    page = html(buyer("en").get("/"))
    assert links.village_url(regions["kemiren"]) in page
    assert "2 shops" in page
    assert "Kampunganyar" not in page  # no approved shop there
    assert 'href="/kategori/kopi/"' in page and "Coffee" in page
    assert "Kemiren peaberry coffee" in page and links.product_url(product) in page
    assert "<picture>" in page


def test_the_category_page_lists_its_children_and_their_listings(
    listing: Callable[..., Product], coffee: Category
) -> None:
    arabica = Category.objects.create(
        slug="kopi-arabika",
        name="Kopi arabika",
        name_ind="Kopi arabika",
        name_en="Arabica",
        parent=coffee,
    )
    child_listing = listing(category=arabica, title={"id": "Arabika Ijen", "en": "Ijen arabica"})
    page = html(buyer("en").get(links.category_url(coffee)))
    assert 'href="/kategori/kopi-arabika/"' in page
    assert "Ijen arabica" in page
    child = html(buyer("en").get(links.category_url(arabica)))
    assert 'href="/kategori/kopi/"' in child  # back to the parent
    assert links.product_url(child_listing) in child
    assert buyer().get("/kategori/tidak-ada/").status_code == 404


def test_the_shop_page_tells_the_story_and_links_whatsapp(product: Product, shop: Shop) -> None:
    page = html(buyer("en").get(links.shop_url(shop)))
    assert STORY in page
    assert 'href="https://wa.me/6281234500011"' in page
    assert "Kemiren peaberry coffee" in page
    assert 'href="/desa/3510170012-kemiren/"' in page


def test_a_product_page_shows_photos_variants_and_the_producer(
    listing: Callable[..., Product],
) -> None:
    product = listing(variants=3, photos=3)
    page = html(buyer("en").get(links.product_url(product)))
    assert page.count("<picture>") == 3
    # The first photo loads at once, the others when scrolled to.
    images = re.findall(r"<img [^>]*>", page.split('class="gallery"')[1])[:3]
    assert 'loading="eager"' in images[0] and 'fetchpriority="high"' in images[0]
    assert all('loading="lazy"' in img for img in images[1:])
    assert 'srcset="/media/photos/' in page and "1080w.webp 1080w" in page
    for sku in ("250 g", "500 g", "750 g"):
        assert sku in page
    assert "IDR\u00a085,000" in page and "IDR\u00a0105,000" in page
    assert "Keluarga kami menanam kopi" in page
    assert "Red-cherry robusta" in page


def test_a_wrong_slug_redirects_to_the_product_address(product: Product) -> None:
    response = buyer().get(f"/produk/{product.pk}-judul-lama/")
    assert response.status_code == 301
    assert (
        response["Location"]
        == links.product_url(product)
        == f"/produk/{product.pk}-kopi-lanang-kemiren/"
    )


def test_pages_need_no_javascript(product: Product, shop: Shop, regions: dict[str, Region]) -> None:
    for address in addresses(product, shop, regions["kemiren"], product.category):
        page = html(buyer("en").get(address))
        scripts = re.findall(r"<script[^>]*>", page)
        assert all('type="application/ld+json"' in s for s in scripts), (address, scripts)
        for form in re.findall(r"<form [^>]*>", page):
            assert 'method="get"' in form or 'method="post"' in form
    search = html(buyer("en").get("/cari/?q=kopi"))
    assert '<form class="find" role="search" method="get" action="/cari/">' in search
    assert 'name="q"' in search

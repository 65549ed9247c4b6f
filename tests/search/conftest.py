"""A small Banyuwangi catalog built through the real services, for search tests."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pytest

from marketplace.catalog import services as catalog
from marketplace.catalog.models import Category, Product
from marketplace.markets.markets import Market, market_for_country
from marketplace.regions.models import Region
from marketplace.search import services
from sellers.models import Shop
from tests.readiness.helpers import make_export_ready


@pytest.fixture
def id_market() -> Market:
    return market_for_country("ID")


@pytest.fixture
def eu_market() -> Market:
    return market_for_country("DE")


@pytest.fixture
def places(regions: dict[str, Region]) -> dict[str, Region]:
    """Glagah (Kemiren) from ``regions``, plus Licin, Glenmore, Rogojampi and Banyuwangi town."""
    regency = regions["regency"]

    def district(code: str, name: str) -> Region:
        return Region.objects.create(code=code, level="district", name=name, parent=regency)

    def village(code: str, name: str, parent: Region) -> Region:
        return Region.objects.create(code=code, level="village", name=name, parent=parent)

    licin = district("3510171", "LICIN")
    glenmore = district("3510080", "GLENMORE")
    rogojampi = district("3510120", "ROGOJAMPI")
    town = district("3510180", "BANYUWANGI")
    return {
        **regions,
        "licin": licin,
        "licin_village": village("3510171007", "LICIN", licin),
        "glenmore": glenmore,
        "tulungrejo": village("3510080002", "TULUNGREJO", glenmore),
        "rogojampi": rogojampi,
        "gintangan": village("3510120006", "GINTANGAN", rogojampi),
        "town": town,
        "temenggungan": village("3510180011", "TEMENGGUNGAN", town),
    }


@dataclass
class Seller:
    """A shop and its owner, who lists through the catalog services."""

    owner: Any
    shop: Shop
    counter: list[int] = field(default_factory=lambda: [0])

    def list(
        self,
        category: str,
        title: dict[str, str],
        description: dict[str, str] | None = None,
        *,
        price: int = 50_000,
        export_price: str | None = None,
        stock: int = 5,
        ships_to_eu: bool = False,
        publish: bool = True,
    ) -> Product:
        self.counter[0] += 1
        product = catalog.create_product(
            self.owner,
            self.shop,
            catalog.ProductInput(
                category=Category.objects.get(slug=category),
                title=title,
                description=description or {},
                ships_to_eu=ships_to_eu,
            ),
        )
        variant = catalog.save_variant(
            self.owner,
            product,
            catalog.VariantInput(
                sku=f"{self.shop.slug}-{self.counter[0]}",
                price_idr=price,
                export_price_eur=export_price,
            ),
        )
        if stock:
            catalog.adjust_stock(self.owner, variant, stock)
        if publish:
            catalog.publish_product(self.owner, product)
        if ships_to_eu and export_price:
            make_export_ready(product)
        product.refresh_from_db()
        return product


@pytest.fixture
def seller_factory(
    shop_factory: Callable[..., Shop], user_factory: Callable[..., Any]
) -> Callable[..., Seller]:
    counter = iter(range(1, 10_000))

    def make(name: str, village: Region, **kw: Any) -> Seller:
        n = next(counter)
        owner = user_factory(phone=f"+6281377{n:05d}")
        return Seller(owner, shop_factory(owner=owner, name=name, village=village, **kw))

    return make


@pytest.fixture
def goods(places: dict[str, Region], seller_factory: Callable[..., Seller]) -> dict[str, Product]:
    """The demo's goods in their real villages; documents rebuilt, as after ``reindex``."""
    kemiren = seller_factory("Warung Pak Slamet", places["kemiren"])
    licin = seller_factory("Kebun Lereng Ijen", places["licin_village"])
    glenmore = seller_factory("Kakao Glenmore", places["tulungrejo"])
    gintangan = seller_factory("Kerajinan Gintangan", places["gintangan"])
    batik = seller_factory("Sanggar Gajah Oling", places["temenggungan"])
    g = {
        "lanang": kemiren.list(
            "kopi",
            {
                "id": "Kopi lanang (peaberry) Osing",
                "en": "Osing peaberry coffee (kopi lanang)",
                "de": "Osing-Perlbohnenkaffee (Kopi Lanang)",
            },
            {"id": "Biji tunggal yang dipilih satu per satu oleh ibu-ibu Kemiren."},
            price=85_000,
            export_price="12.00",
            ships_to_eu=True,
        ),
        "robusta": licin.list(
            "kopi",
            {
                "id": "Kopi Robusta sangrai sedang",
                "en": "Robusta coffee, medium roast",
                "de": "Robusta-Kaffee, mittlere Röstung",
            },
            {"id": "Petik merah dari lereng Ijen, disangrai dengan cara petani Osing."},
            price=65_000,
            export_price="9.50",
            ships_to_eu=True,
        ),
        "gift": licin.list(
            "lainnya",
            {
                "id": "Paket oleh-oleh Banyuwangi",
                "en": "Banyuwangi coffee gift set",
                "de": "Kaffee-Geschenkset aus Banyuwangi",
            },
            price=150_000,
            export_price="21.00",
            ships_to_eu=True,
        ),
        "nibs": glenmore.list(
            "kakao-cokelat",
            {"id": "Nib kakao fermentasi Glenmore", "en": "Fermented cocoa nibs from Glenmore"},
            {"id": "Biji kakao difermentasi lima hari, untuk taburan cokelat."},
            price=45_000,
        ),
        "bar": glenmore.list(
            "kakao-cokelat",
            {"id": "Cokelat batang 70% kakao", "en": "70% dark chocolate bar"},
            price=30_000,
            export_price="5.50",
            ships_to_eu=True,
            stock=0,
        ),
        "powder": glenmore.list(
            "kakao-cokelat",
            {"id": "Bubuk coklat murni", "en": "Pure cocoa powder"},
            price=40_000,
        ),
        "basket": gintangan.list(
            "kerajinan-bambu",
            {"id": "Keranjang anyaman bambu Gintangan", "en": "Woven bamboo basket"},
            {"id": "Dianyam tangan oleh pengrajin Gintangan."},
            price=120_000,
            export_price="18.00",
            ships_to_eu=True,
        ),
        "pandan": gintangan.list(
            "lainnya",
            {"id": "Tas anyaman pandan", "en": "Woven pandan bag"},
            price=90_000,
        ),
        "steamer": gintangan.list(
            "kerajinan-bambu",
            {"id": "Kukusan bambu", "en": "Bamboo rice steamer"},
            price=25_000,
        ),
        "batik": batik.list(
            "batik-tekstil",
            {"id": "Batik tulis Gajah Oling motif Osing", "en": "Osing Gajah Oling batik"},
            price=650_000,
            export_price="45.00",
            ships_to_eu=True,
        ),
    }
    services.rebuild_documents()
    return g


def ids(products: list[Product]) -> list[int]:
    return [p.pk for p in products]


def price(value: str) -> Decimal:
    return Decimal(value)

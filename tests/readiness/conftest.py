"""Listings that pass every readiness rule, so each test case breaks exactly one thing.

Rows are written with the ORM (not the catalog's services) because the rules read data, not how it
got there; the services' own tests cover the writes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone, translation
from djmoney.money import Money

from marketplace.accounts.models import User
from marketplace.catalog.models import Category, Product, ProductStatus, ProductVariant
from marketplace.documents.models import ExportDocument
from marketplace.photos.models import ProductPhoto
from marketplace.plots.models import ProductionPlot, ProductPlot
from marketplace.readiness.models import NUTRITION_KEYS, EuResponsiblePerson, ExportProfile
from sellers.models import Shop

#: The day the rules are checked on: fixed, so document ages do not drift with the calendar.
TODAY = dt.date(2026, 11, 23)

#: A point in Kemiren, Banyuwangi (longitude first), six decimals.
KEMIREN = [114.312345, -8.201234]


def square(lon: float, lat: float, side: float) -> dict[str, Any]:
    """A closed square polygon, ``side`` degrees wide (0.002° ≈ 220 m ≈ 4.9 ha here)."""
    ring = [
        [round(lon, 6), round(lat, 6)],
        [round(lon + side, 6), round(lat, 6)],
        [round(lon + side, 6), round(lat + side, 6)],
        [round(lon, 6), round(lat + side, 6)],
        [round(lon, 6), round(lat, 6)],
    ]
    return {"type": "Polygon", "coordinates": [ring]}


@pytest.fixture(autouse=True)
def _english() -> None:
    """Messages are compared in English (the msgids); Indonesian catalogues come later."""
    translation.activate("en")


@pytest.fixture
def seller(user_factory: Callable[..., User]) -> User:
    return user_factory(phone="+6281234500002", full_name="Pak Slamet")


@pytest.fixture
def shop(shop_factory: Callable[..., Shop], seller: User) -> Shop:
    return shop_factory(seller, name="Kopi Kemiren")


def _texts(stem: str) -> dict[str, str]:
    return {
        "title_ind": f"{stem} (Indonesia)",
        "title_en": f"{stem} (English)",
        "title_de": f"{stem} (Deutsch)",
        "title_nl": f"{stem} (Nederlands)",
        "title_fr": f"{stem} (Français)",
        "description_ind": "Dari Kemiren.",
        "description_en": "From Kemiren.",
        "description_de": "Aus Kemiren.",
        "description_nl": "Uit Kemiren.",
        "description_fr": "De Kemiren.",
    }


def _listing(shop: Shop, category_slug: str, hs_code: str, stem: str) -> Product:
    product = Product.objects.create(
        shop=shop,
        category=Category.objects.get(slug=category_slug),
        status=ProductStatus.PUBLISHED,
        ships_to_eu=True,
        hs_code=hs_code,
        **_texts(stem),
    )
    ProductVariant.objects.create(
        product=product,
        sku=f"{stem[:3].upper()}-250",
        price=Money(85000, "IDR"),
        export_price=Money("9.50", "EUR"),
        weight_grams=250,
        length_mm=150,
        width_mm=80,
        height_mm=60,
    )
    for position in range(3):
        ProductPhoto.objects.create(
            product=product, position=position, master=f"m/{position}.jpg", width=800, height=600
        )
    return product


def add_document(
    product: Product, kind: str, *, issued_on: dt.date, valid_until: dt.date | None, own: bool
) -> ExportDocument:
    return ExportDocument.objects.create(
        shop=product.shop,
        product=product if own else None,
        kind=kind,
        number=f"{kind}-1",
        issuer="Laboratorium Uji Banyuwangi",
        issued_on=issued_on,
        valid_until=valid_until,
        file="documents/2026/11/test.pdf",
        content_type="application/pdf",
    )


def add_plot(
    product: Product, *, area_ha: str, geometry: dict[str, Any], name: str = "Kebun"
) -> ProductionPlot:
    plot = ProductionPlot.objects.create(
        shop=product.shop,
        name=name,
        area_ha=Decimal(area_ha),
        geometry=geometry,
        harvest_start=dt.date(2026, 6, 1),
        harvest_end=dt.date(2026, 8, 31),
    )
    ProductPlot.objects.create(product=product, plot=plot)
    return plot


@pytest.fixture
def coffee(shop: Shop) -> Product:
    """Roasted Kemiren coffee: food, an EUDR commodity, a spice-like contaminant risk (lab report);
    ready for every EU state."""
    product = _listing(shop, "kopi", "090121", "Kopi Osing")
    ExportProfile.objects.create(
        product=product,
        ingredients={lang: "100% robusta" for lang in ("en", "de", "nl", "fr")},
        allergens=[],
        allergens_declared=True,
        net_quantity="250 g",
        shelf_life_days=365,
        nutrition={key: "0" for key in NUTRITION_KEYS},
        food_business_name="Kopi Kemiren",
        food_business_address="Desa Kemiren, Glagah, Banyuwangi",
        pirt_number="123456789012345",
        harvest_start=dt.date(2026, 6, 1),
        harvest_end=dt.date(2026, 8, 31),
        deforestation_free_declared=True,
        declared_at=timezone.now(),
        dds_reference="25IDABCDEF1234",
    )
    add_document(product, "halal", issued_on=dt.date(2026, 1, 5), valid_until=None, own=False)
    add_document(
        product, "lab_report", issued_on=dt.date(2026, 9, 1), valid_until=dt.date(2027, 9, 1),
        own=True,
    )  # fmt: skip
    add_document(
        product, "deforestation_evidence", issued_on=dt.date(2026, 9, 1), valid_until=None,
        own=True,
    )  # fmt: skip
    add_plot(product, area_ha="2", geometry={"type": "Point", "coordinates": KEMIREN})
    return product


@pytest.fixture
def eu_partner(db: None) -> EuResponsiblePerson:
    return EuResponsiblePerson.objects.create(
        name="Pasar Kampung Europe B.V.",
        address="Keizersgracht 1, 1015 CJ Amsterdam, NL",
        email="gpsr@pasarkampung.eu",
        is_marketplace_default=True,
    )


@pytest.fixture
def batik(shop: Shop, eu_partner: EuResponsiblePerson) -> Product:
    """A printed cotton batik: non-food (GPSR), ready for every EU state."""
    product = _listing(shop, "batik-tekstil", "520851", "Batik Gajah Oling")
    ExportProfile.objects.create(
        product=product,
        manufacturer_name="Batik Sekar Jagad",
        manufacturer_address="Desa Kemiren, Glagah, Banyuwangi, Indonesia",
        manufacturer_email="batik@example.id",
        product_identifier="GO-2026-11",
        safety_warnings={
            "en": "Wash separately.",
            "de": "Getrennt waschen.",
            "nl": "Apart wassen.",
            "fr": "Laver séparément.",
        },
    )
    return product

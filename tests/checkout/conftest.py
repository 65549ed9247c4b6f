"""A small market to buy from: one seller's shop in Kemiren, test couriers, buyers with addresses."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone, translation
from djmoney.money import Money

from marketplace.accounts.models import User
from marketplace.addresses.models import Address
from marketplace.addresses.services import AddressInput, create_address
from marketplace.catalog import services as catalog
from marketplace.catalog.models import Category, ProductVariant
from marketplace.checkout.models import Checkout
from marketplace.shipping.models import Courier, DomesticRate, InternationalRate, ShippingSettings
from sellers.models import Shop
from tests.readiness.helpers import make_export_ready

#: Our own courier, so the figures below do not depend on the demo tariffs.
DOMESTIC_OPTION = "tk-reg"
EU_OPTION = "tk-air"


@pytest.fixture(autouse=True)
def _english() -> None:
    """Messages are compared in English (the msgids); Indonesian catalogues come later."""
    translation.activate("en")


@pytest.fixture
def rates(db: None) -> None:
    """Packaging 100 g per parcel; Rp 20,000 for the first kg to Jakarta (+15,000 per kg);
    €10 for the first kg to DE/NL/FR (+€5 per kg)."""
    # Starting today, this row wins over any seeded one.
    ShippingSettings.objects.create(
        valid_from=timezone.localdate(),
        packaging_grams_per_parcel=100,
        packaging_grams_per_item=0,
        default_item_weight_grams=500,
    )
    courier = Courier.objects.create(code="tk", name="Tes Kirim", domestic=True, international=True)
    for province in ("31", "35"):
        DomesticRate.objects.create(
            courier=courier, service_code="reg", service="REG", origin_code="3510",
            province_code=province, first_weight_grams=1000, first_price=Money(20000, "IDR"),
            step_grams=1000, step_price=Money(15000, "IDR"), max_weight_grams=30000, source="test",
        )  # fmt: skip
    for country in ("DE", "NL", "FR"):
        InternationalRate.objects.create(
            courier=courier, service_code="air", service="Air", country=country,
            first_weight_grams=1000, first_price=Money("10.00", "EUR"), step_grams=1000,
            step_price=Money("5.00", "EUR"), max_weight_grams=20000, source="test",
        )  # fmt: skip


@pytest.fixture
def seller(user_factory: Callable[..., User]) -> User:
    return user_factory(phone="+6281234500002", full_name="Pak Slamet")


@pytest.fixture
def shop(shop_factory: Callable[..., Shop], seller: User, rates: None) -> Shop:
    return shop_factory(seller, name="Kopi Kemiren")


@pytest.fixture
def sell(seller: User) -> Callable[..., ProductVariant]:
    """Publish a listing with one variant through the catalog's services, as a seller would."""
    counter = iter(range(1, 100_000))

    def make(
        shop: Shop,
        *,
        price: int = 85_000,
        stock: int = 10,
        eur: str | None = None,
        category: str = "kopi",
        weight: int = 250,
        title: str = "",
        hs_code: str = "",
    ) -> ProductVariant:
        n = next(counter)
        product = catalog.create_product(
            seller,
            shop,
            catalog.ProductInput(
                category=Category.objects.get(slug=category),
                title={"id": title or f"Kopi Osing {n}"},
                ships_to_eu=eur is not None,
            ),
        )
        if hs_code:
            product.hs_code = hs_code
            product.save(update_fields=["hs_code"])
        variant = catalog.save_variant(
            seller,
            product,
            catalog.VariantInput(
                sku=f"SKU-{n}", price_idr=price, export_price_eur=eur, weight_grams=weight
            ),
        )
        if stock:
            catalog.adjust_stock(seller, variant, stock)
        catalog.publish_product(seller, product)
        if eur is not None:
            make_export_ready(product)
        variant.refresh_from_db()
        return variant

    return make


@pytest.fixture
def buyer(user_factory: Callable[..., User]) -> User:
    return user_factory(email="rina@example.com", phone="+6281234500003", full_name="Rina")


@pytest.fixture
def jakarta(buyer: User) -> Address:
    return create_address(
        buyer,
        AddressInput(
            country="ID", full_name="Rina", phone="081234500003", street="Jl. Kemang Raya 5",
            postal_code="12730", village_name="Bangka", district="Mampang Prapatan",
            regency="Kota Jakarta Selatan", province_code="31",
        ),
    )  # fmt: skip


@pytest.fixture
def eu_address(buyer: User) -> Callable[[str], Address]:
    examples = {
        "DE": ("Torstraße 12", "10119", "Berlin", "+49 30 1234567"),
        "NL": ("Prinsengracht 1", "1015 DV", "Amsterdam", "+31 20 123 4567"),
        "FR": ("1 rue de Rivoli", "75001", "Paris", "+33 1 42 60 30 00"),
    }

    def make(country: str) -> Address:
        street, postcode, city, phone = examples[country]
        return create_address(
            buyer,
            AddressInput(
                country=country, full_name="Rina", phone=phone, street=street,
                postal_code=postcode, city=city,
            ),
        )  # fmt: skip

    return make


@pytest.fixture
def cart(buyer: User) -> Checkout:
    return Checkout.objects.create(user=buyer, country="ID")


def as_money(amount: Any, currency: str) -> Money:
    return Money(amount, currency)

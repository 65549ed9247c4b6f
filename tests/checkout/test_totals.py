"""The summary: per-shop parcels, shipping, EU VAT and duty, and the problems a buyer must settle."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.utils import translation
from djmoney.money import Money

from marketplace.accounts.models import User
from marketplace.addresses.models import Address
from marketplace.catalog import services as catalog
from marketplace.checkout import services
from marketplace.checkout.models import Checkout
from marketplace.checkout.totals import summarise
from sellers.models import Shop

from .conftest import DOMESTIC_OPTION, EU_OPTION

pytestmark = pytest.mark.django_db


def eu_cart(buyer: User, address: Address) -> Checkout:
    cart = Checkout.objects.create(user=buyer, country=address.country.code)
    services.set_address(cart, address)
    return cart


def test_domestic_parcel_figures(cart: Checkout, shop: Shop, sell: Any, jakarta: Address) -> None:
    services.set_address(cart, jakarta)
    services.add_line(cart, sell(shop, price=85_000, weight=250), 2)
    services.set_delivery(cart, shop, DOMESTIC_OPTION)
    summary = summarise(cart)
    assert summary.problems == []
    (parcel,) = summary.parcels
    assert parcel.weight_grams == 600  # 2 x 250 g + 100 g packaging
    assert parcel.regime == "domestic"
    assert parcel.subtotal == Money(170_000, "IDR")
    assert parcel.shipping == Money(20_000, "IDR")
    assert (parcel.vat, parcel.duty) == (Money(0, "IDR"), Money(0, "IDR"))
    assert summary.total == Money(190_000, "IDR")


def test_each_shop_is_its_own_parcel(
    cart: Checkout, shop: Shop, shop_factory: Callable[..., Shop], seller: User, sell: Any,
    jakarta: Address,
) -> None:  # fmt: skip
    second = shop_factory(seller, name="Batik Temenggungan")
    services.set_address(cart, jakarta)
    services.add_line(cart, sell(shop, price=50_000, weight=900), 2)  # 1,900 g: 2 kg
    services.add_line(cart, sell(second, price=30_000, weight=200), 1)
    services.set_delivery(cart, shop, DOMESTIC_OPTION)
    services.set_delivery(cart, second, DOMESTIC_OPTION)
    summary = summarise(cart)
    assert [p.shipping for p in summary.parcels] == [Money(35_000, "IDR"), Money(20_000, "IDR")]
    assert summary.subtotal == Money(130_000, "IDR")
    assert summary.shipping == Money(55_000, "IDR")
    assert summary.total == Money(185_000, "IDR")


def test_german_buyers_forty_euro_coffee_parcel(
    buyer: User, shop: Shop, sell: Any, eu_address: Callable[[str], Address]
) -> None:
    cart = eu_cart(buyer, eu_address("DE"))
    services.add_line(cart, sell(shop, eur="20.00", weight=250), 2)  # €40 net, coffee 7 %
    services.set_delivery(cart, shop, EU_OPTION)
    summary = summarise(cart)
    assert summary.problems == []
    (parcel,) = summary.parcels
    assert parcel.regime == "ioss"
    assert parcel.subtotal == Money("42.80", "EUR")  # 2 x €21.40, the displayed price
    assert parcel.shipping == Money("10.70", "EUR")  # €10 + 7 % VAT on delivery
    assert parcel.vat == Money("3.50", "EUR")  # included in the two figures above
    assert parcel.duty == Money("3.00", "EUR")  # one subheading (0901), €3 since July 2026
    assert summary.total == Money("56.50", "EUR")
    assert summary.due_on_delivery is None


def test_dutch_buyers_two_hundred_euro_batik_parcel(
    buyer: User, shop: Shop, sell: Any, eu_address: Callable[[str], Address]
) -> None:
    cart = eu_cart(buyer, eu_address("NL"))
    batik = sell(shop, eur="100.00", weight=400, category="batik-tekstil")
    services.add_line(cart, batik, 2)
    services.set_delivery(cart, shop, EU_OPTION)
    summary = summarise(cart)
    (parcel,) = summary.parcels
    assert parcel.regime == "import"
    # Above €150 nothing is charged for VAT or duty now: goods net + shipping.
    assert parcel.subtotal == Money("200.00", "EUR")
    assert parcel.lines[0].unit_charged == Money("100.00", "EUR")
    assert (parcel.vat, parcel.duty) == (Money(0, "EUR"), Money(0, "EUR"))
    assert summary.total == Money("210.00", "EUR")
    assert parcel.taxes is not None and parcel.taxes.due_on_delivery is not None
    assert summary.due_on_delivery == parcel.taxes.due_on_delivery
    assert summary.due_on_delivery > Money("40.00", "EUR")  # 21 % VAT alone is over €44


def test_french_buyers_mixed_parcel_pays_duty_per_subheading(
    buyer: User, shop: Shop, sell: Any, eu_address: Callable[[str], Address]
) -> None:
    cart = eu_cart(buyer, eu_address("FR"))
    coffee = sell(shop, eur="10.00", weight=250, hs_code="090121")  # 5.5 %
    ground = sell(shop, eur="8.00", weight=250, hs_code="090121")
    batik = sell(shop, eur="30.00", weight=300, category="batik-tekstil", hs_code="520852")  # 20 %
    for variant in (coffee, ground, batik):
        services.add_line(cart, variant, 1)
    services.set_delivery(cart, shop, EU_OPTION)
    summary = summarise(cart)
    (parcel,) = summary.parcels
    assert parcel.regime == "ioss"
    assert parcel.subtotal == Money("10.55", "EUR") + Money("8.44", "EUR") + Money("36.00", "EUR")
    assert parcel.duty == Money("6.00", "EUR")  # two distinct subheadings
    # Shipping €10 split by goods' net value: €3.75 at 5.5 %, €6.25 at 20 %.
    assert parcel.shipping == Money("11.46", "EUR")  # 10 + 0.21 + 1.25
    assert summary.total == Money("72.45", "EUR")


def test_problems_are_listed_in_words(
    cart: Checkout, shop: Shop, sell: Any, seller: User, jakarta: Address
) -> None:
    changed = sell(shop, price=85_000, title="Kopi Lanang")
    scarce = sell(shop, stock=5, title="Gula Aren")
    gone = sell(shop, stock=2, title="Keripik Tempe")
    for variant, quantity in ((changed, 1), (scarce, 4), (gone, 2)):
        services.add_line(cart, variant, quantity)
    catalog.save_variant(
        seller, changed.product,
        catalog.VariantInput(sku=changed.sku, price_idr=90_000, weight_grams=250), changed,
    )  # fmt: skip
    catalog.adjust_stock(seller, scarce, -3)
    catalog.adjust_stock(seller, gone, -2)
    with translation.override("en"):
        summary = summarise(cart)
    assert [(p.code, p.message) for p in summary.problems] == [
        ("price_changed", "The price of Kopi Lanang changed from IDR\xa085,000 to IDR\xa090,000."),
        ("low_stock", "Only 2 of Gula Aren left; lower the quantity."),
        ("out_of_stock", "Keripik Tempe is sold out; remove it from your cart."),
        ("no_address", "Enter the shipping address."),
    ]
    services.set_address(cart, jakarta)
    services.accept_prices(cart)
    services.remove_line(cart, gone)
    services.set_line_quantity(cart, scarce, 2)
    with translation.override("en"):
        summary = summarise(cart)
    assert [(p.code, p.message) for p in summary.problems] == [
        ("no_shipping", "Choose a delivery for the parcel from Kopi Kemiren."),
    ]


def test_a_guest_needs_an_email_address(shop: Shop, sell: Any) -> None:
    guest_cart = Checkout.objects.create(country="ID")
    services.add_line(guest_cart, sell(shop), 1)
    assert "no_contact" in [p.code for p in summarise(guest_cart).problems]
    services.set_contact(guest_cart, email="tamu@example.com")
    guest_cart.refresh_from_db()
    assert "no_contact" not in [p.code for p in summarise(guest_cart).problems]


def test_an_empty_cart_cannot_be_placed(cart: Checkout) -> None:
    summary = summarise(cart)
    assert summary.is_empty and [p.code for p in summary.problems] == ["empty"]


@pytest.mark.parametrize("country", ["ID", "DE"])
def test_summary_costs_the_same_queries_for_3_or_12_lines(
    country: str,
    buyer: User,
    shop: Shop,
    shop_factory: Callable[..., Shop],
    seller: User,
    sell: Any,
    jakarta: Address,
    eu_address: Callable[[str], Address],
    django_assert_max_num_queries: Any,
) -> None:
    second = shop_factory(seller)
    counts = []
    for size in (3, 12):
        Checkout.objects.filter(user=buyer).delete()
        cart = Checkout.objects.create(user=buyer, country=country)
        services.set_address(cart, jakarta if country == "ID" else eu_address(country))
        for n in range(size):
            services.add_line(cart, sell(shop if n % 2 else second, eur="9.00"), 1)
        option = DOMESTIC_OPTION if country == "ID" else EU_OPTION
        services.set_delivery(cart, shop, option)
        services.set_delivery(cart, second, option)
        summarise(Checkout.objects.get(pk=cart.pk))  # warm the rate caches
        cart = Checkout.objects.get(pk=cart.pk)
        with django_assert_max_num_queries(5) as captured:
            summary = summarise(cart)
        assert summary.problems == [] and len(summary.parcels) == 2
        counts.append(len(captured))
    assert counts[0] == counts[1]

"""Parcel weights and courier prices: shipped demo tariffs, brackets, limits, cache.

Expected prices come from the shipped demo tariff (migration 0002): from Banyuwangi JNE REG
costs Rp 11,000 per started kg to Jawa Timur; J&T EZ x1.02, SiCepat x0.95, Pos Kilat Khusus x0.9
and JNE YES x1.8, rounded to Rp 500. To Germany Pos Indonesia's parcel costs €18 for the first kg
and €8 per further kg, EMS €22 for the first 500 g and €6 per further 500 g (Poland: €20 + €9,
€24.50 + €6.50). Packaging: 150 g per parcel, 20 g per unit; 500 g for a unit without weight.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.utils import translation
from djmoney.money import Money

from marketplace.regions.models import Region
from marketplace.shipping.models import Courier, DomesticRate, InternationalRate, ShippingSettings
from marketplace.shipping.provinces import PROVINCES
from marketplace.shipping.selectors import (
    Destination,
    ParcelItem,
    ShippingUnavailable,
    parcel_weight,
    shipping_options,
    shipping_quote,
)
from marketplace.taxes.countries import EU_COUNTRIES
from sellers.models import Shop

pytestmark = pytest.mark.django_db

JATIM = Destination("ID", "35")
GERMANY = Destination("DE")
#: 250 g x 2 + 1,000 g + 20 g x 3 units + 150 g = 1,710 g: two started kilograms.
PARCEL = [ParcelItem(250, 2), ParcelItem(1000, 1)]


def one_item_parcel(total_grams: int) -> list[ParcelItem]:
    """A single unit whose parcel (with 150 + 20 g packaging) weighs ``total_grams``."""
    return [ParcelItem(total_grams - 170, 1)]


@pytest.fixture
def shop(shop_factory: Callable[..., Shop]) -> Shop:
    return Shop.objects.select_related("village").get(pk=shop_factory().pk)


def test_parcel_weight_is_items_plus_packaging() -> None:
    assert parcel_weight(PARCEL) == 1710
    assert parcel_weight([ParcelItem(0, 2)]) == 2 * (500 + 20) + 150  # no weight entered
    assert parcel_weight([]) == 0
    assert parcel_weight([ParcelItem(300, 0)]) == 0


def test_an_operators_packaging_change_applies_at_once() -> None:
    assert parcel_weight(PARCEL) == 1710  # cached now
    ShippingSettings.objects.create(
        valid_from=datetime.date(2026, 1, 2),
        packaging_grams_per_parcel=400,
        packaging_grams_per_item=0,
        default_item_weight_grams=500,
    )
    assert parcel_weight(PARCEL) == 1500 + 400


def test_domestic_options_cheapest_first_in_rupiah(shop: Shop) -> None:
    options = shipping_options(shop, JATIM, PARCEL)

    assert [(o.code, o.price) for o in options] == [
        ("pos-kilat", Money(20_000, "IDR")),
        ("sicepat-reg", Money(21_000, "IDR")),
        ("jne-reg", Money(22_000, "IDR")),
        ("jnt-ez", Money(22_000, "IDR")),  # same price: by code
        ("jne-yes", Money(40_000, "IDR")),
    ]
    jne = options[2]
    assert (jne.courier, jne.service, jne.weight_grams) == ("JNE", "REG", 1710)
    assert (jne.days_min, jne.days_max) == (1, 2)


@pytest.mark.parametrize(
    ("grams", "price"),
    [(1000, 11_000), (1001, 22_000), (2000, 22_000), (2001, 33_000), (30_000, 330_000)],
)
def test_every_started_kilogram_is_charged(shop: Shop, grams: int, price: int) -> None:
    quote = shipping_quote(shop, JATIM, one_item_parcel(grams), "jne-reg")
    assert quote.weight_grams == grams
    assert quote.price == Money(price, "IDR")


@pytest.mark.parametrize(
    ("country", "grams", "parcel", "ems"),
    [
        ("DE", 1710, "26.00", "40.00"),  # 18 + 1 x 8; 22 + 3 x 6
        ("DE", 500, "18.00", "22.00"),
        ("DE", 501, "18.00", "28.00"),
        ("PL", 1710, "29.00", "44.00"),  # 20 + 1 x 9; 24.50 + 3 x 6.50
    ],
)
def test_international_options_in_euro(
    shop: Shop, country: str, grams: int, parcel: str, ems: str
) -> None:
    options = shipping_options(shop, Destination(country), one_item_parcel(grams))

    assert [(o.code, o.price) for o in options] == [
        ("pos-parcel", Money(Decimal(parcel), "EUR")),
        ("pos-ems", Money(Decimal(ems), "EUR")),
    ]
    assert options[0].service == "Paket Pos Internasional"


def test_a_district_rate_wins_over_the_regency_rate(
    shop: Shop, shop_factory: Callable[..., Shop], regions: dict[str, Region]
) -> None:
    pesanggaran = Region.objects.create(
        code="3510010", level="district", name="PESANGGARAN", parent=regions["regency"]
    )
    sarongan = Region.objects.create(
        code="3510010005", level="village", name="SARONGAN", parent=pesanggaran
    )
    elsewhere = shop_factory(village=sarongan)
    DomesticRate.objects.create(
        courier=Courier.objects.get(code="jne"),
        service_code="reg",
        service="REG",
        origin_code="3510170",  # Glagah only
        province_code="35",
        first_price=Money(9_000, "IDR"),
        step_price=Money(8_000, "IDR"),
        source="test",
    )

    assert shipping_quote(shop, JATIM, PARCEL, "jne-reg").price == Money(17_000, "IDR")
    assert shipping_quote(elsewhere, JATIM, PARCEL, "jne-reg").price == Money(22_000, "IDR")


def test_a_service_that_does_not_serve_the_province_is_refused(shop: Shop) -> None:
    papua_pegunungan = Destination("ID", "97")
    codes = [o.code for o in shipping_options(shop, papua_pegunungan, PARCEL)]
    assert "jne-yes" not in codes and "jne-reg" in codes

    with pytest.raises(ShippingUnavailable) as caught:
        shipping_quote(shop, papua_pegunungan, PARCEL, "jne-yes")

    assert caught.value.code == "shipping_unavailable"
    with translation.override("en"):
        assert caught.value.messages == [
            "This shipping service does not deliver from this shop to Papua Pegunungan."
        ]


def test_nowhere_we_do_not_ship(shop: Shop) -> None:
    assert shipping_options(shop, Destination("US"), PARCEL) == []
    assert shipping_options(shop, Destination("ID", "99"), PARCEL) == []
    assert shipping_options(shop, Destination("ID"), PARCEL) == []
    with pytest.raises(ShippingUnavailable):
        shipping_quote(shop, Destination("US"), PARCEL, "pos-ems")
    with pytest.raises(ShippingUnavailable):
        shipping_quote(shop, GERMANY, PARCEL, "jne-reg")  # a domestic courier


def test_a_parcel_over_the_maximum_weight(shop: Shop) -> None:
    heavy = one_item_parcel(30_001)
    assert shipping_options(shop, JATIM, heavy) == []
    with pytest.raises(ShippingUnavailable) as caught:
        shipping_quote(shop, JATIM, heavy, "jne-reg")
    assert caught.value.code == "parcel_too_heavy"
    with translation.override("en"):
        assert "30.001 kg" in caught.value.messages[0]
        assert "at most 30 kg" in caught.value.messages[0]

    # Pos Indonesia's parcel stops at 20 kg, EMS carries 30 kg.
    assert [o.code for o in shipping_options(shop, GERMANY, one_item_parcel(25_000))] == ["pos-ems"]


def test_an_inactive_courier_is_offered_to_nobody(shop: Shop) -> None:
    assert "jne-reg" in [o.code for o in shipping_options(shop, JATIM, PARCEL)]  # cached now
    jne = Courier.objects.get(code="jne")
    jne.active = False
    jne.save()

    assert [o.code for o in shipping_options(shop, JATIM, PARCEL)] == [
        "pos-kilat",
        "sicepat-reg",
        "jnt-ez",
    ]


def test_an_operators_rate_change_applies_at_once(shop: Shop) -> None:
    assert shipping_quote(shop, GERMANY, PARCEL, "pos-ems").price == Money("40.00", "EUR")
    rate = InternationalRate.objects.get(courier__code="pos", service_code="ems", country="DE")
    rate.step_price = Money("7.00", "EUR")
    rate.save()
    assert shipping_quote(shop, GERMANY, PARCEL, "pos-ems").price == Money("43.00", "EUR")


def test_the_demo_tariff_covers_every_province_and_member_state() -> None:
    for p in PROVINCES:
        codes = {
            f"{c}-{s}"
            for c, s in DomesticRate.objects.filter(
                origin_code="3510", province_code=p.code
            ).values_list("courier__code", "service_code")
        }
        assert {"jne-reg", "jnt-ez", "pos-kilat"} <= codes, p
    for country in EU_COUNTRIES:
        assert InternationalRate.objects.filter(country=country).count() == 2, country
    assert set(DomesticRate.objects.values_list("source", flat=True)) == {
        "demo rates, 2026, replace with the courier's tariff"
    }


def test_five_shops_read_the_tables_once(
    shop_factory: Callable[..., Shop], django_assert_max_num_queries: Any
) -> None:
    ids = [shop_factory().pk for _ in range(5)]
    shops = list(Shop.objects.select_related("village").filter(pk__in=ids))
    for destination in (JATIM, GERMANY):
        # Cold: the rate table and the settings, one query each, however many shops.
        with django_assert_max_num_queries(2):
            for shop in shops:
                shipping_options(shop, destination, PARCEL)
                shipping_quote(
                    shop, destination, PARCEL, "pos-ems" if destination is GERMANY else "jne-reg"
                )
        with django_assert_max_num_queries(0):
            for shop in shops:
                shipping_options(shop, destination, PARCEL)


def test_operators_edit_rates_in_the_admin(user_factory: Any, client: Client) -> None:
    client.force_login(user_factory(email="ops@pasar.test", is_staff=True, is_superuser=True))
    for model in ["courier", "domesticrate", "internationalrate", "shippingsettings"]:
        response = client.get(f"/operator/shipping/{model}/")
        assert response.status_code == 200, model
    response = client.get("/operator/shipping/domesticrate/", {"province_code": "94"})
    assert response.context["cl"].result_count == 4  # no JNE YES to Papua


def test_a_bad_rate_is_refused_with_a_message(user_factory: Any, client: Client) -> None:
    client.force_login(user_factory(email="ops@pasar.test", is_staff=True, is_superuser=True))
    jne = Courier.objects.get(code="jne")
    form = {
        "courier": jne.pk,
        "service_code": "reg",
        "service": "REG",
        "origin_code": "35",  # a province, not a regency or district
        "province_code": "51",
        "first_weight_grams": "1000",
        "first_price_0": "12000",
        "first_price_1": "IDR",
        "step_grams": "0",
        "step_price_0": "12000",
        "step_price_1": "IDR",
        "max_weight_grams": "30000",
        "source": "test",
    }
    with translation.override("en"):
        response = client.post("/operator/shipping/domesticrate/add/", form)

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "origin_code" in errors and "step_grams" in errors
    assert not DomesticRate.objects.filter(origin_code="35").exists()


def test_the_database_refuses_a_zero_step() -> None:
    rate = InternationalRate.objects.get(courier__code="pos", service_code="ems", country="DE")
    rate.step_grams = 0
    with pytest.raises(IntegrityError), transaction.atomic():
        rate.save()

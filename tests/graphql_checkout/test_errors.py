"""Refusals are typed errors, per field, in the user's language, and leave nothing behind."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.test import Client

from marketplace.addresses.models import Address
from marketplace.catalog.models import ProductVariant
from marketplace.orders.models import Order
from marketplace.payments.models import Payment
from tests.conftest import GraphQLClient
from tests.payments.conftest import stripe_fake  # noqa: F401  (fixture)
from tests.payments.stripe_fake import PUBLISHABLE_KEY

from .conftest import DOMESTIC_OPTION, EU_OPTION, JAKARTA, Shopper, money


def test_a_bad_address_names_each_field_and_saves_nothing(
    shopper: Shopper, shop: Any, sell: Callable[..., ProductVariant]
) -> None:
    shopper.create("ID")
    shopper.add(sell(shop), 1)

    refused = shopper.address(
        {**JAKARTA, "fullName": " ", "postalCode": "ABC", "phone": "12", "provinceCode": ""}
    )

    assert refused["checkout"] is None
    by_field = {error["field"]: error for error in refused["errors"]}
    assert set(by_field) == {"fullName", "postalCode", "phone", "provinceCode"}
    assert by_field["fullName"] == {
        "field": "fullName",
        "code": "required",
        "message": "Enter the recipient's full name.",
    }
    assert by_field["provinceCode"]["message"] == "Choose the province."
    assert by_field["postalCode"]["message"].startswith("This is not a postal code")
    assert not Address.objects.exists()
    assert shopper.run(
        "query($token: UUID!) { checkout(token: $token) { shippingAddress { street } } }",
        "checkout",
    ) == {"shippingAddress": None}


def test_an_eu_address_is_checked_for_its_country(
    shopper: Shopper, shop: Any, sell: Callable[..., ProductVariant]
) -> None:
    shopper.create("DE")
    refused = shopper.address(
        {"country": "DE", "fullName": "Rina", "phone": "+49 30 1234567",
         "street": "Torstraße 12", "postalCode": "1011", "city": ""}
    )  # fmt: skip
    assert {(e["field"], e["code"]) for e in refused["errors"]} == {
        ("postalCode", "invalid_postal_code"),
        ("city", "required"),
    }
    unknown_village = shopper.address({**JAKARTA, "villageCode": "9999999999"})
    assert [(e["field"], e["code"]) for e in unknown_village["errors"]] == [
        ("villageCode", "invalid")
    ]


def test_errors_are_in_the_users_language(
    client: Client, gql: GraphQLClient, as_user: Callable[[Any], None], buyer: Any
) -> None:
    order_query = 'mutation { bankTransferConfirm(id: "UGF5bWVudDox") { errors { code message } } }'
    as_user(buyer)
    client.cookies["pasar_language"] = "id"
    indonesian = gql(order_query)["data"]["bankTransferConfirm"]["errors"]
    client.cookies["pasar_language"] = "de"
    german = gql(order_query)["data"]["bankTransferConfirm"]["errors"]
    assert indonesian == [
        {"code": "permission_denied", "message": "Anda tidak punya izin untuk melakukan ini."}
    ]
    assert german == [{"code": "permission_denied", "message": "Dazu sind Sie nicht berechtigt."}]


def test_a_sold_out_item_refuses_the_order_and_keeps_everything(
    shopper: Shopper,
    as_user: Callable[[Any], None],
    buyer: Any,
    shop: Any,
    sell: Callable[..., ProductVariant],
) -> None:
    coffee = sell(shop, stock=2, title="Kopi Lanang")
    as_user(buyer)
    shopper.create("ID")
    shopper.add(coffee, 2)
    shopper.address(JAKARTA)
    shopper.delivery(shop, DOMESTIC_OPTION)
    ProductVariant.objects.filter(pk=coffee.pk).update(stock_quantity=1)  # someone was faster

    refused = shopper.complete("BANK_TRANSFER")

    assert refused["payment"] is None and refused["orders"] == []
    assert [(e["field"], e["code"]) for e in refused["errors"]] == [(None, "out_of_stock")]
    assert "Kopi Lanang" in refused["errors"][0]["message"]
    assert not Order.objects.exists() and not Payment.objects.exists()
    coffee.refresh_from_db()
    assert coffee.stock_quantity == 1


def test_a_wrong_delivery_code_is_an_error_on_that_field(
    shopper: Shopper, shop: Any, sell: Callable[..., ProductVariant]
) -> None:
    shopper.create("ID")
    shopper.add(sell(shop), 1)
    early = shopper.delivery(shop, DOMESTIC_OPTION)
    assert [(e["field"], e["code"]) for e in early["errors"]] == [("shippingAddress", "required")]
    shopper.address(JAKARTA)
    wrong = shopper.delivery(shop, "carrier-pigeon")
    assert [(e["field"], e["code"]) for e in wrong["errors"]] == [("optionCode", "invalid")]
    unchosen = shopper.complete("BANK_TRANSFER")
    assert [(e["field"], e["code"]) for e in unchosen["errors"]] == [
        (None, "no_shipping"),
        (None, "no_contact"),  # a guest: no e-mail address yet
    ]
    assert unchosen["errors"][0]["message"] == f"Choose a delivery for the parcel from {shop.name}."
    assert not Order.objects.exists()


def test_a_german_buyer_sees_vat_and_duty_confirms_the_terms_and_pays_by_card(
    shopper: Shopper,
    as_user: Callable[[Any], None],
    buyer: Any,
    shop: Any,
    sell: Callable[..., ProductVariant],
    stripe_fake: Any,  # noqa: F811
) -> None:
    coffee = sell(shop, eur="20.00", weight=250)  # €40 net for two, coffee 7 %
    as_user(buyer)
    shopper.create("DE")
    shopper.add(coffee, 2)
    shopper.address(
        {"country": "DE", "fullName": "Rina", "phone": "+49 30 1234567",
         "street": "Torstraße 12", "postalCode": "10119", "city": "Berlin"}
    )  # fmt: skip
    checkout = shopper.delivery(shop, EU_OPTION)["checkout"]
    [parcel] = checkout["parcels"]
    assert parcel["regime"] == "ioss"
    assert parcel["taxes"]["regime"] == "ioss"
    assert Decimal(parcel["taxes"]["vat"]["amount"]) == Decimal("3.50")
    assert Decimal(parcel["taxes"]["duty"]["amount"]) == Decimal("3.00")
    assert {Decimal(line["rate"]) for line in parcel["taxes"]["vatLines"]} == {Decimal(7)}
    assert money(checkout["total"]) == (Decimal("56.50"), "EUR")
    assert checkout["lines"][0]["unitPrice"]["vatLabel"] == "incl. 7% VAT, DE"

    by_transfer = shopper.complete("BANK_TRANSFER", terms=True)
    assert [(e["field"], e["code"]) for e in by_transfer["errors"]] == [("method", "invalid")]
    unconfirmed = shopper.complete("STRIPE")
    assert [(e["field"], e["code"]) for e in unconfirmed["errors"]] == [("acceptTerms", "required")]
    assert not Order.objects.exists() and not Payment.objects.exists()

    paid = shopper.complete("STRIPE", terms=True)
    assert paid["errors"] == []
    assert paid["payment"]["stripe"]["clientSecret"].startswith("pi_")
    assert paid["payment"]["stripe"]["publishableKey"] == PUBLISHABLE_KEY
    assert paid["payment"]["bankTransfer"] is None
    assert money(paid["payment"]["amount"]) == (Decimal("56.50"), "EUR")
    assert [o["status"] for o in paid["orders"]] == ["UNPAID"]

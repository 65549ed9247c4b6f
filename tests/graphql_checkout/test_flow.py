"""A buyer in Jakarta checks out by GraphQL, pays by bank transfer, an operator confirms, the
seller ships, the buyer reads the tracking number: the whole path an app takes."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from marketplace.catalog.models import ProductVariant
from marketplace.checkout.models import Checkout
from marketplace.orders.models import Order
from marketplace.payments.models import Payment
from tests.conftest import GraphQLClient

from .conftest import DELETE, DOMESTIC_OPTION, EU_OPTION, JAKARTA, UPDATE, Shopper, gid, money

ORDER = """query($number: String!) { order(number: $number) {
  number status courier trackingNumber total { amount currency } shop { name }
  lines { productTitle quantity unitPrice { amount currency } lineTotal { amount } }
  payment { method status }
} }"""
CONFIRM = """mutation($id: ID!) { bankTransferConfirm(id: $id) {
  payment { status orders { status } } errors { field code message } } }"""
FULFIL = """mutation($id: ID!, $tracking: String!) {
  orderFulfil(id: $id, trackingNumber: $tracking) {
    order { status courier trackingNumber } errors { field code message } } }"""


def test_buyer_checks_out_pays_by_transfer_operator_confirms_seller_ships(
    shopper: Shopper,
    gql: GraphQLClient,
    as_user: Callable[[Any], None],
    buyer: Any,
    seller: Any,
    operator: Any,
    shop: Any,
    sell: Callable[..., ProductVariant],
) -> None:
    coffee = sell(shop, price=85_000, stock=5, weight=250, title="Kopi Osing Kemiren")
    as_user(buyer)

    created = shopper.create("ID")
    assert created["lines"] == [] and [p["code"] for p in created["problems"]] == ["empty"]

    added = shopper.add(coffee, 2)
    assert added["errors"] == []
    line = added["checkout"]["lines"][0]
    assert line["quantity"] == 2
    assert line["product"]["title"] == "Kopi Osing Kemiren"
    assert money(line["unitPrice"]["gross"]) == (Decimal(85000), "IDR")
    assert money(line["total"]) == (Decimal(170000), "IDR")

    addressed = shopper.address(JAKARTA)
    assert addressed["errors"] == []
    parcel = addressed["checkout"]["parcels"][0]
    assert parcel["shop"]["name"] == "Kopi Kemiren"
    options = {o["code"]: o for o in parcel["shippingOptions"]}
    # 2 x 250 g + 100 g packaging: the first kilogram's rate to Jakarta.
    assert money(options[DOMESTIC_OPTION]["price"]) == (Decimal(20000), "IDR")
    assert parcel["chosenShipping"] is None
    assert [p["code"] for p in addressed["checkout"]["problems"]] == ["no_shipping"]

    delivered = shopper.delivery(shop, DOMESTIC_OPTION)
    assert delivered["errors"] == []
    checkout = delivered["checkout"]
    assert checkout["parcels"][0]["chosenShipping"]["code"] == DOMESTIC_OPTION
    assert checkout["parcels"][0]["regime"] == "domestic"
    assert checkout["parcels"][0]["taxes"] is None
    assert money(checkout["total"]) == (Decimal(190000), "IDR")
    assert checkout["problems"] == [] and checkout["canComplete"] is True

    placed = shopper.complete("BANK_TRANSFER")
    assert placed["errors"] == []
    payment = placed["payment"]
    assert payment["method"] == "BANK_TRANSFER" and payment["status"] == "PENDING"
    transfer = payment["bankTransfer"]
    code = transfer["uniqueCode"]
    assert 1 <= code <= 999
    assert Decimal(transfer["amount"]["amount"]) == Decimal(190_000 + code)
    assert transfer["accountNumber"] and transfer["deadline"]
    assert payment["stripe"] is None
    [order] = placed["orders"]
    assert order["status"] == "UNPAID" and money(order["total"]) == (Decimal(190000), "IDR")
    assert payment["orders"] == [{"number": order["number"]}]
    assert placed["checkout"]["completedAt"]
    coffee.refresh_from_db()
    assert coffee.stock_quantity == 3

    as_user(operator)
    confirmed = gql(CONFIRM, {"id": payment["id"]})["data"]["bankTransferConfirm"]
    assert confirmed == {
        "payment": {"status": "SUCCEEDED", "orders": [{"status": "PAID"}]},
        "errors": [],
    }

    as_user(seller)
    shipped = gql(FULFIL, {"id": order["id"], "tracking": "TK123456789"})["data"]["orderFulfil"]
    assert shipped == {
        "order": {"status": "SHIPPED", "courier": "Tes Kirim", "trackingNumber": "TK123456789"},
        "errors": [],
    }

    as_user(buyer)
    seen = gql(ORDER, {"number": order["number"]})["data"]["order"]
    assert seen["status"] == "SHIPPED" and seen["trackingNumber"] == "TK123456789"
    [sold] = seen["lines"]
    assert (sold["productTitle"], sold["quantity"]) == ("Kopi Osing Kemiren", 2)
    assert money(sold["unitPrice"]) == (Decimal(85000), "IDR")
    assert Decimal(sold["lineTotal"]["amount"]) == 170_000
    assert seen["payment"] == {"method": "BANK_TRANSFER", "status": "SUCCEEDED"}


def test_completing_twice_with_the_same_key_places_one_order_and_one_payment(
    shopper: Shopper,
    as_user: Callable[[Any], None],
    buyer: Any,
    shop: Any,
    sell: Callable[..., ProductVariant],
) -> None:
    coffee = sell(shop, stock=5)
    as_user(buyer)
    shopper.create("ID")
    shopper.add(coffee, 1)
    shopper.address(JAKARTA)
    shopper.delivery(shop, DOMESTIC_OPTION)

    first = shopper.complete("BANK_TRANSFER", key="press-1")
    again = shopper.complete("BANK_TRANSFER", key="press-1")

    assert first["errors"] == [] and again["errors"] == []
    assert again["payment"]["id"] == first["payment"]["id"]
    assert again["payment"]["bankTransfer"] == first["payment"]["bankTransfer"]
    assert [o["number"] for o in again["orders"]] == [o["number"] for o in first["orders"]]
    assert Payment.objects.count() == 1 and Order.objects.count() == 1
    coffee.refresh_from_db()
    assert coffee.stock_quantity == 4


def test_a_guest_checks_out_by_token_and_a_demo_payment_is_paid_at_once(
    shopper: Shopper, shop: Any, sell: Callable[..., ProductVariant], settings: Any
) -> None:
    settings.PAYMENT_GATEWAY = "demo"
    coffee = sell(shop, stock=5)
    shopper.create("ID", email="tamu@example.com")
    shopper.add(coffee, 1)
    shopper.address(JAKARTA)
    shopper.delivery(shop, DOMESTIC_OPTION)

    placed = shopper.complete("DEMO")

    assert placed["errors"] == []
    assert placed["payment"]["status"] == "SUCCEEDED"
    assert Order.objects.get().status == "paid"
    assert Order.objects.get().buyer is None and Order.objects.get().email == "tamu@example.com"
    later = shopper.run(
        "query($token: UUID!) { checkout(token: $token) { completedAt payment { status isDemo "
        "orders { number } } } }",
        "checkout",
    )
    assert later["completedAt"] and later["payment"]["status"] == "SUCCEEDED"
    assert later["payment"]["isDemo"] is True
    assert later["payment"]["orders"] == [{"number": Order.objects.get().number}]


def test_lines_are_updated_and_removed(
    shopper: Shopper, shop: Any, sell: Callable[..., ProductVariant]
) -> None:
    coffee, beans = sell(shop, stock=3), sell(shop, stock=10)
    shopper.create("ID")
    shopper.add(beans, 1)

    capped = shopper.add(coffee, 5)
    assert capped["errors"] == []
    assert capped["messages"] == [f"Only 3 of {coffee.product.title} left: your cart now holds 3."]

    updated = shopper.run(
        UPDATE,
        "checkoutLineUpdate",
        variant=gid("ProductVariant", coffee.pk),
        quantity=2,
    )
    assert {line["variant"]["sku"]: line["quantity"] for line in updated["checkout"]["lines"]} == {
        coffee.sku: 2,
        beans.sku: 1,
    }

    removed = shopper.run(DELETE, "checkoutLineDelete", variant=gid("ProductVariant", beans.pk))
    assert [line["variant"]["sku"] for line in removed["checkout"]["lines"]] == [coffee.sku]
    assert Checkout.objects.get().lines.count() == 1


WITHDRAW = """mutation($id: ID!) { orderWithdraw(id: $id) {
  order { status } withdrawal { amount { amount currency } status } errors { code message } } }"""
DELIVERED = """mutation($id: ID!) { orderMarkDelivered(id: $id) {
  order { status withdrawableUntil } errors { code } } }"""


def test_a_dutch_buyer_withdraws_within_14_days_of_delivery(
    shopper: Shopper,
    gql: GraphQLClient,
    as_user: Callable[[Any], None],
    buyer: Any,
    seller: Any,
    shop: Any,
    sell: Callable[..., ProductVariant],
    settings: Any,
) -> None:
    settings.PAYMENT_GATEWAY = "demo"
    batik = sell(shop, eur="30.00", weight=300, category="batik-tekstil")
    as_user(buyer)
    shopper.create("NL")
    shopper.add(batik, 1)
    shopper.address(
        {"country": "NL", "fullName": "Rina", "phone": "+31 20 123 4567",
         "street": "Prinsengracht 1", "postalCode": "1015 DV", "city": "Amsterdam"}
    )  # fmt: skip
    shopper.delivery(shop, EU_OPTION)
    placed = shopper.complete("DEMO", terms=True)
    assert placed["errors"] == [] and placed["payment"]["status"] == "SUCCEEDED"
    [order] = placed["orders"]
    total = Order.objects.get().total

    early = gql(WITHDRAW, {"id": order["id"]})["data"]["orderWithdraw"]
    assert [e["code"] for e in early["errors"]] == ["not_delivered"]

    as_user(seller)
    gql(FULFIL, {"id": order["id"], "tracking": "RR123456789ID"})
    delivered = gql(DELIVERED, {"id": order["id"]})["data"]["orderMarkDelivered"]
    assert delivered["order"]["status"] == "DELIVERED" and delivered["order"]["withdrawableUntil"]

    as_user(buyer)
    withdrawn = gql(WITHDRAW, {"id": order["id"]})["data"]["orderWithdraw"]
    assert withdrawn["errors"] == []
    assert withdrawn["withdrawal"]["status"] == "requested"
    assert money(withdrawn["withdrawal"]["amount"]) == (total.amount, "EUR")

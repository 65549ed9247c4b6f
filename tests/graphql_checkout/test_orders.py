"""Who reads which orders, who may change them, and what a page of orders costs."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from djmoney.money import Money

from marketplace.accounts.models import User
from marketplace.catalog import services as catalog
from marketplace.catalog.models import Category, ProductVariant
from marketplace.orders import services as order_services
from marketplace.orders.models import Order, OrderLine, OrderStatus
from marketplace.payments import services as payment_services
from sellers.models import Shop
from tests.conftest import GraphQLClient

from .conftest import gid

ORDERS = """query($first: Int!, $shop: ID, $status: OrderStatus) {
  orders(first: $first, shopId: $shop, status: $status) {
    totalCount
    edges { node {
      number status total { amount currency } shop { name }
      lines { productTitle quantity unitPrice { amount } }
      payment { method status orders { number } }
    } }
  } }"""
ORDER = "query($number: String!) { order(number: $number) { number shop { name } } }"


def place(buyer: User, variant: ProductVariant, *, quantity: int = 1) -> Order:
    """An unpaid bank-transfer order of ``variant``, as checkout writes one (without the cart)."""
    price = variant.price
    payment = payment_services.create_payment(
        method="bank_transfer",
        amount=price * quantity,
        idempotency_key=uuid.uuid4().hex,
        buyer=buyer,
        email=buyer.email or "",
    )
    order = Order.objects.create(
        shop=variant.product.shop, buyer=buyer, payment=payment, email=buyer.email or "",
        subtotal=price * quantity, shipping=Money(0, "IDR"), vat=Money(0, "IDR"),
        duty=Money(0, "IDR"), total=price * quantity, expires_at=payment.expires_at,
    )  # fmt: skip
    OrderLine.objects.create(
        order=order, variant=variant, product_title=variant.product.title, sku=variant.sku,
        quantity=quantity, unit_price=price, unit_net=price,
    )  # fmt: skip
    order_services.order_placed(order, actor=buyer)
    return order


def sell_as(owner: User, shop: Shop, *, price: int = 85_000, stock: int = 50) -> ProductVariant:
    """A published listing of ``shop`` with one variant, written by its ``owner``."""
    product = catalog.create_product(
        owner,
        shop,
        catalog.ProductInput(
            category=Category.objects.get(slug="kopi"), title={"id": f"Kopi {uuid.uuid4().hex[:6]}"}
        ),
    )
    variant = catalog.save_variant(
        owner, product, catalog.VariantInput(sku=uuid.uuid4().hex[:10], price_idr=price)
    )
    catalog.adjust_stock(owner, variant, stock)
    catalog.publish_product(owner, product)
    variant.refresh_from_db()
    return variant


@pytest.fixture
def other_buyer(user_factory: Callable[..., User]) -> User:
    return user_factory(email="budi@example.com", phone="+6281234500004", full_name="Budi")


@pytest.fixture
def other_seller(user_factory: Callable[..., User]) -> User:
    return user_factory(phone="+6281234500005", full_name="Bu Sri")


@pytest.fixture
def other_shop(shop_factory: Callable[..., Shop], other_seller: User, shop: Shop) -> Shop:
    return shop_factory(other_seller, name="Batik Gajah Oling")


def numbers(result: Any) -> set[str]:
    assert "errors" not in result, result
    return {edge["node"]["number"] for edge in result["data"]["orders"]["edges"]}


def test_a_buyer_reads_only_their_own_orders(
    gql: GraphQLClient,
    as_user: Callable[[Any], None],
    buyer: User,
    other_buyer: User,
    shop: Shop,
    sell: Callable[..., ProductVariant],
) -> None:
    coffee = sell(shop)
    mine, theirs = place(buyer, coffee), place(other_buyer, coffee)

    as_user(buyer)
    assert numbers(gql(ORDERS, {"first": 10})) == {mine.number}
    assert gql(ORDER, {"number": mine.number})["data"]["order"]["number"] == mine.number
    assert gql(ORDER, {"number": theirs.number})["data"]["order"] is None

    node = "query($id: ID!) { node(id: $id) { ... on Order { number } ... on Payment { id } } }"
    assert gql(node, {"id": gid("Order", theirs.pk)})["data"]["node"] is None
    assert gql(node, {"id": gid("Payment", theirs.payment_id or 0)})["data"]["node"] is None
    assert gql(node, {"id": gid("Order", mine.pk)})["data"]["node"] == {"number": mine.number}

    as_user(None)
    assert gql(ORDER, {"number": mine.number})["data"]["order"] is None
    anonymous = gql(ORDERS, {"first": 10})
    assert anonymous["data"]["orders"] is None
    assert anonymous["errors"][0]["extensions"]["code"] == "unauthenticated"


def test_a_seller_reads_only_their_shops_orders_and_an_operator_all(
    gql: GraphQLClient,
    as_user: Callable[[Any], None],
    buyer: User,
    seller: User,
    other_seller: User,
    operator: User,
    shop: Shop,
    other_shop: Shop,
    sell: Callable[..., ProductVariant],
) -> None:
    ours, other = place(buyer, sell(shop)), place(buyer, sell_as(other_seller, other_shop))

    as_user(seller)
    assert numbers(gql(ORDERS, {"first": 10, "shop": gid("Shop", shop.pk)})) == {ours.number}
    assert gql(ORDER, {"number": ours.number})["data"]["order"]["shop"]["name"] == shop.name
    assert gql(ORDER, {"number": other.number})["data"]["order"] is None
    refused = gql(ORDERS, {"first": 10, "shop": gid("Shop", other_shop.pk)})
    assert refused["data"]["orders"] is None
    assert refused["errors"][0]["extensions"]["code"] == "permission_denied"
    # The seller sees the payment's status, never the other shop's order in it.
    [edge] = gql(ORDERS, {"first": 10, "shop": gid("Shop", shop.pk)})["data"]["orders"]["edges"]
    assert edge["node"]["payment"] == {"method": "BANK_TRANSFER", "status": "PENDING", "orders": []}

    as_user(operator)
    assert numbers(gql(ORDERS, {"first": 10})) == {ours.number, other.number}
    assert numbers(gql(ORDERS, {"first": 10, "status": "PAID"})) == set()


def test_orders_cost_the_same_queries_for_1_or_20(
    gql: GraphQLClient,
    as_user: Callable[[Any], None],
    buyer: User,
    other_seller: User,
    shop: Shop,
    other_shop: Shop,
    sell: Callable[..., ProductVariant],
    django_assert_max_num_queries: Any,
) -> None:
    variants = [sell(shop, stock=50), sell_as(other_seller, other_shop)]
    as_user(buyer)
    place(buyer, variants[0])
    with CaptureQueriesContext(connection) as one:
        result = gql(ORDERS, {"first": 20})
    assert len(result["data"]["orders"]["edges"]) == 1
    # Counted now: the next request clears the connection's query log.
    budget = [q["sql"] for q in one.captured_queries]
    for n in range(19):
        place(buyer, variants[n % 2], quantity=1 + n % 3)
    with django_assert_max_num_queries(len(budget)):
        result = gql(ORDERS, {"first": 20})
    edges = result["data"]["orders"]["edges"]
    assert len(edges) == 20 and result["data"]["orders"]["totalCount"] == 20
    assert {edge["node"]["shop"]["name"] for edge in edges} == {shop.name, other_shop.name}
    assert all(len(edge["node"]["payment"]["orders"]) == 1 for edge in edges)
    # session + user, count, page (shop and payment joined), lines, the payments' orders
    assert len(budget) <= 6, "\n".join(q[:150] for q in budget)


SHIP = """mutation($id: ID!) { orderFulfil(id: $id, courier: "Pos Indonesia", trackingNumber: "TK1") {
  order { status } errors { code } } }"""
DELIVERED = """mutation($id: ID!) { orderMarkDelivered(id: $id) {
  order { status } errors { code } } }"""
CANCEL = """mutation($id: ID!, $reason: String) { orderCancel(id: $id, reason: $reason) {
  order { status } errors { field code } } }"""
REFUND = """mutation($id: ID!, $amount: Decimal, $reason: String!) {
  orderRefund(id: $id, amount: $amount, reason: $reason) {
    order { status refunded { amount } } refunded { amount } errors { field code } } }"""
WITHDRAW = """mutation($id: ID!) { orderWithdraw(id: $id) {
  order { status } withdrawal { amount { amount } } errors { code message } } }"""


def test_only_the_shop_ships_and_only_operators_refund(
    gql: GraphQLClient,
    as_user: Callable[[Any], None],
    buyer: User,
    other_buyer: User,
    seller: User,
    other_seller: User,
    operator: User,
    shop: Shop,
    other_shop: Shop,
    sell: Callable[..., ProductVariant],
) -> None:
    order = place(buyer, sell(shop, price=50_000))
    assert order.payment is not None
    payment_services.confirm_bank_transfer(order.payment, actor=operator)
    order_id = gid("Order", order.pk)

    for intruder, code in ((None, "unauthenticated"), (buyer, "permission_denied"),
                           (other_seller, "permission_denied"), (operator, "permission_denied")):  # fmt: skip
        as_user(intruder)
        assert gql(SHIP, {"id": order_id})["data"]["orderFulfil"] == {
            "order": None,
            "errors": [{"code": code}],
        }
    as_user(seller)
    refund = gql(REFUND, {"id": order_id, "amount": "10000", "reason": "Rusak"})
    assert refund["data"]["orderRefund"]["errors"] == [{"field": None, "code": "permission_denied"}]
    shipped = gql(SHIP, {"id": order_id})["data"]["orderFulfil"]
    assert shipped["order"] == {"status": "SHIPPED"}, shipped

    as_user(other_buyer)
    assert gql(DELIVERED, {"id": order_id})["data"]["orderMarkDelivered"]["errors"] == [
        {"code": "permission_denied"}
    ]
    as_user(operator)
    assert gql(DELIVERED, {"id": order_id})["data"]["orderMarkDelivered"]["order"] == {
        "status": "DELIVERED"
    }
    too_much = gql(REFUND, {"id": order_id, "amount": "60000", "reason": "Rusak"})
    assert too_much["data"]["orderRefund"]["errors"] == [{"field": "amount", "code": "max_value"}]
    refunded = gql(REFUND, {"id": order_id, "amount": "10000", "reason": "Rusak"})
    assert refunded["data"]["orderRefund"]["errors"] == []
    assert refunded["data"]["orderRefund"]["order"]["status"] == "PARTIALLY_REFUNDED"
    assert float(refunded["data"]["orderRefund"]["refunded"]["amount"]) == 10_000

    # Withdrawal is for EU orders: a domestic one is refused with a message, not a 500.
    as_user(buyer)
    withdrawn = gql(WITHDRAW, {"id": order_id})["data"]["orderWithdraw"]
    assert withdrawn["withdrawal"] is None
    assert [e["code"] for e in withdrawn["errors"]] == ["permission_denied"]


def test_a_buyer_cancels_while_unpaid_and_the_stock_comes_back(
    gql: GraphQLClient,
    as_user: Callable[[Any], None],
    buyer: User,
    other_buyer: User,
    shop: Shop,
    sell: Callable[..., ProductVariant],
) -> None:
    coffee = sell(shop, stock=5)
    ProductVariant.objects.filter(pk=coffee.pk).update(stock_quantity=4)  # as checkout takes it
    order = place(buyer, coffee)
    order_id = gid("Order", order.pk)

    as_user(other_buyer)
    assert gql(CANCEL, {"id": order_id})["data"]["orderCancel"]["errors"] == [
        {"field": None, "code": "permission_denied"}
    ]
    as_user(buyer)
    assert gql(CANCEL, {"id": order_id})["data"]["orderCancel"] == {
        "order": {"status": "CANCELLED"},
        "errors": [],
    }
    order.refresh_from_db()
    coffee.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED and coffee.stock_quantity == 5

"""A cart is reached by its token; a signed-in buyer's cart only by that buyer. And what reading a
cart costs, whatever it holds."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

from marketplace.accounts.models import User
from marketplace.catalog.models import ProductVariant
from marketplace.checkout.models import Checkout
from tests.conftest import GraphQLClient

from .conftest import ADD, DOMESTIC_OPTION, JAKARTA, QUERY, Shopper, gid
from .test_orders import sell_as


def add_as_stranger(gql: GraphQLClient, token: str, variant: ProductVariant) -> Any:
    lines = [{"variantId": gid("ProductVariant", variant.pk), "quantity": 1}]
    return gql(ADD, {"token": token, "lines": lines})["data"]["checkoutLinesAdd"]


def test_a_guest_cart_is_open_to_its_token_and_a_buyers_cart_to_the_buyer_alone(
    shopper: Shopper,
    gql: GraphQLClient,
    as_user: Callable[[Any], None],
    buyer: User,
    user_factory: Callable[..., User],
    shop: Any,
    sell: Callable[..., ProductVariant],
) -> None:
    coffee = sell(shop)
    guest_token = shopper.create("ID")["token"]
    shopper.add(coffee, 1)

    # Another client with the token (an app on a second device) reads and changes the guest cart.
    as_user(None)
    assert gql(QUERY, {"token": guest_token})["data"]["checkout"]["token"] == guest_token
    assert add_as_stranger(gql, guest_token, coffee)["errors"] == []
    assert Checkout.objects.get(token=guest_token).lines.get().quantity == 2

    as_user(buyer)
    own = Shopper(gql)
    own_token = own.create("ID")["token"]
    own.add(coffee, 1)
    assert Checkout.objects.get(token=own_token).user == buyer

    for intruder, code in ((None, "unauthenticated"), (user_factory(), "permission_denied")):
        as_user(intruder)
        assert gql(QUERY, {"token": own_token})["data"]["checkout"] is None
        refused = add_as_stranger(gql, own_token, coffee)
        assert refused == {"checkout": None, "messages": [], "errors": refused["errors"]}
        assert [e["code"] for e in refused["errors"]] == [code]
    assert Checkout.objects.get(token=own_token).lines.get().quantity == 1

    unknown = add_as_stranger(gql, "00000000-0000-4000-8000-000000000000", coffee)
    assert [e["code"] for e in unknown["errors"]] == ["not_found"]


def test_a_signed_in_buyer_gets_their_one_open_cart_back(
    shopper: Shopper, gql: GraphQLClient, as_user: Callable[[Any], None], buyer: User
) -> None:
    as_user(buyer)
    first = shopper.create("ID")["token"]
    assert Shopper(gql).create("DE")["token"] == first
    assert Checkout.objects.get().country == "DE"


def test_reading_a_cart_costs_the_same_queries_for_1_or_6_lines_from_3_shops(
    shopper: Shopper,
    gql: GraphQLClient,
    as_user: Callable[[Any], None],
    buyer: User,
    user_factory: Callable[..., User],
    shop_factory: Callable[..., Any],
    shop: Any,
    sell: Callable[..., ProductVariant],
    django_assert_max_num_queries: Any,
) -> None:
    as_user(buyer)
    shopper.create("ID")
    shopper.add(sell(shop), 1)
    shopper.address(JAKARTA)
    shopper.delivery(shop, DOMESTIC_OPTION)
    with CaptureQueriesContext(connection) as one:
        result = shopper.run(QUERY, "checkout")
    assert len(result["lines"]) == 1 and result["canComplete"]
    # Counted now: the next request clears the connection's query log.
    budget = [q["sql"] for q in one.captured_queries]

    shopper.add(sell(shop), 2)
    for n in range(2):
        owner = user_factory(phone=f"+62812345011{n:02d}")
        other = shop_factory(owner, name=f"Toko {n}")
        for _ in range(2):
            shopper.add(sell_as(owner, other), 1)
        shopper.delivery(other, DOMESTIC_OPTION)
    with django_assert_max_num_queries(len(budget)):
        result = shopper.run(QUERY, "checkout")
    assert len(result["lines"]) == 6 and len(result["parcels"]) == 3
    assert all(p["chosenShipping"] for p in result["parcels"]) and result["canComplete"]
    assert all(p["shippingOptions"] for p in result["parcels"])
    # session, user, checkout with its address, lines (variant, listing, category, shop, village),
    # the market's listings, delivery choices, shops (Product.shop's loader); rates are cached.
    assert len(budget) <= 7, "\n".join(q[:120] for q in budget)

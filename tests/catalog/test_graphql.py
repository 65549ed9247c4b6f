"""Catalog over GraphQL: who reads what, who changes what, and in how many queries."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from graphql_relay import to_global_id

from marketplace.catalog.models import Product, ProductStatus, ProductVariant
from tests.conftest import GraphQLClient
from tests.readiness.helpers import make_export_ready

pytestmark = pytest.mark.django_db

PRODUCTS = """
query($first: Int!, $filter: ProductFilter) {
  products(first: $first, filter: $filter) {
    totalCount
    edges { node {
      id title(language: EN) status
      category { slug name }
      shop { name village { name parent { name } } }
      variants { sku price { amount currency } stockQuantity isLowOnStock options }
      photos { altText placeholder }
    } }
  }
}"""


@pytest.fixture
def owner(user_factory: Callable[..., Any]) -> Any:
    return user_factory(phone="+6281234500010")


@pytest.fixture
def shop(shop_factory: Callable[..., Any], owner: Any) -> Any:
    return shop_factory(owner=owner)


def test_products_run_in_a_constant_number_of_queries(
    gql: GraphQLClient, owner: Any, shop: Any, shop_factory: Any, listing: Any, user_factory: Any
) -> None:
    counts = []
    for batch in (3, 47):
        for i in range(batch):
            other_owner = user_factory(phone=f"+62813{batch:03d}{i:05d}")
            listing(other_owner, shop_factory(owner=other_owner), publish=True)
        with CaptureQueriesContext(connection) as ctx:
            result = gql(PRODUCTS, {"first": 50})
        assert "errors" not in result, result
        counts.append(len(ctx.captured_queries))
    edges = result["data"]["products"]["edges"]
    assert len(edges) == 50
    node = edges[0]["node"]
    assert node["variants"][0]["price"] == {"amount": "85000", "currency": "IDR"}
    assert node["shop"]["village"]["parent"]["name"] == "GLAGAH"
    # count, page, categories, shops, villages, districts, variants, photos
    assert counts[0] == counts[1] <= 9


def test_drafts_are_readable_only_by_their_shop(
    client: Client, gql: GraphQLClient, owner: Any, shop: Any, listing: Any, user_factory: Any
) -> None:
    draft = listing(owner, shop)
    query = "query($id: ID!) { product(id: $id) { title status } }"
    variables = {"id": to_global_id("Product", draft.pk)}
    assert gql(query, variables)["data"]["product"] is None
    client.force_login(user_factory(phone="+6281234500077"))
    assert gql(query, variables)["data"]["product"] is None
    assert gql(PRODUCTS, {"first": 10})["data"]["products"]["totalCount"] == 0
    client.force_login(owner)
    assert gql(query, variables)["data"]["product"]["status"] == "DRAFT"
    mine = gql(
        PRODUCTS,
        {"first": 10, "filter": {"shop": to_global_id("Shop", shop.pk), "status": "DRAFT"}},
    )
    assert mine["data"]["products"]["totalCount"] == 1


def test_filters(gql: GraphQLClient, owner: Any, shop: Any, listing: Any) -> None:
    cheap = listing(owner, shop, publish=True, price=20_000, stock=0)
    dear = listing(owner, shop, publish=True, price=200_000)

    def ids(filter: dict[str, Any]) -> set[str]:
        edges = gql(PRODUCTS, {"first": 10, "filter": filter})["data"]["products"]["edges"]
        return {e["node"]["id"] for e in edges}

    g = lambda p: to_global_id("Product", p.pk)  # noqa: E731
    assert ids({"priceMax": "50000"}) == {g(cheap)}
    assert ids({"priceMin": "100000"}) == {g(dear)}
    assert ids({"inStock": True}) == {g(dear)}
    assert ids({"category": "kopi", "district": "3510170", "village": "3510170012"}) == {
        g(cheap),
        g(dear),
    }
    assert ids({"village": "3510170018"}) == set()


CREATE = """
mutation($shop: ID!) {
  productCreate(shopId: $shop, input: {category: "kopi", title: [{language: ID, text: "Kopi Lanang"}, {language: EN, text: "Peaberry coffee"}]}) {
    product { id title status }
    errors { field code message }
  }
}"""


def test_a_seller_lists_and_publishes_over_graphql(
    client: Client, gql: GraphQLClient, owner: Any, shop: Any
) -> None:
    client.force_login(owner)
    created = gql(CREATE, {"shop": to_global_id("Shop", shop.pk)})["data"]["productCreate"]
    assert created["errors"] == [] and created["product"]["title"] == "Kopi Lanang"
    pid = created["product"]["id"]
    variant = gql(
        """mutation($p: ID!) { variantCreate(productId: $p, input: {sku: "KL-250", priceIdr: "95000", exportPriceEur: "12.50", weightGrams: 250, options: {roast: "medium"}}) { variant { id exportPrice { amount currency } } errors { field code } } }""",
        {"p": pid},
    )["data"]["variantCreate"]
    assert variant["errors"] == []
    assert variant["variant"]["exportPrice"] == {"amount": "12.50", "currency": "EUR"}
    stock = gql(
        'mutation($v: ID!) { stockAdjust(id: $v, delta: 12, note: "panen") { variant { stockQuantity } errors { code } } }',
        {"v": variant["variant"]["id"]},
    )
    assert stock["data"]["stockAdjust"]["variant"]["stockQuantity"] == 12
    published = gql(
        "mutation($p: ID!) { productPublish(id: $p) { product { status } errors { code } } }",
        {"p": pid},
    )
    assert published["data"]["productPublish"]["product"]["status"] == "PUBLISHED"


def test_typed_errors_leave_nothing_behind(
    client: Client, gql: GraphQLClient, owner: Any, shop: Any, listing: Any
) -> None:
    client.force_login(owner)
    product = listing(owner, shop)
    result = gql(
        """mutation($p: ID!) { variantCreate(productId: $p, input: {sku: "", priceIdr: "-5"}) { variant { id } errors { field code } } }""",
        {"p": to_global_id("Product", product.pk)},
    )
    errors = {(e["field"], e["code"]) for e in result["data"]["variantCreate"]["errors"]}
    assert errors == {("sku", "required"), ("priceIdr", "min_value")}
    assert product.variants.count() == 1


MUTATIONS: dict[str, str] = {
    "productUpdate": 'mutation($p: ID!) { productUpdate(id: $p, input: {category: "kopi", title: [{language: ID, text: "Diganti"}]}) { errors { code } } }',
    "productPublish": "mutation($p: ID!) { productPublish(id: $p) { errors { code } } }",
    "productArchive": "mutation($p: ID!) { productArchive(id: $p) { errors { code } } }",
    "variantCreate": 'mutation($p: ID!) { variantCreate(productId: $p, input: {sku: "NEW", priceIdr: "1000"}) { errors { code } } }',
    "variantUpdate": 'mutation($v: ID!) { variantUpdate(id: $v, input: {sku: "X", priceIdr: "1"}) { errors { code } } }',
    "variantDelete": "mutation($v: ID!) { variantDelete(id: $v) { errors { code } } }",
    "stockAdjust": "mutation($v: ID!) { stockAdjust(id: $v, delta: 100) { errors { code } } }",
    "productModerate": 'mutation($p: ID!) { productModerate(id: $p, action: REMOVE, reason: "x") { errors { code } } }',
}


@pytest.mark.parametrize(
    "intruder_role",
    ["anonymous", "buyer", "other_seller", "facilitator_without_consent", "revoked_facilitator"],
)
@pytest.mark.parametrize("mutation", sorted(MUTATIONS))
def test_no_one_else_changes_a_shops_listing(
    client: Client,
    gql: GraphQLClient,
    owner: Any,
    shop: Any,
    listing: Any,
    user_factory: Any,
    shop_factory: Any,
    hall: Any,
    consent: Any,
    intruder_role: str,
    mutation: str,
) -> None:
    product = listing(owner, shop, publish=True)
    before = (
        Product.objects.values_list("status", "title_ind").get(),
        list(ProductVariant.objects.values_list("sku", "stock_quantity")),
    )
    intruder = None
    if intruder_role != "anonymous":
        intruder = user_factory(phone="+6281234599999")
    if intruder_role == "other_seller":
        shop_factory(owner=intruder)
    if intruder_role in ("facilitator_without_consent", "revoked_facilitator"):
        hall.facilitators.add(intruder)
    if intruder_role == "revoked_facilitator":
        from django.utils import timezone

        grant = consent(shop, intruder)
        grant.revoked_at = timezone.now()
        grant.save()
    if intruder is not None:
        client.force_login(intruder)
    variables = {
        "p": to_global_id("Product", product.pk),
        "v": to_global_id("ProductVariant", product.variants.get().pk),
    }
    result = gql(MUTATIONS[mutation], variables)
    assert "errors" not in result, result
    [error] = result["data"][mutation]["errors"]
    assert error["code"] == ("unauthenticated" if intruder is None else "permission_denied")
    after = (
        Product.objects.values_list("status", "title_ind").get(),
        list(ProductVariant.objects.values_list("sku", "stock_quantity")),
    )
    assert after == before
    assert Product.objects.get().status == ProductStatus.PUBLISHED


MARKET_PRODUCTS = """
query($country: String!) {
  products(first: 50, country: $country) {
    totalCount
    edges { node { title variants { sku pricing(country: $country) {
      gross { amount currency } net { amount } vatRate country vatLabel } } } }
  }
}"""


def test_a_market_shows_its_listings_with_its_prices(
    gql: GraphQLClient, owner: Any, shop: Any, kopi: Any, user_factory: Any, shop_factory: Any
) -> None:
    from marketplace.catalog import services

    def listed(owner: Any, shop: Any, eur: str | None) -> Any:
        product = services.create_product(
            owner,
            shop,
            services.ProductInput(
                category=kopi, title={"id": "Kopi Osing"}, ships_to_eu=eur is not None
            ),
        )
        services.save_variant(
            owner,
            product,
            services.VariantInput(sku=f"K-{product.pk}", price_idr=85_000, export_price_eur=eur),
        )
        if eur is not None:
            make_export_ready(product)
        return services.publish_product(owner, product)

    listed(owner, shop, None)  # Indonesia only
    counts = []
    for batch in (2, 20):
        for i in range(batch):
            seller = user_factory(phone=f"+62815{batch:03d}{i:05d}")
            listed(seller, shop_factory(owner=seller), "9.50")
        gql(MARKET_PRODUCTS, {"country": "DE"})  # the VAT table is read once, then cached
        with CaptureQueriesContext(connection) as ctx:
            result = gql(MARKET_PRODUCTS, {"country": "DE"}, headers={"Accept-Language": "de"})
        assert "errors" not in result, result
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]
    germany = result["data"]["products"]
    assert germany["totalCount"] == 22  # the Indonesia-only listing is not offered
    pricing = germany["edges"][0]["node"]["variants"][0]["pricing"]
    # Coffee in Germany: 7 % VAT on the EUR export price, rounded half-up to the cent.
    assert pricing == {
        "gross": {"amount": "10.17", "currency": "EUR"},
        "net": {"amount": "9.50"},
        "vatRate": "7.00",
        "country": "DE",
        "vatLabel": "inkl. 7% MwSt., DE",
    }
    indonesia = gql(MARKET_PRODUCTS, {"country": "ID"})["data"]["products"]
    assert indonesia["totalCount"] == 23
    assert indonesia["edges"][0]["node"]["variants"][0]["pricing"]["gross"] == {
        "amount": "85000",
        "currency": "IDR",
    }
    assert gql(MARKET_PRODUCTS, {"country": "US"})["data"]["products"]["totalCount"] == 0

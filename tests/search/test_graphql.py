"""``search`` over GraphQL, executed by the project's GraphQL view and root schema."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from marketplace.catalog.models import Product
from marketplace.graphql.views import GraphQLView

pytestmark = pytest.mark.django_db


view = GraphQLView.as_view()

SEARCH = """
query($query: String, $filter: SearchFilter, $sort: SearchSort, $first: Int, $page: Int,
      $country: String) {
  search(query: $query, filter: $filter, sort: $sort, first: $first, page: $page,
         country: $country) {
    totalCount page pageSize
    facets { name values { value label count } }
    products {
      id title
      category { slug name }
      shop { name village { name parent { name } } }
      variants { sku price { amount currency } exportPrice { amount currency } stockQuantity }
      photos { altText }
    }
  }
}"""


def run(variables: dict[str, Any], language: str = "id") -> Any:
    request = RequestFactory().post(
        "/graphql/",
        data=json.dumps({"query": SEARCH, "variables": variables}),
        content_type="application/json",
    )
    request.user = AnonymousUser()
    with translation.override(language):
        response = view(request)
    assert response.status_code in (200, 400), response.content[:500]
    return json.loads(response.content)


def test_search_returns_products_facets_and_total(goods: dict[str, Product]) -> None:
    result = run({"query": "kopi", "sort": "PRICE_ASC", "first": 10}, language="en")
    assert "errors" not in result, result
    data = result["data"]["search"]
    assert data["totalCount"] == 2 and data["page"] == 1 and data["pageSize"] == 10
    titles = [p["title"] for p in data["products"]]
    assert titles == ["Robusta coffee, medium roast", "Osing peaberry coffee (kopi lanang)"]
    assert data["products"][0]["variants"][0]["price"] == {"amount": "65000", "currency": "IDR"}
    facets = {f["name"]: f["values"] for f in data["facets"]}
    assert list(facets) == ["category", "district", "village", "price", "in_stock", "ships_to_eu"]
    assert facets["category"] == [{"value": "kopi", "label": "Coffee", "count": 2}]


def test_country_chooses_the_market(goods: dict[str, Product]) -> None:
    eu = run({"country": "NL", "filter": {"priceMax": "10", "category": "kopi"}})
    assert "errors" not in eu, eu
    names = [p["title"] for p in eu["data"]["search"]["products"]]
    assert names == ["Kopi Robusta sangrai sedang"]
    prices = {
        v["value"]
        for f in eu["data"]["search"]["facets"]
        if f["name"] == "price"
        for v in f["values"]
    }
    assert prices == {"0-9.99", "10-24.99"}
    home = run({"filter": {"inStock": False}})
    assert [p["title"] for p in home["data"]["search"]["products"]] == ["Cokelat batang 70% kakao"]


def test_a_country_we_do_not_ship_to_is_an_error(goods: dict[str, Product]) -> None:
    result = run({"country": "US"})
    assert result["errors"][0]["extensions"]["code"] == "invalid_country"
    assert result["data"] is None


def test_a_page_costs_the_same_queries_whatever_its_size(goods: dict[str, Product]) -> None:
    counts = []
    for first in (2, 10):
        with CaptureQueriesContext(connection) as ctx:
            result = run({"first": first})
        assert len(result["data"]["search"]["products"]) == first
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts

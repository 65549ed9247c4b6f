"""GraphQL ``products`` pages without counting every matching listing unless asked to."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from marketplace.catalog.models import Product
from marketplace.graphql.views import GraphQLView

pytestmark = pytest.mark.django_db

view = GraphQLView.as_view()

PAGE = """query($first: Int, $after: String) {
  products(first: $first, after: $after) {
    %s pageInfo { hasNextPage endCursor } edges { node { title } } } }"""


def run(first: int, after: str | None = None, total: bool = False) -> tuple[Any, list[str]]:
    request = RequestFactory().post(
        "/graphql/",
        data=json.dumps(
            {
                "query": PAGE % ("totalCount" if total else ""),
                "variables": {"first": first, "after": after},
            }
        ),
        content_type="application/json",
    )
    request.user = AnonymousUser()
    with CaptureQueriesContext(connection) as ctx:
        response = view(request)
    result = json.loads(response.content)
    assert "errors" not in result, result
    return result["data"]["products"], [q["sql"] for q in ctx.captured_queries]


def test_pages_walk_every_listing_and_know_when_they_end(goods: dict[str, Product]) -> None:
    titles, after, pages = [], None, 0
    while True:
        page, _sql = run(4, after)
        titles += [edge["node"]["title"] for edge in page["edges"]]
        pages += 1
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert sorted(titles) == sorted(str(p.title) for p in goods.values())
    assert pages == 3  # 11 listings: 4 + 4 + 3, and the last page says so


def test_the_count_reads_one_row_past_the_page_unless_the_total_is_asked_for(
    goods: dict[str, Product],
) -> None:
    page, sql = run(4)
    counts = [s for s in sql if "COUNT(" in s.upper()]
    assert len(counts) == 1 and "LIMIT 5" in counts[0]
    assert page["pageInfo"]["hasNextPage"] is True
    page, sql = run(4, total=True)
    counts = [s for s in sql if "COUNT(" in s.upper()]
    assert page["totalCount"] == len(goods)
    assert len(counts) == 1 and "LIMIT" not in counts[0]

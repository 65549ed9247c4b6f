"""Result pages are cached per catalog generation; a change is seen at once."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from marketplace.catalog import services as catalog
from marketplace.catalog.models import Product
from marketplace.markets.markets import Market
from marketplace.search import SearchQuery, search

pytestmark = pytest.mark.django_db


def run(query: SearchQuery) -> tuple[int, list[int]]:
    with CaptureQueriesContext(connection) as ctx:
        result = search(query)
    return len(ctx.captured_queries), [p.pk for p in result.products]


def test_a_repeated_search_comes_from_the_cache(
    id_market: Market, goods: dict[str, Product]
) -> None:
    query = SearchQuery(id_market, "kopi")
    first, found = run(query)
    again, found_again = run(query)
    assert found_again == found and found
    assert again < first


def test_a_removed_listing_leaves_cached_results_at_once(
    id_market: Market, goods: dict[str, Product], user_factory: Any
) -> None:
    query = SearchQuery(id_market, "kopi")
    _, found = run(query)
    removed = Product.objects.get(pk=found[0])
    operator = user_factory(phone="+6281234500999", is_staff=True)
    catalog.remove_product(operator, removed, "Bukan kopi asli")
    _, after = run(query)
    assert removed.pk not in after
    assert after == found[1:]

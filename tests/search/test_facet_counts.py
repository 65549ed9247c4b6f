"""Category and village pages count their facets from ``FacetCount``: the counts must always be
what the listings themselves add up to, whatever happens to the catalog."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest

from marketplace.catalog import services as catalog
from marketplace.catalog.models import Category, Product
from marketplace.markets.markets import Market
from marketplace.search import SearchQuery, search
from marketplace.search.backends.database import DatabaseBackend
from marketplace.search.models import FacetCount, ProductDocument
from marketplace.search.services import MARKET_FLAGS, recount_all_facets
from sellers import services as sellers
from tests.search.conftest import Seller

pytestmark = pytest.mark.django_db

KEY = ("category_slug", "village_code", "in_stock", "ships_to_eu")


def tallies() -> Counter[tuple[Any, ...]]:
    counted: Counter[tuple[Any, ...]] = Counter()
    for row in FacetCount.objects.all():
        counted[(row.market, *(getattr(row, name) for name in KEY))] += row.count
    return counted


def documents() -> Counter[tuple[Any, ...]]:
    counted: Counter[tuple[Any, ...]] = Counter()
    for doc in ProductDocument.objects.all():
        for market, flag in MARKET_FLAGS.items():
            if getattr(doc, flag):
                counted[(market, *(getattr(doc, name) for name in KEY))] += 1
    return counted


def scanned(query: SearchQuery) -> Any:
    """The same query answered by reading every document (the path text searches take)."""
    return DatabaseBackend()._search(
        query, ProductDocument.objects.filter(**{MARKET_FLAGS[query.market.code]: True}), exact=True
    )


def facets(result: Any) -> dict[str, list[tuple[str, int]]]:
    return {name: [(v.value, v.count) for v in values] for name, values in result.facets.items()}


def test_counts_follow_every_change_to_the_catalog(
    goods: dict[str, Product],
    seller_factory: Callable[..., Seller],
    places: dict[str, Any],
    user_factory: Callable[..., Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    assert tallies() == documents() and sum(documents().values()) > 0
    operator = user_factory(phone="+6281300000999", is_staff=True)
    kemiren = seller_factory("Kopi Kemiren", places["kemiren"])
    with django_capture_on_commit_callbacks(execute=True):
        new = kemiren.list("kopi", {"id": "Kopi Osing baru"}, export_price="8.00", ships_to_eu=True)
    assert tallies() == documents()
    with django_capture_on_commit_callbacks(execute=True):
        variant = new.variants.get()
        catalog.set_stock(kemiren.owner, variant, 0)  # in stock -> out of stock
    assert tallies() == documents()
    with django_capture_on_commit_callbacks(execute=True):
        catalog.remove_product(operator, goods["robusta"], "Foto milik orang lain")
    assert tallies() == documents()
    with django_capture_on_commit_callbacks(execute=True):
        sellers.update_shop(kemiren.owner, kemiren.shop, village=places["licin_village"])
    assert tallies() == documents()
    with django_capture_on_commit_callbacks(execute=True):
        sellers.suspend_shop(operator, kemiren.shop, "Dokumen tidak sah")
    assert tallies() == documents()
    FacetCount.objects.all().delete()
    recount_all_facets()
    assert tallies() == documents()


@pytest.mark.parametrize(
    "filters",
    [
        {"category": "kopi"},
        {"category": "kakao-cokelat", "in_stock": True},
        {"village": "3510120006"},
        {"district": "3510171", "ships_to_eu": True},
        {},
    ],
)
def test_pages_without_words_count_like_a_pass_over_the_listings(
    goods: dict[str, Product], id_market: Market, eu_market: Market, filters: dict[str, Any]
) -> None:
    for market in (id_market, eu_market):
        query = SearchQuery(market, **filters)
        result = search(query)
        expected = scanned(query)
        assert result.total == expected.total
        assert facets(result) == facets(expected)
        assert [p.pk for p in result.products] == [p.pk for p in expected.products]


def test_a_category_page_counts_its_child_categories(
    goods: dict[str, Product],
    id_market: Market,
    seller_factory: Callable[..., Seller],
    places: dict[str, Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    parent = Category.objects.get(slug="kopi")
    Category.objects.create(slug="kopi-bubuk", name="Kopi bubuk", parent=parent)
    Category.objects.create(
        slug="kopi-sachet", name="Kopi sachet", parent=Category.objects.get(slug="kopi-bubuk")
    )
    seller = seller_factory("Bubuk Kemiren", places["kemiren"])
    with django_capture_on_commit_callbacks(execute=True):
        deep = seller.list("kopi-sachet", {"id": "Kopi sachet Osing"})
    kopi = search(SearchQuery(id_market, category="kopi"))
    assert deep.pk in [p.pk for p in kopi.products]
    assert kopi.total == scanned(SearchQuery(id_market, category="kopi")).total == 3
    assert search(SearchQuery(id_market, category="kopi-bubuk")).total == 1
    assert search(SearchQuery(id_market, category="tidak-ada")).total == 0


def test_only_the_newest_matches_are_ranked_when_there_are_many(
    goods: dict[str, Product], id_market: Market, monkeypatch: pytest.MonkeyPatch
) -> None:
    from marketplace.search.backends import database

    everything = search(SearchQuery(id_market, text="osing", page_size=60))
    assert everything.total > 2
    best = {p.pk for p in everything.products[:2]}
    monkeypatch.setattr(database, "RANK_CANDIDATES", 2)
    newest = scanned(SearchQuery(id_market, text="osing", sort="newest", page_size=2)).products
    first = scanned(SearchQuery(id_market, text="osing", page_size=2))
    assert {p.pk for p in first.products} == {p.pk for p in newest} != best
    assert first.total == everything.total  # counted over every match all the same
    # A page beyond the candidates ranks every match: paging still reaches every listing.
    rest = scanned(SearchQuery(id_market, text="osing", page_size=2, page=2)).products
    assert rest and not {p.pk for p in rest} & {p.pk for p in newest}
    pages = [
        p.pk
        for page in (1, 2)
        for p in scanned(SearchQuery(id_market, text="osing", page_size=2, page=page)).products
    ]
    assert sorted(pages) == sorted(p.pk for p in everything.products)  # each listing once

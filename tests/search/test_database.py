"""The database backend on the database at hand (SQLite embedded, PostgreSQL in CI): filters,
sorts, facets, paging, visibility and a constant number of queries."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from marketplace.catalog import services as catalog
from marketplace.catalog.models import Product
from marketplace.markets.markets import Market
from marketplace.search import SearchQuery, SearchResult, search, services
from marketplace.search.models import ProductDocument
from sellers import services as sellers
from tests.search.conftest import Seller, ids

pytestmark = pytest.mark.django_db


def facet(result: SearchResult, name: str) -> dict[str, int]:
    return {v.value: v.count for v in result.facets[name]}


def test_empty_text_lists_every_shown_listing_newest_first(
    goods: dict[str, Product], id_market: Market
) -> None:
    result = search(SearchQuery(id_market))
    assert result.total == len(goods)
    newest = sorted(goods.values(), key=lambda p: (p.published_at, p.pk), reverse=True)
    assert ids(result.products) == ids(newest)
    assert (result.page, result.page_size) == (1, 24)


def test_hidden_listings_never_appear(
    goods: dict[str, Product],
    id_market: Market,
    eu_market: Market,
    seller_factory: Callable[..., Seller],
    places: dict[str, Any],
    user_factory: Callable[..., Any],
) -> None:
    operator = user_factory(phone="+6281300000999", is_staff=True)
    kemiren = seller_factory("Kopi Tersembunyi", places["kemiren"])
    removed = kemiren.list("kopi", {"id": "Kopi Osing dihapus"})
    archived = kemiren.list("kopi", {"id": "Kopi Osing diarsipkan"})
    draft = kemiren.list("kopi", {"id": "Kopi Osing draf"}, publish=False)
    suspended = seller_factory("Toko Ditangguhkan", places["kemiren"])
    of_suspended = suspended.list("kopi", {"id": "Kopi Osing toko ditangguhkan"})
    services.rebuild_documents()
    # Now hide them; a stale document must not matter (visibility is decided at search time).
    catalog.remove_product(operator, removed, "Merek palsu")
    catalog.archive_product(kemiren.owner, archived)
    sellers.suspend_shop(operator, suspended.shop, "Dokumen tidak sah")
    hidden = {removed.pk, archived.pk, draft.pk, of_suspended.pk}
    for market in (id_market, eu_market):
        for text in ("", "kopi osing", "kopi"):
            result = search(SearchQuery(market, text, page_size=60))
            assert not hidden & set(ids(result.products)), (market, text)
            assert result.total == len(result.products)
    # After the events' reindex the documents are gone too.
    services.refresh_documents(hidden)
    assert not ProductDocument.objects.filter(pk__in=hidden).exists()


def test_the_eu_sees_only_listings_offered_to_it_with_a_euro_price(
    goods: dict[str, Product], eu_market: Market
) -> None:
    result = search(SearchQuery(eu_market, page_size=60))
    expected = {p.pk for p in goods.values() if p.ships_to_eu}
    assert set(ids(result.products)) == expected
    assert facet(result, "ships_to_eu") == {"true": len(expected)}


def test_filters(goods: dict[str, Product], id_market: Market, places: dict[str, Any]) -> None:
    def found(**kw: Any) -> set[str]:
        result = search(SearchQuery(id_market, page_size=60, **kw))
        assert result.total == len(result.products)
        return {name for name, p in goods.items() if p.pk in ids(result.products)}

    assert found(category="kakao-cokelat") == {"nibs", "bar", "powder"}
    assert found(district=places["licin"].code) == {"robusta", "gift"}
    assert found(village=places["gintangan"].code) == {"basket", "pandan", "steamer"}
    assert found(price_min=Decimal(85_000), price_max=Decimal(150_000)) == {
        "lanang",
        "gift",
        "basket",
        "pandan",
    }
    assert found(in_stock=False) == {"bar"}
    assert "bar" not in found(in_stock=True)
    assert found(ships_to_eu=True) == {"lanang", "robusta", "gift", "bar", "basket", "batik"}
    assert found(category="kerajinan-bambu", price_max=Decimal(50_000)) == {"steamer"}
    assert found(text="kopi", district=places["district"].code) == {"lanang"}


def test_category_filter_includes_child_categories(
    goods: dict[str, Product], id_market: Market, seller_factory: Callable[..., Seller], places: Any
) -> None:
    from marketplace.catalog.models import Category

    parent = Category.objects.get(slug="kopi")
    Category.objects.create(parent=parent, slug="kopi-luwak-bukan", name="Kopi bubuk")
    child = seller_factory("Bubuk Kemiren", places["kemiren"]).list(
        "kopi-luwak-bukan", {"id": "Kopi bubuk halus"}
    )
    services.rebuild_documents()
    result = search(SearchQuery(id_market, category="kopi"))
    assert child.pk in ids(result.products)
    assert {goods["lanang"].pk, goods["robusta"].pk} <= set(ids(result.products))
    assert ids(search(SearchQuery(id_market, category="kopi-luwak-bukan")).products) == [child.pk]


def test_eu_prices_are_export_prices_in_euro(goods: dict[str, Product], eu_market: Market) -> None:
    result = search(SearchQuery(eu_market, price_min=Decimal("9.50"), price_max=Decimal(20)))
    assert set(ids(result.products)) == {
        goods["lanang"].pk,
        goods["robusta"].pk,
        goods["basket"].pk,
    }
    prices = facet(result, "price")
    # Facet values round-trip as filters: each range ends one cent below the next.
    assert prices == {"0-9.99": 2, "10-24.99": 3, "25-49.99": 1}
    labels = {v.value: v.label for v in result.facets["price"]}
    assert "€" in labels["10-24.99"]
    ranged = search(SearchQuery(eu_market, price_min=Decimal(10), price_max=Decimal("24.99")))
    assert ranged.total == prices["10-24.99"]


def test_sorts(goods: dict[str, Product], id_market: Market) -> None:
    def order(sort: str, **kw: Any) -> list[int]:
        return ids(search(SearchQuery(id_market, sort=sort, page_size=60, **kw)).products)

    by_price = sorted(goods.values(), key=lambda p: (p.variants.get().price.amount, -p.pk))
    assert order("price_asc") == ids(by_price)
    assert order("price_desc")[0] == goods["batik"].pk
    assert order("price_desc")[-1] == goods["steamer"].pk
    newest = sorted(goods.values(), key=lambda p: (p.published_at, p.pk), reverse=True)
    assert order("newest") == ids(newest)
    assert order("relevance") == ids(newest)  # no words: newest
    # "kakao" is also in the category's name: every cocoa listing, cheapest first.
    cocoa = [goods["bar"].pk, goods["powder"].pk, goods["nibs"].pk]
    assert order("price_asc", text="kakao") == cocoa
    with pytest.raises(ValueError):
        SearchQuery(Market("ID", "ID", "IDR"), sort="cheapest")


def test_facets_count_under_every_other_filter(
    goods: dict[str, Product], id_market: Market, places: dict[str, Any]
) -> None:
    result = search(SearchQuery(id_market, category="kakao-cokelat", language="en"))
    assert result.total == 3
    categories = {v.value: (v.label, v.count) for v in result.facets["category"]}
    # The chosen category does not narrow its own facet, so a buyer can switch.
    assert categories["kakao-cokelat"] == ("Cocoa and chocolate", 3)
    assert categories["kopi"] == ("Coffee", 2)
    assert facet(result, "district") == {places["glenmore"].code: 3}
    assert {v.label for v in result.facets["village"]} == {"Tulungrejo"}
    assert facet(result, "in_stock") == {"true": 2, "false": 1}
    assert facet(result, "price") == {"0-49999": 3}
    village = search(SearchQuery(id_market, village=places["kemiren"].code))
    # The district facet ignores the village chosen in it; the village facet keeps the district.
    assert facet(village, "district")[places["licin"].code] == 2
    assert facet(village, "village")[places["kemiren"].code] == 1
    assert set(result.facets) == {
        "category",
        "district",
        "village",
        "price",
        "in_stock",
        "ships_to_eu",
    }


def test_spelling_variants_find_each_other(goods: dict[str, Product], id_market: Market) -> None:
    for word in ("coklat", "cokelat", "COKLAT"):
        found = set(ids(search(SearchQuery(id_market, word)).products))
        assert {goods["bar"].pk, goods["powder"].pk} <= found, word


def test_paging(goods: dict[str, Product], id_market: Market) -> None:
    pages = [search(SearchQuery(id_market, page=n, page_size=4)) for n in (1, 2, 3, 4)]
    assert [len(p.products) for p in pages] == [4, 4, 2, 0]
    assert all(p.total == len(goods) for p in pages)
    seen = [pk for p in pages for pk in ids(p.products)]
    assert len(set(seen)) == len(goods)
    capped = search(SearchQuery(id_market, page_size=500))
    assert capped.page_size == 60


@pytest.mark.parametrize("text", ["", "kopi"])
def test_a_page_costs_the_same_queries_for_5_and_60_listings(
    text: str, id_market: Market, places: dict[str, Any], seller_factory: Callable[..., Seller]
) -> None:
    sellers_ = [seller_factory(f"Toko {v}", places[v]) for v in ("kemiren", "licin_village")]
    counts, totals = [], []
    made = 0
    for target in (5, 60):
        while made < target:
            sellers_[made % 2].list("kopi", {"id": f"Kopi Osing {made}", "en": "Coffee"})
            made += 1
        services.rebuild_documents()
        with CaptureQueriesContext(connection) as ctx:
            result = search(SearchQuery(id_market, text, page_size=24))
            read = [  # what a result card reads
                (p.shop.village.parent.name, p.category.name, p.variants.all(), p.photos.all())
                for p in result.products
            ]
            assert all(list(variants) for *_names, variants, _photos in read)
        counts.append(len(ctx.captured_queries))
        totals.append(result.total)
    assert totals == [5, 60]
    # total and facets (one grouped scan), page, variants, photos, category labels
    assert counts[0] == counts[1] == 5, counts

"""The Elasticsearch backend, through the official client, against a local stand-in server."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.core.management import call_command

from marketplace.catalog import services as catalog
from marketplace.catalog.models import Product
from marketplace.markets.markets import Market
from marketplace.search import SearchQuery, search, services
from marketplace.search.backends.elasticsearch import ElasticsearchBackend, es_document
from marketplace.search.models import ProductDocument
from sellers import services as sellers
from tests.search.conftest import Seller, ids
from tests.search.es_standin import ElasticsearchStandIn

pytestmark = pytest.mark.django_db

ALIAS = "test-products"


@pytest.fixture
def es(settings: Any) -> Iterator[ElasticsearchStandIn]:
    standin = ElasticsearchStandIn()
    settings.ELASTICSEARCH_URL = standin.start()
    settings.SEARCH_BACKEND = "elasticsearch"
    settings.ELASTICSEARCH_INDEX_PREFIX = "test"
    yield standin
    standin.stop()


@pytest.fixture
def kemiren(seller_factory: Callable[..., Seller], places: dict[str, Any]) -> Seller:
    return seller_factory("Warung Pak Slamet", places["kemiren"])


@pytest.fixture
def operator(user_factory: Callable[..., Any]) -> Any:
    return user_factory(phone="+6281300000555", is_staff=True)


@pytest.fixture
def indexed(es: ElasticsearchStandIn, goods: dict[str, Product]) -> dict[str, Product]:
    """The goods, loaded by ``reindex`` into a fresh index behind the alias."""
    call_command("reindex", stdout=io.StringIO())
    es.requests.clear()
    return goods


def bulk_lines(es: ElasticsearchStandIn) -> list[dict[str, Any]]:
    return [line for r in es.requests if r.path.endswith("/_bulk") for line in r.body]


def test_publishing_sends_the_document_through_the_alias(
    es: ElasticsearchStandIn, kemiren: Seller, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        product = kemiren.list(
            "kopi",
            {"id": "Kopi lanang Osing", "de": "Perlbohnenkaffee"},
            price=85_000,
            export_price="12.00",
            ships_to_eu=True,
        )
    # No reindex yet: an empty index is created behind the alias (not a dynamic one).
    created = es.calls("PUT", r"/test-products-initial")
    assert len(created) == 1
    assert created[0].body["aliases"] == {ALIAS: {}}
    assert created[0].body["mappings"]["properties"]["title_de"]["analyzer"] == "german"
    assert created[0].body["mappings"]["properties"]["title_id"]["analyzer"] == "indonesian"
    header, source = bulk_lines(es)[-2:]
    assert header == {"index": {"_index": ALIAS, "_id": str(product.pk)}}
    assert source == es_document(ProductDocument.objects.get(pk=product.pk))
    assert source["title_id"] == "Kopi lanang Osing"
    assert source["title_de"] == "Perlbohnenkaffee"
    assert source["category_path"] == ["kopi"]
    assert (source["district"], source["village"]) == ("3510170", "3510170012")
    assert (source["min_price_idr"], source["min_export_price_eur"]) == (85000.0, 12.0)
    assert source["markets"] == ["ID", "EU"] and source["in_stock"] is True
    assert es.docs(ALIAS)[str(product.pk)] == source


def test_removed_listings_and_suspended_shops_are_deleted_from_the_index(
    es: ElasticsearchStandIn,
    kemiren: Seller,
    operator: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        removed = kemiren.list("kopi", {"id": "Kopi palsu"})
        kept = kemiren.list("kopi", {"id": "Kopi Osing"})
    assert set(es.docs(ALIAS)) == {str(removed.pk), str(kept.pk)}
    es.requests.clear()
    with django_capture_on_commit_callbacks(execute=True):
        catalog.remove_product(operator, removed, "Merek palsu")
    assert bulk_lines(es) == [{"delete": {"_index": ALIAS, "_id": str(removed.pk)}}]
    assert set(es.docs(ALIAS)) == {str(kept.pk)}
    with django_capture_on_commit_callbacks(execute=True):
        sellers.suspend_shop(operator, kemiren.shop, "Dokumen tidak sah")
    assert es.docs(ALIAS) == {}


def test_reindex_builds_a_new_index_swaps_the_alias_and_deletes_the_old_one(
    indexed: dict[str, Product], es: ElasticsearchStandIn
) -> None:
    (old,) = [i.name for i in es.resolve(ALIAS)]
    out = io.StringIO()
    call_command("reindex", stdout=out)
    (new,) = [i.name for i in es.resolve(ALIAS)]
    assert new != old and new.startswith(f"{ALIAS}-")
    assert set(es.indices) == {new}  # the old index is gone
    # Order: create, bulk-load and refresh the new index, one atomic alias swap, delete the old.
    watched = ("/_bulk", f"/{new}/_refresh", "/_aliases", f"/{new}", f"/{old}")
    steps = [(r.method, r.path) for r in es.requests if r.path in watched]
    assert steps == [
        ("PUT", f"/{new}"),
        ("PUT", "/_bulk"),
        ("POST", f"/{new}/_refresh"),
        ("POST", "/_aliases"),
        ("DELETE", f"/{old}"),
    ]
    (swap,) = es.calls("POST", "/_aliases")
    assert swap.body == {
        "actions": [
            {"remove": {"index": old, "alias": ALIAS}},
            {"add": {"index": new, "alias": ALIAS}},
        ]
    }
    assert set(es.docs(ALIAS)) == {str(p.pk) for p in indexed.values()}
    assert f"elasticsearch: {len(indexed)}/{len(indexed)}" in out.getvalue()


def test_reindex_replaces_an_index_that_took_the_alias_name(
    es: ElasticsearchStandIn, goods: dict[str, Product]
) -> None:
    es.indices.clear()
    es.handle("PUT", f"/{ALIAS}", b"{}")  # e.g. written to before any reindex, without mapping
    call_command("reindex", stdout=io.StringIO())
    (index,) = es.resolve(ALIAS)
    assert index.name != ALIAS and set(es.indices) == {index.name}
    assert len(index.docs) == len(goods)


def test_search_maps_hits_to_products_in_order_with_facets(
    indexed: dict[str, Product], es: ElasticsearchStandIn, id_market: Market, places: Any
) -> None:
    result = search(SearchQuery(id_market, "kopi", sort="price_desc", language="en", page_size=2))
    (request,) = es.calls("POST", f"/{ALIAS}/_search")
    body = request.body
    assert body["query"]["bool"]["filter"] == [{"term": {"markets": "ID"}}]
    assert body["from"] == 0 and body["size"] == 2 and body["track_total_hits"] is True
    assert body["sort"][0] == {"min_price_idr": {"order": "desc", "missing": "_last"}}
    (word,) = body["query"]["bool"]["must"][0]["bool"]["must"]
    assert "title_en^8" in word["multi_match"]["fields"]
    assert word["multi_match"]["fuzziness"] == "AUTO"
    # The stand-in matches "kopi" in the coffee titles and descriptions.
    assert ids(result.products) == [indexed["lanang"].pk, indexed["robusta"].pk]
    assert result.total == 2 and result.page_size == 2
    product = result.products[0]
    assert product.shop.village.parent.name == "GLAGAH"  # joined, no extra query
    categories = {v.value: (v.label, v.count) for v in result.facets["category"]}
    assert categories == {"kopi": ("Coffee", 2)}
    assert {v.value: (v.label, v.count) for v in result.facets["district"]} == {
        places["district"].code: ("Glagah", 1),
        places["licin"].code: ("Licin", 1),
    }
    assert {v.value: v.count for v in result.facets["price"]} == {"50000-99999": 2}
    assert {v.value: v.count for v in result.facets["in_stock"]} == {"true": 2}


def test_search_filters_and_disjunctive_facets(
    indexed: dict[str, Product], es: ElasticsearchStandIn, eu_market: Market
) -> None:
    from decimal import Decimal

    result = search(
        SearchQuery(eu_market, category="kopi", price_max=Decimal(10), in_stock=True, page_size=60)
    )
    body = es.calls("POST", f"/{ALIAS}/_search")[-1].body
    assert body["query"]["bool"]["filter"] == [{"term": {"markets": "EU"}}]
    assert body["post_filter"] == {
        "bool": {
            "filter": [
                {"term": {"category_path": "kopi"}},
                {"range": {"min_export_price_eur": {"lte": 10.0}}},
                {"term": {"in_stock": True}},
            ]
        }
    }
    assert ids(result.products) == [indexed["robusta"].pk]

    # Each facet counts under every filter but its own: the bar (5.50) is out of stock, the
    # lanang (12.00) too dear, the gift set (21.00) not coffee.
    def counts(name: str) -> dict[str, int]:
        return {v.value: v.count for v in result.facets[name]}

    assert counts("category") == {"kopi": 1}
    assert counts("price") == {"0-9.99": 1, "10-24.99": 1}
    assert counts("in_stock") == {"true": 1}
    assert counts("ships_to_eu") == {"true": 1}
    everything = search(SearchQuery(eu_market, page_size=60))
    assert {v.value: v.count for v in everything.facets["in_stock"]} == {"true": 5, "false": 1}


def test_a_stale_hit_is_never_shown(
    indexed: dict[str, Product], es: ElasticsearchStandIn, id_market: Market, operator: Any
) -> None:
    # Removed while the index could not be told (no commit hooks run here): the hit stays.
    catalog.remove_product(operator, indexed["lanang"], "Merek palsu")
    assert str(indexed["lanang"].pk) in es.docs(ALIAS)
    result = search(SearchQuery(id_market, "kopi"))
    assert ids(result.products) == [indexed["robusta"].pk]


def test_the_backend_is_chosen_by_settings(es: ElasticsearchStandIn) -> None:
    from marketplace.search.backends import get_backend

    assert isinstance(get_backend(), ElasticsearchBackend)
    assert services.index_products([]).documents == []


def test_when_elasticsearch_is_down_the_database_answers(
    indexed: dict[str, Product], es: ElasticsearchStandIn, id_market: Market
) -> None:
    es.stop()
    result = search(SearchQuery(id_market, "kopi"))
    assert set(ids(result.products)) == {indexed["lanang"].pk, indexed["robusta"].pk}


def test_a_listing_removed_during_a_reindex_is_not_left_in_the_new_index(
    indexed: dict[str, Product],
    es: ElasticsearchStandIn,
    operator: Any,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Any,
) -> None:
    removed = indexed["robusta"]
    targets = ElasticsearchBackend._alias_targets

    def remove_while_loading(backend: ElasticsearchBackend) -> list[str]:
        # The new index is loaded (with the listing) but the alias still names the old one:
        # the removal's delete goes to the old index only.
        with django_capture_on_commit_callbacks(execute=True):
            catalog.remove_product(operator, removed, "Foto milik orang lain")
        return targets(backend)

    monkeypatch.setattr(ElasticsearchBackend, "_alias_targets", remove_while_loading)
    call_command("reindex", stdout=io.StringIO())
    assert str(removed.pk) not in es.docs(ALIAS)
    assert set(es.docs(ALIAS)) == {str(p.pk) for p in indexed.values() if p.pk != removed.pk}

"""Documents follow the catalog: domain events enqueue ``index_products``; ``reindex`` rebuilds."""

from __future__ import annotations

import io
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection

from marketplace.catalog import services as catalog
from marketplace.catalog.models import Product
from marketplace.markets.markets import Market
from marketplace.search import SearchQuery, search
from marketplace.search.models import ProductDocument
from sellers import services as sellers
from tests.readiness.helpers import make_export_ready
from tests.search.conftest import Seller

pytestmark = pytest.mark.django_db


@pytest.fixture
def kemiren(seller_factory: Callable[..., Seller], places: dict[str, Any]) -> Seller:
    return seller_factory("Warung Pak Slamet", places["kemiren"])


@pytest.fixture
def operator(user_factory: Callable[..., Any]) -> Any:
    return user_factory(phone="+6281300000777", is_staff=True)


def test_publishing_creates_the_document(
    kemiren: Seller, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        draft = kemiren.list(
            "kopi",
            {"id": "Kopi lanang Osing", "en": "Osing peaberry coffee", "de": "Perlbohnenkaffee"},
            {"id": "<p>Dipilih <b>satu per satu</b>.</p>"},
            price=85_000,
            export_price="12.00",
            ships_to_eu=True,
            publish=False,
        )
    assert not ProductDocument.objects.filter(pk=draft.pk).exists()
    with django_capture_on_commit_callbacks(execute=True):
        catalog.publish_product(kemiren.owner, draft)
        make_export_ready(draft)  # after publishing's recompute: the EU market needs readiness
    doc = ProductDocument.objects.get(pk=draft.pk)
    assert (doc.title_ind, doc.title_en, doc.title_de) == (
        "Kopi lanang Osing",
        "Osing peaberry coffee",
        "Perlbohnenkaffee",
    )
    assert doc.description_ind == "Dipilih satu per satu."  # tags stripped
    assert doc.category_ind == "Kopi" and doc.category_de == "Kaffee"
    assert doc.place == "Warung Pak Slamet Kemiren Glagah"
    assert (doc.category_slug, doc.category_path) == ("kopi", "/kopi/")
    assert (doc.district_code, doc.village_code) == ("3510170", "3510170012")
    assert (doc.min_price_idr, doc.min_export_price_eur) == (Decimal(85_000), Decimal("12.00"))
    assert doc.in_stock and doc.ships_to_eu and doc.visible_id and doc.visible_eu
    assert doc.markets == ["ID", "EU"]
    assert doc.published_at == Product.objects.get(pk=draft.pk).published_at
    assert "perlbohnenkaffee" in doc.words and "kemiren" in doc.words
    if connection.vendor == "postgresql":
        assert doc.document is not None and "'kopi':1A" in doc.document


def test_changes_to_price_and_stock_reach_the_document(
    kemiren: Seller, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        product = kemiren.list("kopi", {"id": "Kopi Osing"}, price=85_000, stock=2)
    variant = product.variants.get()
    with django_capture_on_commit_callbacks(execute=True):
        catalog.save_variant(
            kemiren.owner,
            product,
            catalog.VariantInput(sku="second", price_idr=40_000),
        )
        catalog.set_stock(kemiren.owner, variant, 0)
    doc = ProductDocument.objects.get(pk=product.pk)
    assert doc.min_price_idr == Decimal(40_000)
    assert doc.in_stock is False


def test_removed_and_archived_listings_lose_their_document(
    kemiren: Seller, operator: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        removed = kemiren.list("kopi", {"id": "Kopi palsu"})
        archived = kemiren.list("kopi", {"id": "Kopi lama"})
    assert ProductDocument.objects.count() == 2
    with django_capture_on_commit_callbacks(execute=True):
        catalog.remove_product(operator, removed, "Merek palsu")
        catalog.archive_product(kemiren.owner, archived)
    assert ProductDocument.objects.count() == 0


def test_a_suspended_shop_leaves_search_and_returns_when_approved(
    kemiren: Seller, operator: Any, id_market: Market, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        products = [kemiren.list("kopi", {"id": f"Kopi Osing {n}"}) for n in range(3)]
    assert search(SearchQuery(id_market, "kopi")).total == 3
    with django_capture_on_commit_callbacks(execute=True):
        sellers.suspend_shop(operator, kemiren.shop, "Dokumen tidak sah")
    assert ProductDocument.objects.count() == 0
    assert search(SearchQuery(id_market, "kopi")).total == 0
    with django_capture_on_commit_callbacks(execute=True):
        sellers.approve_shop(operator, kemiren.shop)
    assert set(ProductDocument.objects.values_list("pk", flat=True)) == {p.pk for p in products}


def test_reindex_rebuilds_every_document(
    goods: dict[str, Product], kemiren: Seller, id_market: Market
) -> None:
    ProductDocument.objects.filter(pk=goods["lanang"].pk).delete()
    ProductDocument.objects.filter(pk=goods["robusta"].pk).update(title_ind="stale")
    stray = kemiren.list("kopi", {"id": "Kopi draf"}, publish=False)
    ProductDocument.objects.create(
        product=stray, category_slug="kopi", category_path="/kopi/", district_code="x"
    )
    out = io.StringIO()
    call_command("reindex", stdout=out)
    assert set(ProductDocument.objects.values_list("pk", flat=True)) == {
        p.pk for p in goods.values()
    }
    assert ProductDocument.objects.get(pk=goods["robusta"].pk).title_ind == (
        "Kopi Robusta sangrai sedang"
    )
    assert f"documents: {len(goods)}/{len(goods)}" in out.getvalue()
    assert f"Reindexed {len(goods)} listings" in out.getvalue()

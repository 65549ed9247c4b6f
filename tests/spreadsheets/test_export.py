"""Exporting a shop's listings in the import format: re-importing an export changes nothing."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import load_workbook

from marketplace.audit.models import AuditEntry
from marketplace.catalog import services as catalog
from marketplace.catalog.models import Product, ProductVariant, StockMovement
from sellers.spreadsheets.parsing import HEADERS

pytestmark = pytest.mark.django_db


@pytest.fixture
def stocked_shop(owner: Any, shop: Any, listing: Callable[..., Product], kopi: Any) -> Any:
    """Listings with what an export must carry through: HTML, options, euro, no euro, published."""
    listing(sku="KO-250", stock=5, publish=True, de="Osing-Kaffee")
    listing(sku="=HYPERLINK(1)", stock=1, id="=1+1 kopi")  # text, never a formula
    second = listing(sku="00123", stock=0)
    catalog.save_variant(
        owner,
        second,
        catalog.VariantInput(
            sku="KO-1000",
            price_idr=310_000,
            name="1 kg; giling",
            options={"colour": "coklat"},
            length_mm=200,
            width_mm=100,
            height_mm=60,
        ),
    )
    bare = catalog.create_product(
        owner, shop, catalog.ProductInput(category=kopi, title={"id": "Kopi tanpa varian"})
    )
    assert not bare.variants.exists()
    return shop


def state() -> tuple[Any, ...]:
    return (
        sorted(Product.objects.values_list("pk", "updated_at", "needs_review")),
        sorted(ProductVariant.objects.values_list("pk", "sku", "stock_quantity", "price")),
        StockMovement.objects.count(),
        AuditEntry.objects.count(),
    )


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_reimporting_an_export_changes_nothing(
    seller_client: Client, stocked_shop: Any, fmt: str
) -> None:
    shop = stocked_shop
    response = seller_client.get(f"/penjual/{shop.slug}/ekspor/produk.{fmt}")
    assert response.status_code == 200
    assert f"produk-{shop.slug}-" in response["Content-Disposition"]
    before = state()

    response = seller_client.post(
        f"/penjual/{shop.slug}/impor/",
        {"file": SimpleUploadedFile(f"ekspor.{fmt}", response.content)},
        follow=True,
    )
    page = response.content.decode()
    assert "matches your shop: there is nothing to change" in page, page
    assert "4 rows unchanged" in page
    job_url = response.redirect_chain[-1][0]
    seller_client.post(job_url)  # the button is not shown, but even a forced confirm writes nothing
    assert state() == before


def test_the_export_holds_one_row_per_variant(seller_client: Client, stocked_shop: Any) -> None:
    shop = stocked_shop
    content = seller_client.get(f"/penjual/{shop.slug}/ekspor/produk.xlsx").content
    rows = list(
        load_workbook(io.BytesIO(content), read_only=True)["Produk"].iter_rows(values_only=True)
    )
    assert list(rows[0]) == list(HEADERS)
    by_sku = {r[1]: dict(zip(HEADERS, r, strict=True)) for r in rows[1:]}
    # The listing without variants is left out; text that looks like a formula stays text.
    assert set(by_sku) == {"KO-250", "00123", "KO-1000", "=HYPERLINK(1)"}
    assert by_sku["=HYPERLINK(1)"]["judul"] == "=1+1 kopi"
    sheet = load_workbook(io.BytesIO(content))["Produk"]
    assert {c.data_type for r in sheet.iter_rows(min_row=2) for c in r if c.value} == {"s", "n"}
    small = by_sku["KO-250"]
    assert (small["judul"], small["judul_inggris"], small["kategori"]) == (
        "Kopi Osing",
        "Osing coffee",
        "kopi",
    )
    assert small["harga_idr"] == 85_000 and small["harga_eur"] == 12.5 and small["stok"] == 5
    assert small["pilihan"] == "weight=250 g; roast=medium"
    assert by_sku["00123"]["kode_produk"] == by_sku["KO-1000"]["kode_produk"]

    text = seller_client.get(f"/penjual/{shop.slug}/ekspor/produk.csv").content.decode("utf-8")
    assert text.startswith("\ufeff")
    records = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert {r["sku"]: r["harga_eur"] for r in records}["KO-250"] == "12,50"
    assert {r["sku"]: r["harga_idr"] for r in records}["KO-1000"] == "310000"


def test_the_export_page_counts_what_it_will_hold(seller_client: Client, stocked_shop: Any) -> None:
    page = seller_client.get(f"/penjual/{stocked_shop.slug}/ekspor/").content.decode()
    assert "has 4 listings with 4 variants in all" in page
    assert f"/penjual/{stocked_shop.slug}/ekspor/produk.xlsx" in page

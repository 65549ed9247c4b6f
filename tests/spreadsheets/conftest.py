"""Fixtures for the spreadsheet import: a shop with an owner, and files written as a seller would."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from typing import Any

import pytest
from django.test import Client

from marketplace.catalog import services as catalog
from marketplace.catalog.models import Category, Product
from sellers.spreadsheets.parsing import HEADERS

Rows = Sequence[dict[str, Any]]


def csv_bytes(
    rows: Rows, *, delimiter: str = ",", bom: bool = False, headers: Sequence[str] = HEADERS
) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(headers)
    for row in rows:
        writer.writerow([row.get(h, "") for h in headers])
    return (("\ufeff" if bom else "") + out.getvalue()).encode("utf-8")


def xlsx_bytes(rows: Rows, *, headers: Sequence[str] = HEADERS) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Produk"
    sheet.append(list(headers))
    for row in rows:
        sheet.append([row.get(h) for h in headers])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def row(code: str, sku: str, **kw: Any) -> dict[str, Any]:
    """One variant row with sensible defaults (a coffee listing)."""
    return {
        "kode_produk": code,
        "sku": sku,
        "judul": kw.pop("judul", f"Kopi {code}"),
        "kategori": kw.pop("kategori", "kopi"),
        "harga_idr": kw.pop("harga_idr", "25.000"),
        **kw,
    }


@pytest.fixture
def owner(user_factory: Callable[..., Any]) -> Any:
    return user_factory(phone="+6281234500010")


@pytest.fixture
def shop(shop_factory: Callable[..., Any], owner: Any) -> Any:
    return shop_factory(owner=owner)


@pytest.fixture
def seller_client(client: Client, owner: Any) -> Client:
    client.force_login(owner)
    client.cookies["pasar_language"] = "en"
    return client


@pytest.fixture
def kopi(db: None) -> Category:
    return Category.objects.get(slug="kopi")


@pytest.fixture
def listing(owner: Any, shop: Any, kopi: Category) -> Callable[..., Product]:
    """A listing made through the catalog services, as on its page."""

    def make(sku: str = "KO-1", stock: int = 5, publish: bool = False, **title: str) -> Product:
        product = catalog.create_product(
            owner,
            shop,
            catalog.ProductInput(
                category=kopi,
                title={"id": "Kopi Osing", "en": "Osing coffee", **title},
                description={"id": "<p>Robusta petik merah dari Kemiren.</p>"},
            ),
        )
        variant = catalog.save_variant(
            owner,
            product,
            catalog.VariantInput(
                sku=sku,
                price_idr=85_000,
                export_price_eur="12.50",
                name="250 g",
                options={"weight": "250 g", "roast": "medium"},
                weight_grams=250,
            ),
        )
        if stock:
            catalog.adjust_stock(owner, variant, stock)
        if publish:
            catalog.publish_product(owner, product)
        return product

    return make

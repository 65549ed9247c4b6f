"""Importing listings from a spreadsheet: every row checked, then all or nothing."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation
from djmoney.money import Money

from marketplace.audit.models import AuditEntry
from marketplace.catalog import services as catalog
from marketplace.catalog.models import (
    Product,
    ProductStatus,
    ProductVariant,
    ProhibitedTerm,
    StockMovement,
    StockReason,
)
from marketplace.core import events
from sellers.spreadsheets import services
from sellers.spreadsheets.parsing import Format
from sellers.spreadsheets.services import ImportInvalid

from .conftest import csv_bytes, row, xlsx_bytes

pytestmark = pytest.mark.django_db

#: Only the required columns and the stock: the listing's other values are kept.
SHORT = ("kode_produk", "sku", "judul", "kategori", "harga_idr", "stok")


def counts() -> tuple[int, int, int, int]:
    return (
        Product.objects.count(),
        ProductVariant.objects.count(),
        StockMovement.objects.count(),
        AuditEntry.objects.count(),
    )


def run(owner: Any, shop: Any, data: bytes, fmt: Format = Format.CSV) -> services.Summary:
    with translation.override("en"):
        return services.import_listings(owner, shop, data, fmt, commit=True, filename="f.csv")


def errors_of(
    owner: Any, shop: Any, data: bytes, fmt: Format = Format.CSV, language: str = "en"
) -> list[Any]:
    with translation.override(language), pytest.raises(ImportInvalid) as exc:
        services.import_listings(owner, shop, data, fmt, commit=True)
    return exc.value.errors


def test_one_bad_row_of_three_writes_nothing_and_names_the_row(owner: Any, shop: Any) -> None:
    before = counts()
    data = csv_bytes(
        [
            row("KOPI", "KO-1", stok="10"),
            row("KOPI", "KO-2", harga_idr="dua puluh ribu"),
            row("GULA", "GA-1", kategori="makanan-olahan"),
        ]
    )
    # The seller's language is Indonesian: the whole message is, row number and all.
    errors = errors_of(owner, shop, data, language="id")
    assert [(e.row, e.column, e.code) for e in errors] == [(3, "harga_idr", "invalid")]
    with translation.override("id"):
        assert str(errors[0]) == (
            "Baris 3, kolom harga_idr: Tulis harga dalam rupiah tanpa sen, "
            "misalnya 25000 atau 25.000."
        )
    assert counts() == before


@pytest.mark.parametrize("fmt", [Format.CSV, Format.XLSX])
def test_a_good_file_creates_listings_variants_and_import_stock(
    owner: Any, shop: Any, fmt: Format
) -> None:
    rows = [
        row(
            "KOPI",
            "KO-250",
            judul_inggris="Osing coffee",
            deskripsi="Robusta dari Kemiren",
            nama_varian="250 g",
            pilihan="sangrai=medium; weight=250 g",
            harga_idr="25.000",
            harga_eur="3,50",
            berat_gram="250",
            stok="10",
        ),
        row("KOPI", "KO-1000", nama_varian="1 kg", harga_idr="Rp 90.000", stok="4"),
        row("GULA", "GA-1", judul="Gula aren", kategori="makanan-olahan", harga_idr="15000"),
    ]
    data = csv_bytes(rows, delimiter=";", bom=True) if fmt is Format.CSV else xlsx_bytes(rows)
    summary = run(owner, shop, data, fmt)
    assert (summary.products_created, summary.variants_created, summary.stock_changes) == (2, 3, 2)

    kopi = Product.objects.get(shop=shop, title_ind="Kopi KOPI")
    assert kopi.status == ProductStatus.DRAFT
    assert (kopi.title_en, kopi.description_ind, kopi.category.slug) == (
        "Osing coffee",
        "Robusta dari Kemiren",
        "kopi",
    )
    small = kopi.variants.get(sku="KO-250")
    assert small.price == Money(25_000, "IDR")
    assert small.export_price == Money(Decimal("3.50"), "EUR")
    assert small.options == {"roast": "medium", "weight": "250 g"}
    assert (small.weight_grams, small.stock_quantity, small.position) == (250, 10, 0)
    assert kopi.variants.get(sku="KO-1000").position == 1
    assert Product.objects.get(title_ind="Gula aren").variants.get().stock_quantity == 0
    movements = StockMovement.objects.order_by("variant__sku")
    assert [(m.variant.sku, m.delta, m.quantity_after, m.reason) for m in movements] == [
        ("KO-1000", 4, 4, StockReason.IMPORT),
        ("KO-250", 10, 10, StockReason.IMPORT),
    ]
    actions = sorted(AuditEntry.objects.values_list("action", flat=True))
    assert actions.count("product.created") == 2
    assert actions.count("variant.created") == 3
    assert actions.count("stock.changed") == 2
    assert actions.count("listings.imported") == 1
    entry = AuditEntry.objects.filter(action="variant.created").first()
    assert entry is not None and (entry.actor, entry.on_behalf_of) == (owner, shop)


def test_an_existing_sku_updates_its_variant_listing_and_stock(
    owner: Any, shop: Any, listing: Callable[..., Product]
) -> None:
    product = listing(sku="KO-1", stock=5, de="Osing-Kaffee")
    data = csv_bytes(
        [
            row("X", "ko-1", judul="Kopi Osing baru", harga_idr="30.000", stok="8"),
            row("X", "KO-2", judul="", harga_idr="50000", stok="0"),
        ]
    )
    summary = run(owner, shop, data)
    assert (summary.products_created, summary.products_updated) == (0, 1)
    assert (summary.variants_created, summary.variants_updated, summary.stock_changes) == (1, 1, 1)
    product.refresh_from_db()
    assert product.title_ind == "Kopi Osing baru"
    # Columns the file leaves out keep their values; an empty cell clears its value.
    assert product.title_de == "Osing-Kaffee"
    assert product.title_en is None
    variant = product.variants.get(sku__iexact="ko-1")
    assert (variant.sku, variant.price, variant.stock_quantity) == ("ko-1", Money(30_000, "IDR"), 8)
    assert variant.export_price is None
    move = StockMovement.objects.filter(variant=variant, reason=StockReason.IMPORT).get()
    assert (move.delta, move.quantity_after, move.actor) == (3, 8, owner)
    assert product.variants.get(sku="KO-2").position == 1


def test_an_empty_stock_cell_keeps_the_stock(
    owner: Any, shop: Any, listing: Callable[..., Product]
) -> None:
    product = listing(sku="KO-1", stock=5)
    run(owner, shop, csv_bytes([row("X", "KO-1", judul="Kopi Osing", stok="")]))
    assert product.variants.get().stock_quantity == 5
    assert not StockMovement.objects.filter(reason=StockReason.IMPORT).exists()


def test_rows_of_a_listing_must_agree(owner: Any, shop: Any) -> None:
    errors = errors_of(
        owner,
        shop,
        csv_bytes(
            [
                row("KOPI", "KO-1"),
                row("KOPI", "KO-2", judul="Kopi lain"),
                row("kopi", "ko-1", judul=""),
                row("", "KO-3"),
            ]
        ),
    )
    assert [(e.row, e.column, e.code) for e in errors] == [
        (3, "judul", "listing_mismatch"),
        (4, "sku", "duplicate_sku"),
        (5, "kode_produk", "required"),
    ]
    assert "differs from row 2" in errors[0].message
    assert "already on row 2" in errors[1].message


def test_a_variant_cannot_move_to_another_listing(
    owner: Any, shop: Any, listing: Callable[..., Product]
) -> None:
    listing(sku="A-1")
    listing(sku="B-1")
    errors = errors_of(owner, shop, csv_bytes([row("ONE", "A-1"), row("ONE", "B-1")]))
    assert [(e.row, e.code) for e in errors] == [(3, "other_listing")]
    # One listing written under two codes is refused too.
    product = Product.objects.get(variants__sku="A-1")
    catalog.save_variant(owner, product, catalog.VariantInput(sku="A-2", price_idr=1000))
    errors = errors_of(owner, shop, csv_bytes([row("ONE", "A-1"), row("TWO", "A-2")]))
    assert [(e.row, e.code) for e in errors] == [(3, "listing_split")]


@pytest.mark.parametrize(
    ("column", "value", "field", "catalog_value"),
    [
        ("harga_idr", "0", "price_idr", "0"),
        ("harga_idr", "-5.000", "price_idr", "-5000"),
        ("harga_idr", "", "price_idr", ""),
        ("harga_idr", "25.000,50", "price_idr", "25000.50"),
        ("harga_idr", "1.000.000.000.000.000", "price_idr", "1000000000000000"),
        ("harga_eur", "1,255", "export_price_eur", None),
        ("harga_eur", "12,505", "export_price_eur", None),
        ("harga_eur", "0", "export_price_eur", "0"),
        ("berat_gram", "0", "weight_grams", 0),
        ("pilihan", "rasa=manis", "options", {"rasa": "manis"}),
        ("sku", "X" * 65, "sku", "X" * 65),
        ("nama_varian", "n" * 101, "name", "n" * 101),
    ],
)
def test_variant_rules_are_the_catalogs(
    owner: Any,
    shop: Any,
    listing: Callable[..., Product],
    column: str,
    value: str,
    field: str,
    catalog_value: Any,
) -> None:
    """The same value gets the same error code from the import as from ``save_variant``."""
    errors = errors_of(owner, shop, csv_bytes([{**row("K", "S-1"), column: value}]))
    assert [e.column for e in errors] == [column]
    if catalog_value is None:  # an unclear euro amount is a format question, asked by the import
        assert errors[0].code == "invalid"
        return
    product = listing(sku="OTHER")
    data: dict[str, Any] = {"sku": "S-9", "price_idr": 1000}
    data[{"weight_grams": "weight_grams", "name": "name"}.get(field, field)] = catalog_value
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        catalog.save_variant(owner, product, catalog.VariantInput(**data))
    expected = exc.value.error_dict[field][0]
    assert errors[0].code == expected.code
    assert errors[0].message == expected.message % (expected.params or {})


def test_listing_rules_are_the_catalogs(owner: Any, shop: Any) -> None:
    errors = errors_of(
        owner,
        shop,
        csv_bytes(
            [
                row("A", "A-1", judul=""),
                row("B", "B-1", judul="j" * 151),
                row("C", "C-1", kategori="emas"),
            ]
        ),
    )
    assert [(e.row, e.column, e.code) for e in errors] == [
        (2, "judul", "required"),
        (3, "judul", "max_length"),
        (4, "kategori", "unknown_category"),
    ]
    assert errors[0].message == "Write the title in Indonesian."


def test_negative_stock_is_refused_like_set_stock(owner: Any, shop: Any) -> None:
    errors = errors_of(owner, shop, csv_bytes([row("A", "A-1", stok="-1")]))
    assert [(e.column, e.code, e.message) for e in errors] == [
        ("stok", "min_value", "Stock cannot be negative.")
    ]


def test_a_changed_published_listing_is_screened_reviewed_and_announced(
    owner: Any,
    shop: Any,
    listing: Callable[..., Product],
    django_capture_on_commit_callbacks: Any,
) -> None:
    product = listing(sku="KO-1", publish=True)
    Product.objects.filter(pk=product.pk).update(needs_review=False)
    ProhibitedTerm.objects.create(term="luwak liar", reason="wild civets are protected")
    errors = errors_of(owner, shop, csv_bytes([row("K", "KO-1", judul="Kopi luwak liar")]))
    assert [(e.column, e.code) for e in errors] == [("judul", "prohibited")]

    seen: list[dict[str, Any]] = []

    def handler(**payload: Any) -> None:
        seen.append(payload)

    events.subscribe("product.changed")(handler)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            run(
                owner,
                shop,
                csv_bytes([row("K", "KO-1", judul="Kopi Osing", stok="0")], headers=SHORT),
            )
    finally:
        events._handlers["product.changed"].remove(handler)
    product.refresh_from_db()
    assert product.needs_review is False  # the title did not change, only stock
    assert seen == [{"product_id": product.pk}]
    run(owner, shop, csv_bytes([row("K", "KO-1", judul="Kopi Osing Kemiren")], headers=SHORT))
    product.refresh_from_db()
    assert product.needs_review is True and product.title == "Kopi Osing Kemiren"


def test_someone_who_cannot_manage_the_shop_is_refused(
    owner: Any, shop: Any, user_factory: Callable[..., Any]
) -> None:
    stranger = user_factory(phone="+6281234500077")
    with pytest.raises(PermissionDenied):
        services.import_listings(
            stranger, shop, csv_bytes([row("A", "A-1")]), Format.CSV, commit=True
        )
    assert Product.objects.count() == 0


def test_a_facilitator_with_consent_imports_on_the_shops_behalf(
    owner: Any, shop: Any, user_factory: Callable[..., Any], hall: Any, consent: Any
) -> None:
    facilitator = user_factory(phone="+6281234500020")
    hall.facilitators.add(facilitator)
    consent(shop, facilitator)
    run(facilitator, shop, csv_bytes([row("A", "A-1")]))
    entry = AuditEntry.objects.get(action="product.created")
    assert (entry.actor, entry.on_behalf_of) == (facilitator, shop)

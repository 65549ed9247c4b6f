"""Benchmark: import a 10,000-row listings spreadsheet (2,500 listings x 4 variants).

Goal (issue): the whole import — read, check every row, write listings, variants, stock movements
and audit entries in one transaction — takes at most 30 s. Printed against baselines measured in the
same run: checking the same file without writing (the import's own dry run, which the preview
page does), and a raw ``bulk_create`` of the same listings and variants with no checks, no stock
movements and no audit. A second import of the same file (no changes) is timed too.

Runs on a fresh test database: SQLite (in memory) by default, PostgreSQL when DATABASE_URL is set.

    .venv/bin/python bench/import_listings.py [--listings 2500] [--variants 4] [--xlsx]
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings")

import django

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test.utils import setup_test_environment, teardown_test_environment  # noqa: E402
from djmoney.money import Money  # noqa: E402

GOAL_SECONDS = 30.0
ROASTS = ("light", "medium", "dark")
WEIGHTS = ("100 g", "250 g", "500 g", "1 kg")


def make_rows(listings: int, variants: int) -> list[dict[str, str]]:
    rows = []
    for p in range(listings):
        for v in range(variants):
            rows.append(
                {
                    "kode_produk": f"KOPI-{p:05d}",
                    "sku": f"KO-{p:05d}-{v}",
                    "judul": f"Kopi Osing Kemiren {p}" if v == 0 else "",
                    "judul_inggris": f"Osing coffee from Kemiren {p}" if v == 0 else "",
                    "deskripsi": "Robusta petik merah, dijemur di para-para." if v == 0 else "",
                    "kategori": "kopi" if v == 0 else "",
                    "nama_varian": WEIGHTS[v % len(WEIGHTS)],
                    "pilihan": f"roast={ROASTS[p % 3]}; weight={WEIGHTS[v % len(WEIGHTS)]}",
                    "harga_idr": f"{25 + 10 * v}.000",
                    "harga_eur": f"{3 + v},50",
                    "berat_gram": str(100 * (v + 1)),
                    "panjang_mm": "150",
                    "lebar_mm": "90",
                    "tinggi_mm": "40",
                    "stok": str((p + v) % 20),
                }
            )
    return rows


def to_csv(rows: list[dict[str, str]]) -> bytes:
    from sellers.spreadsheets.parsing import HEADERS

    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(HEADERS)
    for row in rows:
        writer.writerow([row.get(h, "") for h in HEADERS])
    return out.getvalue().encode("utf-8")


def to_xlsx(rows: list[dict[str, str]]) -> bytes:
    from openpyxl import Workbook

    from sellers.spreadsheets.parsing import HEADERS

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Produk")
    sheet.append(list(HEADERS))
    for row in rows:
        sheet.append([row.get(h, "") for h in HEADERS])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def make_shop(n: int) -> tuple[Any, Any]:
    from marketplace.accounts.models import User
    from marketplace.regions.models import Region
    from sellers.models import MemberRole, Shop, ShopMembership

    village = Region.objects.filter(level="village").first()
    if village is None:
        prov = Region.objects.create(code="35", level="province", name="JAWA TIMUR")
        regency = Region.objects.create(
            code="3510", level="regency", name="BANYUWANGI", parent=prov
        )
        district = Region.objects.create(
            code="3510170", level="district", name="GLAGAH", parent=regency
        )
        village = Region.objects.create(
            code="3510170012", level="village", name="KEMIREN", parent=district
        )
    owner = User.objects.create_user(
        phone=f"+62812345{n:05d}",
        full_name="Bench",
        password="bench-password-1",  # noqa: S106
    )
    shop = Shop.objects.create(name=f"Bench {n}", slug=f"bench-{n}", village=village)
    ShopMembership.objects.create(shop=shop, user=owner, role=MemberRole.OWNER)
    return owner, shop


def raw_bulk_create(shop: Any, rows: list[dict[str, str]]) -> None:
    """The floor: the same listings and variants, inserted with no checks, movements or audit."""
    from marketplace.catalog.models import Category, Product, ProductVariant

    kopi = Category.objects.get(slug="kopi")
    with transaction.atomic():
        products: dict[str, Product] = {}
        for row in rows:
            if row["kode_produk"] not in products:
                products[row["kode_produk"]] = Product(
                    shop=shop,
                    category=kopi,
                    title=row["judul"],
                    title_ind=row["judul"],
                    title_en=row["judul_inggris"],
                    description=row["deskripsi"],
                    description_ind=row["deskripsi"],
                )
        Product.objects.bulk_create(products.values(), batch_size=500)
        ProductVariant.objects.bulk_create(
            [
                ProductVariant(
                    product=products[row["kode_produk"]],
                    sku=row["sku"],
                    name=row["nama_varian"],
                    options={"weight": row["nama_varian"]},
                    price=Money(int(row["harga_idr"].replace(".", "")), "IDR"),
                    weight_grams=int(row["berat_gram"]),
                    stock_quantity=int(row["stok"]),
                )
                for row in rows
            ],
            batch_size=500,
        )


def timed(label: str, fn: Any) -> tuple[float, Any]:
    start = time.perf_counter()
    result = fn()
    seconds = time.perf_counter() - start
    print(f"{label:<48} {seconds:8.2f} s")
    return seconds, result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--listings", type=int, default=2500)
    parser.add_argument("--variants", type=int, default=4)
    parser.add_argument("--xlsx", action="store_true", help="also time the same file as XLSX")
    args = parser.parse_args()

    from marketplace.catalog.models import ProductVariant, StockMovement
    from sellers.spreadsheets import services
    from sellers.spreadsheets.parsing import Format

    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    if connection.vendor != "sqlite":  # SQLite's test database is in memory; keep it there
        # A name of its own: never the test database of a pytest run on the same server.
        connection.settings_dict["TEST"]["NAME"] = "test_pasar_bench_import_listings"
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        print(f"database: {connection.vendor}")
        rows = make_rows(args.listings, args.variants)
        data = to_csv(rows)
        print(
            f"file: {len(rows):,} rows ({args.listings:,} listings x {args.variants} variants), "
            f"CSV {len(data) / 1e6:.2f} MB"
        )

        owner, shop = make_shop(1)
        check, summary = timed(
            "baseline: read + check every row (dry run)",
            lambda: services.import_listings(owner, shop, data, Format.CSV, commit=False),
        )
        assert summary.variants_created == len(rows), summary
        _, bench_shop = make_shop(2)
        raw, _ = timed(
            "baseline: raw bulk_create, no checks/audit", lambda: raw_bulk_create(bench_shop, rows)
        )
        full, summary = timed(
            "import: check + write in one transaction",
            lambda: services.import_listings(
                owner, shop, data, Format.CSV, commit=True, filename="bench.csv"
            ),
        )
        assert ProductVariant.objects.filter(product__shop=shop).count() == len(rows)
        movements = StockMovement.objects.filter(variant__product__shop=shop).count()
        again, second = timed(
            "re-import of the same file (no changes)",
            lambda: services.import_listings(owner, shop, data, Format.CSV, commit=True),
        )
        assert second.changes == 0, second
        assert StockMovement.objects.filter(variant__product__shop=shop).count() == movements

        if args.xlsx:
            xlsx = to_xlsx(rows)
            owner3, shop3 = make_shop(3)
            timed(
                f"import of the same rows as XLSX ({len(xlsx) / 1e6:.2f} MB)",
                lambda: services.import_listings(owner3, shop3, xlsx, Format.XLSX, commit=True),
            )

        print(
            f"written: {summary.products_created:,} listings, {summary.variants_created:,} "
            f"variants, {summary.stock_changes:,} stock movements"
        )
        print(f"ratio import / dry run:        {full / check:5.2f}x")
        print(f"ratio import / raw bulk_create: {full / raw:5.2f}x")
        print(f"ratio re-import / import:       {again / full:5.2f}x")
        ok = full <= GOAL_SECONDS
        print(f"goal ≤ {GOAL_SECONDS:.0f} s: {'met' if ok else 'NOT met'} ({full:.2f} s)")
        return 0 if ok else 1
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()


if __name__ == "__main__":
    sys.exit(main())

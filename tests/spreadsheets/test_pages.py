"""The import and export pages: template, upload, preview, confirm, progress, refusals, 403."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from typing import Any

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import load_workbook

from marketplace.catalog.models import Product, ProductVariant, StockMovement, StockReason
from sellers.spreadsheets import jobs, parsing, services, tasks
from sellers.spreadsheets.parsing import HEADERS

from .conftest import csv_bytes, row, xlsx_bytes

pytestmark = pytest.mark.django_db

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def upload(client: Client, shop: Any, name: str, data: bytes) -> Any:
    return client.post(
        f"/penjual/{shop.slug}/impor/", {"file": SimpleUploadedFile(name, data)}, follow=True
    )


def test_the_template_downloads_with_indonesian_headers(seller_client: Client, shop: Any) -> None:
    response = seller_client.get(f"/penjual/{shop.slug}/impor/templat.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_TYPE
    assert "attachment" in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.content), read_only=True)
    assert workbook.sheetnames == ["Produk", "Petunjuk"]
    header = next(workbook["Produk"].iter_rows(values_only=True))
    assert list(header) == list(HEADERS)
    assert header[:3] == ("kode_produk", "sku", "judul")
    instructions = [c for r in workbook["Petunjuk"].iter_rows(values_only=True) for c in r if c]
    assert "harga_idr" in instructions and "kopi" in instructions  # columns and category codes

    response = seller_client.get(f"/penjual/{shop.slug}/impor/templat.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    assert next(csv.reader(io.StringIO(text), delimiter=";")) == list(HEADERS)
    assert "harga_eur" in text and "stok" in text


def test_the_import_page_explains_the_format(seller_client: Client, shop: Any) -> None:
    response = seller_client.get(f"/penjual/{shop.slug}/impor/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "25.000" in page and "CSV UTF-8" in page and 'enctype="multipart/form-data"' in page
    assert "<details>" in page and "kode_produk" in page


def test_upload_preview_confirm_imports_an_xlsx(seller_client: Client, shop: Any) -> None:
    data = xlsx_bytes(
        [
            {**row("KOPI", "KO-1"), "harga_idr": 25000, "harga_eur": 3.5, "stok": 7},
            {**row("KOPI", "KO-2", judul=""), "harga_idr": 90000, "stok": 2},
        ]
    )
    response = upload(seller_client, shop, "produk.xlsx", data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "This is what the import will do" in page
    assert "1 new listing (as a draft)" in page and "2 new variants" in page
    assert Product.objects.count() == 0  # nothing before the seller confirms

    job_url = response.redirect_chain[-1][0]
    response = seller_client.post(job_url, follow=True)
    assert "Done: the file has been imported." in response.content.decode()
    product = Product.objects.get(shop=shop)
    assert sorted(product.variants.values_list("sku", "stock_quantity")) == [
        ("KO-1", 7),
        ("KO-2", 2),
    ]
    assert str(product.variants.get(sku="KO-1").export_price.amount) == "3.50"
    # A second tap on the button (or a reload of the POST) imports nothing again.
    seller_client.post(job_url)
    assert StockMovement.objects.filter(reason=StockReason.IMPORT).count() == 2


def test_a_bad_row_is_shown_by_number_and_nothing_is_written(
    seller_client: Client, shop: Any
) -> None:
    data = csv_bytes([row("A", "A-1"), row("A", "A-2", judul="", harga_idr="0"), row("B", "B-1")])
    response = upload(seller_client, shop, "produk.csv", data)
    page = response.content.decode()
    assert "Nothing was imported: the file has 1 problem." in page
    assert 'data-code="min_value"><td>3</td><td><code>harga_idr</code></td>' in page
    assert "The price must be more than zero." in page
    assert "Import now" not in page
    assert ProductVariant.objects.count() == 0


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        (
            "produk.txt",
            b"kode_produk,sku",
            "Upload an Excel workbook (.xlsx) or a CSV file (.csv).",
        ),
        ("produk.xls", b"\xd0\xcf\x11\xe0", "Save the file as an Excel workbook (.xlsx)"),
        ("foto.xlsx", b"\x89PNG\r\n\x1a\n....", "This is not a valid XLSX workbook."),
        ("rusak.xlsx", b"PK\x03\x04 not really a zip", "This is not a valid XLSX workbook."),
        ("produk.csv", "kode_produk;sku\nA;é".encode("latin-1"), "not in UTF-8"),
    ],
)
def test_files_that_are_not_spreadsheets_are_refused(
    seller_client: Client, shop: Any, name: str, data: bytes, message: str
) -> None:
    response = upload(seller_client, shop, name, data)
    assert message in response.content.decode()
    assert Product.objects.count() == 0


def test_a_file_over_5_mb_is_refused(seller_client: Client, shop: Any) -> None:
    data = csv_bytes([row("A", "A-1")]) + b" " * (5 * 1024 * 1024)
    response = upload(seller_client, shop, "besar.csv", data)
    assert response.status_code == 400
    assert "The file is larger than 5 MB." in response.content.decode()


def test_a_file_over_the_row_limit_is_refused(
    seller_client: Client, shop: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(parsing, "MAX_ROWS", 2)
    data = csv_bytes([row("A", "A-1"), row("A", "A-2"), row("A", "A-3")])
    page = upload(seller_client, shop, "produk.csv", data).content.decode()
    assert "The file has more than 2 rows. Split it into smaller files." in page
    assert 'data-code="too_many_rows"' in page


def test_a_tampered_or_stale_link_is_refused_clearly(seller_client: Client, shop: Any) -> None:
    response = upload(seller_client, shop, "produk.csv", csv_bytes([row("A", "A-1")]))
    job_url = response.redirect_chain[-1][0]
    tampered = job_url.rstrip("/") + "x/"
    response = seller_client.post(tampered)
    assert response.status_code == 400
    assert "This import link is not valid. Upload the file again." in response.content.decode()

    token = job_url.rstrip("/").rsplit("/", 1)[-1]
    cache.delete(f"spreadsheets:job:{jobs.key_from_token(shop.pk, token)}")  # the cache let it go
    response = seller_client.post(job_url)
    assert response.status_code == 410
    assert "This upload has expired. Upload the file again." in response.content.decode()
    assert Product.objects.count() == 0


def test_an_old_link_has_expired(
    seller_client: Client, shop: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    response = upload(seller_client, shop, "produk.csv", csv_bytes([row("A", "A-1")]))
    monkeypatch.setattr(jobs, "MAX_AGE", -1)
    response = seller_client.get(response.redirect_chain[-1][0])
    assert response.status_code == 410
    assert 'data-code="expired"' in response.content.decode()


def test_a_link_of_one_shop_does_not_work_for_another(
    seller_client: Client, shop: Any, shop_factory: Callable[..., Any], owner: Any
) -> None:
    second = shop_factory(owner=owner)
    response = upload(seller_client, shop, "produk.csv", csv_bytes([row("A", "A-1")]))
    token = response.redirect_chain[-1][0].rstrip("/").rsplit("/", 1)[-1]
    response = seller_client.post(f"/penjual/{second.slug}/impor/{token}/")
    assert response.status_code == 400
    assert Product.objects.count() == 0


def test_a_stored_file_that_changed_is_refused(seller_client: Client, shop: Any) -> None:
    response = upload(seller_client, shop, "produk.csv", csv_bytes([row("A", "A-1")]))
    job_url = response.redirect_chain[-1][0]
    token = job_url.rstrip("/").rsplit("/", 1)[-1]
    key = jobs.key_from_token(shop.pk, token)
    cache.set(f"spreadsheets:file:{key}", csv_bytes([row("A", "A-1", harga_idr="1")]))
    page = seller_client.post(job_url, follow=True).content.decode()
    assert "The stored file does not match the upload." in page
    assert Product.objects.count() == 0


def test_another_shops_seller_is_refused(
    client: Client, shop: Any, user_factory: Callable[..., Any], shop_factory: Callable[..., Any]
) -> None:
    other = user_factory(phone="+6281234500055")
    shop_factory(owner=other)
    client.force_login(other)
    for url in (
        "impor/",
        "impor/templat.xlsx",
        "impor/templat.csv",
        "ekspor/",
        "ekspor/produk.xlsx",
        "ekspor/produk.csv",
        "impor/abc:def/",
    ):
        assert client.get(f"/penjual/{shop.slug}/{url}").status_code == 403, url
    response = client.post(
        f"/penjual/{shop.slug}/impor/",
        {"file": SimpleUploadedFile("p.csv", csv_bytes([row("A", "A-1")]))},
    )
    assert response.status_code == 403
    assert Product.objects.count() == 0


def test_anonymous_visitors_are_sent_to_sign_in(client: Client, shop: Any) -> None:
    response = client.get(f"/penjual/{shop.slug}/impor/")
    assert response.status_code == 302 and "next=" in response["Location"]


def test_a_large_file_runs_as_a_task_with_progress(
    seller_client: Client, shop: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(services, "BACKGROUND_ROWS", 3)
    monkeypatch.setattr(services, "PROGRESS_EVERY", 2)
    queued: list[tuple[Any, ...]] = []
    real_delay = tasks.import_listings.delay

    def delay(*args: Any) -> Any:
        queued.append(args)
        return real_delay(*args)  # eager in tests: runs here, as in the embedded set-up

    monkeypatch.setattr(tasks.import_listings, "delay", delay)
    data = csv_bytes([row("A", f"A-{n}", judul="" if n else "Kopi A", stok="1") for n in range(6)])
    response = upload(seller_client, shop, "besar.csv", data)
    job_url = response.redirect_chain[-1][0]
    assert "6 new variants" in response.content.decode()
    response = seller_client.post(job_url, follow=True)
    page = response.content.decode()
    assert "Done: the file has been imported." in page
    assert 'http-equiv="refresh"' not in page
    assert [args[2] for args in queued] == [False, True]  # check, then write, both as tasks
    assert ProductVariant.objects.count() == 6

    key = jobs.key_from_token(shop.pk, job_url.rstrip("/").rsplit("/", 1)[-1])
    job = jobs.load(shop.pk, key)
    assert (job.state, job.rows_validated, job.rows_written, job.background) == ("done", 6, 6, True)


def test_a_running_job_shows_progress_and_refreshes_itself(
    seller_client: Client, shop: Any, owner: Any
) -> None:
    job, token = jobs.create(
        shop_id=shop.pk,
        user_id=owner.pk,
        filename="besar.xlsx",
        fmt="xlsx",
        data=b"PK",
        language="en",
        rows=10_000,
    )
    jobs.save(job, state=jobs.JobState.VALIDATING, rows_validated=2500)
    page = seller_client.get(f"/penjual/{shop.slug}/impor/{token}/").content.decode()
    assert '<meta http-equiv="refresh" content="2">' in page
    assert "Checking… 2500 of about 10000 rows checked." in page
    assert '<progress max="10000" value="2500">' in page

    jobs.save(
        job, state=jobs.JobState.IMPORTING, commit=True, summary={"rows": 10_000}, rows_written=4000
    )
    page = seller_client.get(f"/penjual/{shop.slug}/impor/{token}/").content.decode()
    assert "Importing… 4000 of 10000 rows written." in page


def test_the_task_can_be_called_by_name(shop: Any, owner: Any) -> None:
    """What a worker receives: the task runs the kept upload to the end."""
    data = csv_bytes([row("A", "A-1")])
    job, _token = jobs.create(
        shop_id=shop.pk,
        user_id=owner.pk,
        filename="p.csv",
        fmt="csv",
        data=data,
        language="en",
        rows=1,
    )
    tasks.import_listings.apply(args=(job.key, shop.pk, True)).get()
    assert jobs.load(shop.pk, job.key).state == "done"
    assert Product.objects.filter(shop=shop).count() == 1

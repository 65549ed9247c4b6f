"""The file format: CSV dialects, header checks, row numbers, and how sellers write numbers."""

from __future__ import annotations

import pytest
from django.utils import translation

from sellers.spreadsheets.parsing import (
    CellError,
    FileError,
    Format,
    NumericCell,
    detect_format,
    parse_euro,
    parse_options,
    parse_rupiah,
    parse_whole,
    read_sheet,
)

from .conftest import xlsx_bytes


@pytest.fixture(autouse=True)
def _english() -> None:
    translation.activate("en")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("25000", "25000"),
        ("25.000", "25000"),
        ("25 000", "25000"),
        ("Rp 25.000", "25000"),
        ("Rp25.000", "25000"),
        ("1.250.000", "1250000"),
        ("25.000,00", "25000.00"),
        ("-5.000", "-5000"),
        ("", ""),
        (NumericCell("25000.5"), "25000.5"),  # a number cell: the catalog judges the decimals
    ],
)
def test_rupiah_dots_are_thousands(text: str, expected: str) -> None:
    assert parse_rupiah(text) == expected


@pytest.mark.parametrize("text", ["25.5", "25,000", "dua puluh", "25.00.0", "12.5000", "25,5,0"])
def test_unclear_rupiah_is_refused(text: str) -> None:
    with pytest.raises(CellError) as exc:
        parse_rupiah(text)
    assert exc.value.code == "invalid"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12.50", "12.50"),
        ("12,50", "12.50"),
        ("12,5", "12.5"),
        ("12", "12"),
        ("€ 12,50", "12.50"),
        ("1.250,50", "1250.50"),
        ("1,250.50", "1250.50"),
        ("1.250.000", "1250000"),
        ("-3,50", "-3.50"),
        (NumericCell("3.5"), "3.5"),
    ],
)
def test_euro_takes_either_decimal_sign(text: str, expected: str) -> None:
    assert parse_euro(text) == expected


@pytest.mark.parametrize("text", ["1.250", "1,250", "12,50,1", "abc", "1.2.3,4", ",50"])
def test_unclear_euro_is_refused(text: str) -> None:
    with pytest.raises(CellError):
        parse_euro(text)


def test_whole_numbers() -> None:
    assert parse_whole("") is None
    assert parse_whole("250") == 250
    assert parse_whole("1.000") == 1000
    assert parse_whole(NumericCell("7")) == 7
    assert parse_whole("-1") == -1
    for bad in ("2,5", "1.5", "sepuluh", NumericCell("2.5")):
        with pytest.raises(CellError):
            parse_whole(bad)
    with pytest.raises(CellError) as exc:
        parse_whole("99999999999")
    assert exc.value.code == "max_value"


def test_options_accept_indonesian_keys() -> None:
    assert parse_options("roast=medium; weight=250 g") == {"roast": "medium", "weight": "250 g"}
    assert parse_options("Sangrai = gelap;berat=1 kg;") == {"roast": "gelap", "weight": "1 kg"}
    assert parse_options("warna=biru; ukuran=L") == {"colour": "biru", "size": "L"}
    assert parse_options("") == {}
    for bad in ("medium", "roast=a; roast=b"):
        with pytest.raises(CellError):
            parse_options(bad)


def test_csv_with_semicolons_bom_and_a_multiline_cell_keeps_excel_row_numbers() -> None:
    data = (
        "\ufeffkode_produk;sku;judul;kategori;harga_idr\r\n"
        'A;A-1;"Kopi\r\nenak";kopi;25.000\r\n'
        ";;;;\r\n"
        "B;B-1;Gula, aren;makanan-olahan;15000\r\n"
    ).encode()
    sheet = read_sheet(data, Format.CSV)
    assert sheet.columns == ("kode_produk", "sku", "judul", "kategori", "harga_idr")
    assert [(r.number, r.get("judul")) for r in sheet.rows] == [
        (2, "Kopi\r\nenak"),
        (4, "Gula, aren"),
    ]
    assert sheet.rows[0].get("stok") == ""


def test_csv_with_commas_and_header_spelt_loosely() -> None:
    data = b"Kode Produk,SKU,Judul,Kategori,Harga-IDR\nA,A-1,Kopi,kopi,25000\n"
    sheet = read_sheet(data, Format.CSV)
    assert sheet.rows[0].cells["harga_idr"] == "25000"


def test_a_row_with_more_cells_than_headers_is_a_problem_of_that_row() -> None:
    data = b"kode_produk,sku,judul,kategori,harga_idr\nA,A-1,Kopi, enak,kopi,25000\n"
    sheet = read_sheet(data, Format.CSV)
    assert sheet.rows == []
    assert [(n, code) for n, code, _m in sheet.problems] == [(2, "extra_cells")]


@pytest.mark.parametrize(
    ("header", "message"),
    [
        (b"kode_produk,sku,judul,kategori,harga", "unknown column name harga"),
        (b"kode_produk,sku,judul,kategori", "the column harga_idr is missing"),
        (b"kode_produk,sku,sku,judul,kategori,harga_idr", "column sku appears twice"),
        (b" ", "Row 1 must hold the column names"),
    ],
)
def test_header_problems_name_row_1(header: bytes, message: str) -> None:
    with pytest.raises(FileError) as exc:
        read_sheet(header + b"\n", Format.CSV)
    assert message in exc.value.message


def test_an_empty_file_is_refused() -> None:
    with pytest.raises(FileError) as exc:
        read_sheet(b"", Format.CSV)
    assert exc.value.code == "empty"


def test_xlsx_numbers_and_the_product_sheet() -> None:
    data = xlsx_bytes(
        [
            {
                "kode_produk": "A",
                "sku": 123,
                "judul": "Kopi",
                "kategori": "kopi",
                "harga_idr": 25000.0,
                "harga_eur": 3.5,
                "stok": 4,
            }
        ]
    )
    sheet = read_sheet(data, Format.XLSX)
    (row,) = sheet.rows
    assert (row.number, row.get("sku"), row.get("harga_idr"), row.get("harga_eur")) == (
        2,
        "123",
        "25000",
        "3.5",
    )
    assert isinstance(row.get("harga_eur"), NumericCell)


def test_the_format_comes_from_name_and_content() -> None:
    assert detect_format("Produk.XLSX", b"PK\x03\x04...") is Format.XLSX
    assert detect_format("c:/x/produk.csv", b"kode_produk") is Format.CSV
    for name, head in [
        ("a.xlsx", b"kode"),
        ("a.csv", b"PK\x03\x04"),
        ("a.csv", b"a\x00b"),
        ("a.pdf", b"%PDF"),
    ]:
        with pytest.raises(FileError):
            detect_format(name, head)

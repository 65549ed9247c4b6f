"""Writing the spreadsheet files: the empty template and a shop's export, as XLSX or CSV.

Both use the import's columns, so an export can be corrected and uploaded again. An XLSX has the
``Produk`` sheet first and the instructions (``Petunjuk``) second; a CSV cannot hold instructions
(a comment line is not CSV), so the import page shows them. CSV files are written the way
Indonesian Excel reads them: UTF-8 with a byte-order mark, semicolons, and a decimal comma in
``harga_eur``.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from sellers.models import Shop

from . import selectors
from .parsing import COLUMNS, HEADERS, INSTRUCTION_SHEET, PRODUCT_SHEET, RULES, Format

CONTENT_TYPES = {
    Format.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    Format.CSV: "text/csv; charset=utf-8",
}
CSV_DELIMITER = ";"
TEXT_COLUMNS = ("kode_produk", "sku")
_WIDTHS = {"judul": 30, "judul_inggris": 30, "deskripsi": 40, "deskripsi_inggris": 40}


@dataclass(frozen=True)
class SpreadsheetFile:
    content: bytes
    content_type: str
    filename: str


def template_file(fmt: Format) -> SpreadsheetFile:
    return SpreadsheetFile(_write(fmt, []), CONTENT_TYPES[fmt], f"templat-produk.{fmt.value}")


def export_file(shop: Shop, fmt: Format) -> SpreadsheetFile:
    stamp = timezone.localdate().strftime("%Y%m%d")
    return SpreadsheetFile(
        _write(fmt, selectors.listing_rows(shop)),
        CONTENT_TYPES[fmt],
        f"produk-{shop.slug}-{stamp}.{fmt.value}",
    )


def _write(fmt: Format, rows: Iterable[dict[str, Any]]) -> bytes:
    return _xlsx(rows) if fmt is Format.XLSX else _csv(rows)


def _csv_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f").replace(".", ",")
    return str(value)


def _csv(rows: Iterable[dict[str, Any]]) -> bytes:
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=CSV_DELIMITER, lineterminator="\r\n")
    writer.writerow(HEADERS)
    for row in rows:
        writer.writerow([_csv_text(row.get(name)) for name in HEADERS])
    return out.getvalue().encode("utf-8")


def _xlsx(rows: Iterable[dict[str, Any]]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(PRODUCT_SHEET)
    sheet.freeze_panes = "A2"
    for index, name in enumerate(HEADERS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = _WIDTHS.get(name, 14)
    bold = Font(bold=True)

    def header_cell(value: str) -> WriteOnlyCell:
        cell = WriteOnlyCell(sheet, value=value)
        cell.font = bold
        return cell

    sheet.append([header_cell(name) for name in HEADERS])
    for row in rows:
        cells = []
        for name in HEADERS:
            value = row.get(name)
            if isinstance(value, str) and (name in TEXT_COLUMNS or value.startswith("=")):
                cell = WriteOnlyCell(sheet, value=value)
                # A seller's "=…" is text, never a formula (which would also read back empty).
                cell.data_type = "s"
                if name in TEXT_COLUMNS:
                    # Text, so a SKU such as 00123 keeps its zeros when the seller edits the file.
                    cell.number_format = "@"
                cells.append(cell)
            else:
                cells.append(value)
        sheet.append(cells)

    help_sheet = workbook.create_sheet(INSTRUCTION_SHEET)
    help_sheet.column_dimensions["A"].width = 20
    help_sheet.column_dimensions["B"].width = 10
    help_sheet.column_dimensions["C"].width = 80
    help_sheet.column_dimensions["D"].width = 28
    wrap = Alignment(wrap_text=True, vertical="top")

    def text_cell(value: str, *, strong: bool = False) -> WriteOnlyCell:
        cell = WriteOnlyCell(help_sheet, value=value)
        cell.alignment = wrap
        if strong:
            cell.font = bold
        return cell

    help_sheet.append([text_cell(_("How to fill in the Produk sheet"), strong=True)])
    for rule in RULES:
        help_sheet.append(["", "", text_cell(str(rule))])
    help_sheet.append([])
    help_sheet.append(
        [
            text_cell(_("Column"), strong=True),
            text_cell(_("Required"), strong=True),
            text_cell(_("What to write"), strong=True),
            text_cell(_("Example"), strong=True),
        ]
    )
    for column in COLUMNS:
        help_sheet.append(
            [
                text_cell(column.name),
                text_cell(_("yes") if column.required else _("no")),
                text_cell(str(column.help)),
                text_cell(column.example),
            ]
        )
    help_sheet.append([])
    help_sheet.append(
        [text_cell(_("Category code"), strong=True), "", text_cell(_("Category"), strong=True)]
    )
    for category in selectors.categories():
        help_sheet.append([text_cell(category.slug), "", text_cell(category.name)])

    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()

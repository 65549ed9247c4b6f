"""Reading a listings spreadsheet (XLSX or CSV) into numbered rows of text, and the cell formats.

This module knows the *file format* only: which columns exist, how a CSV is decoded and split, how
an Indonesian seller writes a price, a whole number or the variant options. Whether a price or a
title is acceptable is the catalog's rule (``marketplace.catalog.services.clean_product`` /
``clean_variant``); the import turns cells into the catalog's inputs and asks it.

Number formats (decided here, explained to sellers on the import page and the instruction sheet):

- ``harga_idr``: whole rupiah. ``25000``, ``25.000``, ``25 000``, ``Rp 25.000`` and ``25.000,00``
  all mean twenty-five thousand: in a rupiah price a dot is always a thousands separator (rupiah
  have no cents), a comma starts decimals, which must be zero.
- ``harga_eur``: euro and cent. ``12.50`` and ``12,50`` are both twelve euro fifty; with both signs
  (``1.250,50`` or ``1,250.50``) the last one is the decimal sign. A single sign followed by exactly
  three digits (``1.250``) could be read both ways and is refused with a question.
- whole numbers (grams, millimetres, stock): digits, optionally grouped with dots (``1.000``).
- Numeric XLSX cells carry no formatting ambiguity and are taken as the number they hold.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from marketplace.catalog.services import OPTION_KEYS

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000
#: Largest value of the integer columns (PostgreSQL ``integer``).
MAX_WHOLE = 2_147_483_647
#: The sheet the import reads when a workbook has several (the template's first sheet).
PRODUCT_SHEET = "Produk"
INSTRUCTION_SHEET = "Petunjuk"


class Format(StrEnum):
    XLSX = "xlsx"
    CSV = "csv"


@dataclass(frozen=True)
class Column:
    name: str
    #: Must appear in the header row. Optional columns may be left out: their values are kept.
    required: bool
    help: str | Promise
    example: str


COLUMNS: tuple[Column, ...] = (
    Column(
        "kode_produk",
        True,
        gettext_lazy(
            "Your code for the listing. Rows with the same code are one listing (one row per "
            "variant)."
        ),
        "KOPI-OSING",
    ),
    Column(
        "sku",
        True,
        gettext_lazy(
            "Your code for this variant, unique in your shop. A SKU already in your shop updates "
            "that variant; a new one adds a variant."
        ),
        "KO-250-M",
    ),
    Column("judul", True, gettext_lazy("Title in Indonesian (at most 150 characters)."), "Kopi"),
    Column("judul_inggris", False, gettext_lazy("Title in English (optional)."), "Coffee"),
    Column("deskripsi", False, gettext_lazy("Description in Indonesian (optional)."), ""),
    Column("deskripsi_inggris", False, gettext_lazy("Description in English (optional)."), ""),
    Column(
        "kategori",
        True,
        gettext_lazy("Category code, for example kopi, rempah, batik-tekstil (see the list)."),
        "kopi",
    ),
    Column(
        "nama_varian", False, gettext_lazy("Name of the variant, for example 250 g, ground."), ""
    ),
    Column(
        "pilihan",
        False,
        gettext_lazy(
            "Options as key=value separated by semicolons, for example roast=medium; "
            "weight=250 g. Keys: weight (berat), size (ukuran), roast (sangrai), colour (warna)."
        ),
        "roast=medium; weight=250 g",
    ),
    Column(
        "harga_idr",
        True,
        gettext_lazy("Price in whole rupiah: 25000 or 25.000 (a dot separates thousands)."),
        "25000",
    ),
    Column(
        "harga_eur",
        False,
        gettext_lazy("Export price in euro (optional): 12.50 or 12,50."),
        "",
    ),
    Column("berat_gram", False, gettext_lazy("Weight with packaging, in grams."), "250"),
    Column("panjang_mm", False, gettext_lazy("Length of the package, in millimetres."), ""),
    Column("lebar_mm", False, gettext_lazy("Width of the package, in millimetres."), ""),
    Column("tinggi_mm", False, gettext_lazy("Height of the package, in millimetres."), ""),
    Column(
        "stok",
        False,
        gettext_lazy(
            "Stock you counted. Empty keeps the current stock (0 for a new variant); a change is "
            "recorded as a stock movement “spreadsheet import”."
        ),
        "10",
    ),
)
#: The rules of the format, shown on the import page and on the workbook's instruction sheet.
RULES: tuple[str | Promise, ...] = (
    gettext_lazy("One row per variant. Rows with the same kode_produk are one listing."),
    gettext_lazy(
        "A SKU already in your shop updates that variant and its listing; a new SKU adds a "
        "variant. Variants that are not in the file stay as they are: the import never deletes."
    ),
    gettext_lazy(
        "The whole file is checked first. If a row has a mistake, nothing is imported and the "
        "page names the row, so you can correct it and upload again."
    ),
    gettext_lazy(
        "Write the listing's columns (judul, deskripsi, kategori) on every row of the listing, or "
        "only on its first row."
    ),
    gettext_lazy(
        "Prices: harga_idr in whole rupiah, 25000 or 25.000 (a dot separates thousands); "
        "harga_eur with cents, 12.50 or 12,50."
    ),
    gettext_lazy(
        "An empty cell clears that value, except stok: an empty stok keeps the current stock."
    ),
    gettext_lazy(
        "Keep the column names in row 1 as they are; columns you do not need may be left out, "
        "except kode_produk, sku, judul, kategori and harga_idr."
    ),
    gettext_lazy("CSV files: save as “CSV UTF-8”; commas and semicolons both work as separators."),
    gettext_lazy("At most 20,000 rows and 5 MB per file."),
)
HEADERS: tuple[str, ...] = tuple(c.name for c in COLUMNS)
REQUIRED_HEADERS: tuple[str, ...] = tuple(c.name for c in COLUMNS if c.required)
#: Indonesian names sellers may use for the option keys; stored under the catalog's keys.
OPTION_ALIASES = {"berat": "weight", "ukuran": "size", "sangrai": "roast", "warna": "colour"}
OPTION_ALIASES["color"] = "colour"


class NumericCell(str):
    """Text of a cell that held a number in the workbook: canonical, with no separators to guess."""

    __slots__ = ()


@dataclass(frozen=True)
class Row:
    #: The row number the seller sees in Excel (the header is row 1).
    number: int
    cells: dict[str, str]

    def get(self, column: str) -> str:
        return self.cells.get(column, "")


@dataclass
class Sheet:
    format: Format
    #: The columns the header row names, in file order.
    columns: tuple[str, ...]
    rows: list[Row] = field(default_factory=list)
    #: Rows that could not be read at all (``(row number, code, message)``).
    problems: list[tuple[int, str, str]] = field(default_factory=list)

    def has(self, column: str) -> bool:
        return column in self.columns


class FileError(Exception):
    """The file as a whole cannot be read; nothing in it was looked at further."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


class CellError(Exception):
    """One cell is not written in a format the import understands."""

    def __init__(self, message: str, code: str = "invalid") -> None:
        super().__init__(message)
        self.message = message
        self.code = code


def detect_format(filename: str, head: bytes) -> Format:
    """Name and first bytes must agree: a renamed picture is refused before anything else."""
    name = filename.lower().rsplit("/", 1)[-1]
    if name.endswith(".xlsx"):
        if not head.startswith(b"PK\x03\x04"):
            raise FileError(_("This is not a valid XLSX workbook."), "bad_file")
        return Format.XLSX
    if name.endswith(".csv"):
        if b"\x00" in head[:4096] or head.startswith(b"PK\x03\x04"):
            raise FileError(_("This is not a CSV text file."), "bad_file")
        return Format.CSV
    if name.endswith((".xls", ".ods", ".numbers")):
        raise FileError(
            _("Save the file as an Excel workbook (.xlsx) or as CSV UTF-8 (.csv), then upload it."),
            "unsupported_type",
        )
    raise FileError(_("Upload an Excel workbook (.xlsx) or a CSV file (.csv)."), "unsupported_type")


def check_size(size: int) -> None:
    if size > MAX_BYTES:
        raise FileError(
            _("The file is larger than %(mb)d MB. Split it into smaller files.")
            % {"mb": MAX_BYTES // (1024 * 1024)},
            "too_large",
        )
    if size == 0:
        raise FileError(_("The file is empty."), "empty")


def read_sheet(data: bytes, fmt: Format) -> Sheet:
    """Read the header and every non-empty row; raise ``FileError`` for an unreadable file."""
    check_size(len(data))
    if fmt is Format.XLSX:
        return _read_xlsx(data)
    return _read_csv(data)


def estimate_rows(data: bytes, fmt: Format) -> int:
    """A cheap upper bound of the data rows, to choose between the request and a Celery task."""
    if fmt is Format.CSV:
        return max(data.count(b"\n") - 1 + (not data.endswith(b"\n")), 0)
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # a damaged file: the full read reports it, in the request (it is quick).
        return 0
    try:
        worksheet = _product_worksheet(workbook)
        last = (worksheet.max_row or MAX_ROWS) if worksheet is not None else 1
    finally:
        workbook.close()
    return max(last - 1, 0)


def _product_worksheet(workbook: Any) -> Any:
    """The sheet named ``Produk`` if there is one, else the first (a seller's own workbook)."""
    for worksheet in workbook.worksheets:
        if worksheet.title.strip().lower() == PRODUCT_SHEET.lower():
            return worksheet
    return workbook.worksheets[0] if workbook.worksheets else None


def _normalise_header(value: str) -> str:
    return re.sub(r"[\s\-]+", "_", value.strip().lower())


def _check_header(raw: list[str]) -> tuple[str, ...]:
    names = [_normalise_header(v) for v in raw]
    while names and not names[-1]:
        names.pop()
    if not names:
        raise FileError(
            _("Row 1 must hold the column names, for example: %(names)s.")
            % {"names": ", ".join(REQUIRED_HEADERS)},
            "bad_header",
        )
    unknown = [n or "—" for n in names if n not in HEADERS]
    if unknown:
        raise FileError(
            _("Row 1: unknown column name %(names)s. The column names are: %(all)s.")
            % {"names": ", ".join(unknown), "all": ", ".join(HEADERS)},
            "bad_header",
        )
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise FileError(
            _("Row 1: column %(names)s appears twice.") % {"names": ", ".join(twice)},
            "bad_header",
        )
    missing = [n for n in REQUIRED_HEADERS if n not in names]
    if missing:
        raise FileError(
            _("Row 1: the column %(names)s is missing.") % {"names": ", ".join(missing)},
            "bad_header",
        )
    return tuple(names)


def _too_many_rows() -> FileError:
    return FileError(
        _("The file has more than %(n)s rows. Split it into smaller files.")
        % {"n": f"{MAX_ROWS:,}"},
        "too_many_rows",
    )


def _add_row(sheet: Sheet, number: int, values: list[str]) -> None:
    if not any(values):
        return
    width = len(sheet.columns)
    if any(values[width:]):
        sheet.problems.append(
            (
                number,
                "extra_cells",
                _(
                    "This row has more cells than there are column names. In a CSV file, put "
                    "text that contains the separator between double quotes."
                ),
            )
        )
        return
    if len(sheet.rows) >= MAX_ROWS:
        raise _too_many_rows()
    # NUL cannot be stored in PostgreSQL text and is never meant: drop it rather than fail.
    values = [v.replace("\x00", "") if "\x00" in v else v for v in values[:width]]
    values += [""] * (width - len(values))
    sheet.rows.append(Row(number, dict(zip(sheet.columns, values, strict=True))))


def _read_csv(data: bytes) -> Sheet:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FileError(
            _(
                "The CSV file is not in UTF-8. In Excel choose “Save as” → “CSV UTF-8”, then "
                "upload it again."
            ),
            "bad_encoding",
        ) from exc
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        header = next(reader, None)
        if header is None:
            raise FileError(_("The file is empty."), "empty")
        sheet = Sheet(Format.CSV, _check_header(header))
        for number, cells in enumerate(reader, start=2):
            _add_row(sheet, number, [c.strip() for c in cells])
    except csv.Error as exc:
        raise FileError(
            _("The CSV file is damaged near line %(line)d: %(error)s")
            % {"line": reader.line_num, "error": exc},
            "bad_file",
        ) from exc
    return sheet


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int):
        return NumericCell(str(value))
    if isinstance(value, float | Decimal):
        number = Decimal(repr(value)) if isinstance(value, float) else value
        if not number.is_finite():
            return str(value)
        if number == number.to_integral_value():
            return NumericCell(str(int(number)))
        return NumericCell(format(number.normalize(), "f"))
    return str(value).strip()


def _read_xlsx(data: bytes) -> Sheet:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for damaged files; never a 500.
        raise FileError(_("This is not a valid XLSX workbook."), "bad_file") from exc
    try:
        worksheet = _product_worksheet(workbook)
        if worksheet is None:
            raise FileError(_("The workbook has no sheet."), "empty")
        rows = worksheet.iter_rows(min_row=1, max_col=len(HEADERS) + 10, values_only=True)
        header = next(rows, None)
        if header is None:
            raise FileError(_("The file is empty."), "empty")
        sheet = Sheet(Format.XLSX, _check_header([_cell_text(v) for v in header]))
        for number, values in enumerate(rows, start=2):
            _add_row(sheet, number, [_cell_text(v) for v in values])
    except FileError:
        raise
    except Exception as exc:  # a damaged sheet inside a valid zip: same answer as above.
        raise FileError(_("This is not a valid XLSX workbook."), "bad_file") from exc
    finally:
        workbook.close()
    return sheet


# --- Cell formats -----------------------------------------------------------------------------

_SPACES = re.compile(r"[\s\u00a0\u202f]+")
# A comma starts (zero) decimals: "25.000,00". "25,000" is refused rather than read as 25 rupiah.
_RUPIAH_PLAIN = re.compile(r"-?\d+(,\d{1,2})?")
_RUPIAH_GROUPED = re.compile(r"-?\d{1,3}(\.\d{3})+(,\d{1,2})?")
_WHOLE_PLAIN = re.compile(r"-?\d+")
_WHOLE_GROUPED = re.compile(r"-?\d{1,3}(\.\d{3})+")


def parse_rupiah(text: str) -> str:
    """``25.000`` → ``25000``; returns text the catalog's price rule reads (``Decimal``)."""
    if isinstance(text, NumericCell) or not text:
        return text
    value = _SPACES.sub("", text)
    value = re.sub(r"^(rp\.?|idr)", "", value, flags=re.IGNORECASE)
    if _RUPIAH_PLAIN.fullmatch(value) or _RUPIAH_GROUPED.fullmatch(value):
        return value.replace(".", "").replace(",", ".")
    raise CellError(_("Write the price in whole rupiah, for example 25000 or 25.000."))


def parse_euro(text: str) -> str:
    """``12,50`` or ``12.50`` → ``12.50``; refuses ``1.250``, which could mean either."""
    if isinstance(text, NumericCell) or not text:
        return text
    value = _SPACES.sub("", text)
    value = re.sub(r"^(€|eur)|(€|eur)$", "", value, flags=re.IGNORECASE)
    unclear = CellError(_("Write the euro price as 12.50 or 12,50."))
    sign, digits = ("-", value[1:]) if value.startswith("-") else ("", value)
    if not re.fullmatch(r"[\d.,]+", digits) or not digits[0].isdigit():
        raise unclear
    seps = [c for c in digits if c in ".,"]
    if not seps:
        return sign + digits
    decimal_sign = seps[-1]
    group_sign = "," if decimal_sign == "." else "."
    if len(seps) == 1:
        whole, cents = digits.split(decimal_sign)
        if len(cents) == 3:
            raise CellError(
                _(
                    "“%(value)s” is unclear: write 1250 for one thousand two hundred and fifty "
                    "euro, or 1,25 for one euro twenty-five."
                )
                % {"value": text},
            )
        return f"{sign}{whole}.{cents}"
    if seps.count(decimal_sign) > 1:
        # Only one kind of sign, several times: thousands separators, no decimals.
        if re.fullmatch(r"\d{1,3}(" + re.escape(decimal_sign) + r"\d{3})+", digits):
            return sign + digits.replace(decimal_sign, "")
        raise unclear
    pattern = r"\d{1,3}(" + re.escape(group_sign) + r"\d{3})*" + re.escape(decimal_sign) + r"\d+"
    if not re.fullmatch(pattern, digits):
        raise unclear
    return sign + digits.replace(group_sign, "").replace(decimal_sign, ".")


def parse_whole(text: str) -> int | None:
    """A whole number (``1.000`` allowed); ``None`` for an empty cell."""
    if not text:
        return None
    value = _SPACES.sub("", text)
    if isinstance(text, NumericCell):
        try:
            number = Decimal(value)
        except InvalidOperation as exc:  # pragma: no cover - NumericCell is always a number
            raise CellError(_("Enter a whole number.")) from exc
        if number != number.to_integral_value():
            raise CellError(_("Enter a whole number."))
        result = int(number)
    elif _WHOLE_PLAIN.fullmatch(value) or _WHOLE_GROUPED.fullmatch(value):
        result = int(value.replace(".", ""))
    else:
        raise CellError(_("Enter a whole number."))
    if abs(result) > MAX_WHOLE:
        raise CellError(_("The number is too large."), "max_value")
    return result


def parse_options(text: str) -> dict[str, str]:
    """``roast=medium; weight=250 g`` → ``{"roast": "medium", "weight": "250 g"}``."""
    options: dict[str, str] = {}
    for part in re.split(r"[;\n]", text or ""):
        if not part.strip():
            continue
        if "=" not in part:
            raise CellError(
                _("Write options as key=value separated by semicolons, e.g. roast=medium.")
            )
        key, value = part.split("=", 1)
        key = key.strip().lower()
        key = OPTION_ALIASES.get(key, key)
        if key in options:
            raise CellError(_("The option %(key)s is given twice.") % {"key": key})
        options[key] = value.strip()
    return options


def format_options(options: dict[str, Any]) -> str:
    """The catalog's key order (PostgreSQL's JSONB keeps none), so exports compare line by line."""
    order = {key: index for index, key in enumerate(OPTION_KEYS)}
    keys = sorted(options, key=lambda k: (order.get(k, len(order)), k))
    return "; ".join(f"{k}={options[k]}" for k in keys)

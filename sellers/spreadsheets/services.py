"""Importing a shop's listings from a spreadsheet: validate every row, then write all or nothing.

Rows are matched to the shop's variants by SKU (case-insensitive, like ``save_variant``): an
existing SKU updates its variant and its listing's text, a new SKU adds a variant; rows with the
same ``kode_produk`` are one listing (a group whose SKUs are all new becomes a new draft listing).
Variants that are not in the file are left alone: an import never deletes.

The rules are the catalog's: every row goes through ``catalog.services.clean_product`` /
``clean_variant`` / ``clean_stock_quantity`` and a changed published listing through
``screen_product``, exactly as a listing saved on its page. Only the writing differs: ten thousand
rows written one service call at a time would take minutes, so the checked values are written with
``bulk_create`` / ``bulk_update`` in one transaction, with the same audit entries (on behalf of the
shop), stock movements (reason ``import``) and domain events (after commit) the services write.
Rows that change nothing write nothing, so importing an export is a no-op.

The whole file is checked again inside the writing transaction (with the shop's variants locked),
so a preview that went stale while the seller looked at it cannot write a bad row.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from modeltranslation.utils import build_localized_fieldname

from marketplace.accounts.models import User
from marketplace.audit.models import AuditEntry
from marketplace.catalog import services as catalog
from marketplace.catalog.models import (
    Category,
    Product,
    ProductStatus,
    ProductVariant,
    StockMovement,
    StockReason,
)
from marketplace.core import events, permissions
from sellers.models import Shop

from . import jobs
from .jobs import Job, JobState, TokenError
from .parsing import (
    CellError,
    FileError,
    Format,
    Row,
    Sheet,
    check_size,
    detect_format,
    estimate_rows,
    parse_euro,
    parse_options,
    parse_rupiah,
    parse_whole,
    read_sheet,
)

logger = logging.getLogger(__name__)

#: Files estimated above this many rows are checked and written by a Celery task.
BACKGROUND_ROWS = 500
#: Rows written between two progress reports (and the size of one bulk write).
CHUNK_ROWS = 500
#: How often (in rows) the checking reports progress.
PROGRESS_EVERY = 250

#: The listing's columns: taken once per ``kode_produk``.
LISTING_COLUMNS = ("judul", "judul_inggris", "deskripsi", "deskripsi_inggris", "kategori")
#: Sheet column → listing language, for the columns that carry text.
TITLE_COLUMNS = {"id": "judul", "en": "judul_inggris"}
DESCRIPTION_COLUMNS = {"id": "deskripsi", "en": "deskripsi_inggris"}
#: Catalog error field → sheet column, so a catalog error names the seller's column.
ERROR_COLUMNS = {
    "category": "kategori",
    "sku": "sku",
    "name": "nama_varian",
    "options": "pilihan",
    "price_idr": "harga_idr",
    "export_price_eur": "harga_eur",
    "weight_grams": "berat_gram",
    "length_mm": "panjang_mm",
    "width_mm": "lebar_mm",
    "height_mm": "tinggi_mm",
    "quantity": "stok",
    **{f"title_{lang}": TITLE_COLUMNS.get(lang, "judul") for lang in catalog.LISTING_LANGUAGES},
    **{
        f"description_{lang}": DESCRIPTION_COLUMNS.get(lang, "deskripsi")
        for lang in catalog.LISTING_LANGUAGES
    },
}
VARIANT_FIELDS = (
    "sku",
    "name",
    "options",
    "price",
    "export_price",
    "weight_grams",
    "length_mm",
    "width_mm",
    "height_mm",
    "low_stock_threshold",
)
_DIMENSIONS = (
    ("weight_grams", "berat_gram"),
    ("length_mm", "panjang_mm"),
    ("width_mm", "lebar_mm"),
    ("height_mm", "tinggi_mm"),
)

#: ``progress(phase, rows)``: phase is ``"validated"`` or ``"written"``.
Progress = Callable[[str, int], None]


@dataclass(frozen=True)
class RowError:
    """One problem, named by the row the seller sees in Excel (``None``: the file as a whole)."""

    row: int | None
    column: str
    code: str
    message: str

    def __str__(self) -> str:
        if self.row is None:
            return self.message
        if not self.column:
            return _("Row %(row)d: %(message)s") % {"row": self.row, "message": self.message}
        return _("Row %(row)d, column %(column)s: %(message)s") % {
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }

    def as_dict(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "column": self.column,
            "code": self.code,
            "message": self.message,
            "text": str(self),
        }


class ImportInvalid(Exception):
    """The file has errors; nothing was written."""

    def __init__(self, errors: list[RowError]) -> None:
        super().__init__("; ".join(str(e) for e in errors[:5]))
        self.errors = errors


@dataclass
class Summary:
    rows: int = 0
    products_created: int = 0
    products_updated: int = 0
    variants_created: int = 0
    variants_updated: int = 0
    stock_changes: int = 0
    rows_unchanged: int = 0

    @property
    def changes(self) -> int:
        return (
            self.products_created
            + self.products_updated
            + self.variants_created
            + self.variants_updated
            + self.stock_changes
        )

    def as_dict(self) -> dict[str, int]:
        return {
            **{name: getattr(self, name) for name in self.__dataclass_fields__},
            "changes": self.changes,
        }


@dataclass
class _VariantPlan:
    row: int
    variant: ProductVariant | None
    values: dict[str, Any]
    changed: bool = False
    #: The counted stock to set, or ``None`` to leave it.
    stock: int | None = None


@dataclass
class _ListingPlan:
    code: str
    first_row: int
    #: column → (value, row it came from)
    cells: dict[str, tuple[str, int]] = field(default_factory=dict)
    variants: list[_VariantPlan] = field(default_factory=list)
    product: Product | None = None
    values: dict[str, Any] = field(default_factory=dict)
    changed: bool = False
    #: How many variants the listing has already: new ones are placed after them.
    variant_count: int = 0


@dataclass
class _Plan:
    listings: list[_ListingPlan]
    summary: Summary


# --- Checking -----------------------------------------------------------------------------------


class _Errors:
    def __init__(self) -> None:
        self.items: list[RowError] = []

    def add(self, row: int | None, column: str, code: str, message: str) -> None:
        self.items.append(RowError(row, column, code, message))

    def add_validation(
        self, row: int, exc: ValidationError, skip: set[str] | None = None, column: str = ""
    ) -> None:
        if not hasattr(exc, "error_dict"):
            for error in exc.error_list:
                self.add(row, column, error.code or "invalid", _message(error))
            return
        for name, errors in exc.error_dict.items():
            col = ERROR_COLUMNS.get(name, column or name)
            if skip and col in skip:
                continue
            for error in errors:
                self.add(row, col, error.code or "invalid", _message(error))


def _message(error: ValidationError) -> str:
    return str(error.message % error.params if error.params else error.message)


def _load_variants(shop: Shop, *, lock: bool) -> dict[str, ProductVariant]:
    """The shop's variants by SKU (case-folded), each sharing one ``Product`` per listing."""
    qs = ProductVariant.objects.filter(product__shop=shop).select_related("product")
    if lock:
        # Like ``set_stock``: no other change to these stocks may slip in between read and write.
        qs = qs.select_for_update(of=("self",))
    products: dict[int, Product] = {}
    found: dict[str, ProductVariant] = {}
    for variant in qs.order_by("pk"):
        variant.product = products.setdefault(variant.product_id, variant.product)
        found[variant.sku.casefold()] = variant
    return found


def _variant_input(
    row: Row, sheet: Sheet, current: ProductVariant | None
) -> tuple[catalog.VariantInput, int | None, list[tuple[str, CellError]]]:
    """Turn a row's cells into the catalog's input; a column left out keeps the current value."""
    problems: list[tuple[str, CellError]] = []

    def cell(column: str, parse: Callable[[str], Any], keep: Any, empty: Any) -> Any:
        if not sheet.has(column):
            return keep if current is not None else empty
        try:
            return parse(row.get(column))
        except CellError as exc:
            problems.append((column, exc))
            return empty

    def amount(money: Any) -> Any:
        return money.amount if money is not None else None

    data = catalog.VariantInput(
        sku=row.get("sku"),
        price_idr=cell("harga_idr", parse_rupiah, None, ""),
        name=cell("nama_varian", str, current.name if current else "", ""),
        options=cell("pilihan", parse_options, current.options if current else {}, {}),
        export_price_eur=cell(
            "harga_eur", parse_euro, amount(current.export_price) if current else None, None
        ),
        low_stock_threshold=current.low_stock_threshold if current else 3,
    )
    for name, column in _DIMENSIONS:
        setattr(
            data,
            name,
            cell(column, parse_whole, getattr(current, name) if current else None, None),
        )
    stock = cell("stok", parse_whole, None, None)
    return data, stock, problems


def _check_rows(
    sheet: Sheet, shop: Shop, errors: _Errors, progress: Progress | None, *, lock: bool
) -> list[_ListingPlan]:
    existing = _load_variants(shop, lock=lock)
    listings: dict[str, _ListingPlan] = {}
    seen: dict[str, int] = {}
    for done, row in enumerate(sheet.rows, start=1):
        if progress and done % PROGRESS_EVERY == 0:
            progress("validated", done)
        code = row.get("kode_produk")
        if not code:
            errors.add(
                row.number,
                "kode_produk",
                "required",
                _("Enter the listing code (kode_produk); rows with the same code are one listing."),
            )
            continue
        listing = listings.setdefault(code.casefold(), _ListingPlan(code, row.number))
        for column in LISTING_COLUMNS:
            value = row.get(column)
            if not value:
                continue
            if column not in listing.cells:
                listing.cells[column] = (value, row.number)
            elif listing.cells[column][0] != value:
                errors.add(
                    row.number,
                    column,
                    "listing_mismatch",
                    _(
                        "Rows with the same kode_produk are one listing, but this %(column)s "
                        "differs from row %(first)d. Write it the same on every row of the "
                        "listing, or only on its first row."
                    )
                    % {"column": column, "first": listing.cells[column][1]},
                )
        sku = row.get("sku").strip()
        if sku and sku.casefold() in seen:
            errors.add(
                row.number,
                "sku",
                "duplicate_sku",
                _("SKU %(sku)s is already on row %(first)d of this file.")
                % {"sku": sku, "first": seen[sku.casefold()]},
            )
            continue
        if sku:
            seen[sku.casefold()] = row.number
        current = existing.get(sku.casefold()) if sku else None
        data, stock, problems = _variant_input(row, sheet, current)
        for column, problem in problems:
            errors.add(row.number, column, problem.code, problem.message)
        values: dict[str, Any] = {}
        try:
            values = catalog.clean_variant(data)
        except ValidationError as exc:
            errors.add_validation(row.number, exc, skip={c for c, _p in problems})
        if stock is not None:
            try:
                catalog.clean_stock_quantity(stock)
            except ValidationError as exc:
                errors.add_validation(row.number, exc)
        plan = _VariantPlan(row.number, current, values, stock=stock)
        if current is not None and values:
            plan.changed = any(_differs(getattr(current, k), v) for k, v in values.items())
        listing.variants.append(plan)
    if progress:
        progress("validated", len(sheet.rows))
    counts = Counter(v.product_id for v in existing.values())
    for listing in listings.values():
        listing.variant_count = max(
            (counts[v.variant.product_id] for v in listing.variants if v.variant), default=0
        )
    return list(listings.values())


def _differs(current: Any, new: Any) -> bool:
    if current in (None, "") and new in (None, ""):
        return False
    return bool(current != new)


def _check_listings(listings: list[_ListingPlan], sheet: Sheet, errors: _Errors) -> None:
    """Give each ``kode_produk`` its listing (or none: a new one) and check the listing's text."""
    categories = {c.slug: c for c in Category.objects.all()}
    owner: dict[int, _ListingPlan] = {}
    for listing in listings:
        matched = [v for v in listing.variants if v.variant is not None]
        for plan in matched:
            assert plan.variant is not None
            product = plan.variant.product
            if listing.product is None:
                if product.pk in owner:
                    other = owner[product.pk]
                    errors.add(
                        plan.row,
                        "kode_produk",
                        "listing_split",
                        _(
                            "SKU %(sku)s belongs to the listing written with kode_produk "
                            "%(code)s (row %(first)d). Give all rows of a listing the same "
                            "kode_produk."
                        )
                        % {"sku": plan.variant.sku, "code": other.code, "first": other.first_row},
                    )
                    break
                listing.product = product
                owner[product.pk] = listing
            elif product.pk != listing.product.pk:
                errors.add(
                    plan.row,
                    "sku",
                    "other_listing",
                    _(
                        "SKU %(sku)s belongs to another listing (“%(title)s”) than the other rows "
                        "with kode_produk %(code)s. A variant cannot move to another listing."
                    )
                    % {"sku": plan.variant.sku, "title": product.title, "code": listing.code},
                )
        _check_listing_text(listing, sheet, categories, errors)


def _check_listing_text(
    listing: _ListingPlan, sheet: Sheet, categories: dict[str, Category], errors: _Errors
) -> None:
    product = listing.product

    def text(column: str, field_name: str, language: str) -> str:
        if sheet.has(column):
            return listing.cells.get(column, ("", 0))[0]
        if product is None:
            return ""
        return getattr(product, build_localized_fieldname(field_name, language)) or ""

    def row_of(column: str) -> int:
        return listing.cells.get(column, ("", listing.first_row))[1]

    title: dict[str, str] = {}
    description: dict[str, str] = {}
    for language in catalog.LISTING_LANGUAGES:
        title_column = TITLE_COLUMNS.get(language, "")
        description_column = DESCRIPTION_COLUMNS.get(language, "")
        title[language] = text(title_column, "title", language)
        description[language] = text(description_column, "description", language)

    slug = listing.cells.get("kategori", ("", 0))[0].strip().lower()
    category = categories.get(slug)
    if not slug:
        errors.add(
            listing.first_row, "kategori", "required", _("Enter the category code (kategori).")
        )
    elif category is None:
        errors.add(
            row_of("kategori"),
            "kategori",
            "unknown_category",
            _("Unknown category %(slug)s. Use one of: %(slugs)s.")
            % {"slug": slug, "slugs": ", ".join(sorted(categories))},
        )
    try:
        values = catalog.clean_product(
            catalog.ProductInput(
                category=category or Category(), title=title, description=description
            )
        )
    except ValidationError as exc:
        for name, field_errors in exc.error_dict.items():
            column = ERROR_COLUMNS.get(name, "judul")
            for error in field_errors:
                errors.add(row_of(column), column, error.code or "invalid", _message(error))
        return
    if category is None:
        return
    listing.values = values
    if product is None:
        return
    compared = [name for name in values if name not in ("title", "description")]
    listing.changed = any(
        _differs(product.category_id, values[name].pk)
        if name == "category"
        else _differs(getattr(product, name), values[name])
        for name in compared
    )
    if listing.changed and product.status == ProductStatus.PUBLISHED:
        for name in compared:
            setattr(product, name, values[name])
        try:
            catalog.screen_product(product)
        except ValidationError as exc:
            errors.add_validation(row_of("judul"), exc, column="judul")


def _summarise(listings: list[_ListingPlan], rows: int) -> Summary:
    summary = Summary(rows=rows)
    for listing in listings:
        if listing.product is None:
            summary.products_created += 1
        elif listing.changed:
            summary.products_updated += 1
        for plan in listing.variants:
            stock_changes = _stock_delta(plan) != 0
            summary.stock_changes += stock_changes
            if plan.variant is None:
                summary.variants_created += 1
            elif plan.changed:
                summary.variants_updated += 1
            elif not stock_changes:
                summary.rows_unchanged += 1
    return summary


def _stock_delta(plan: _VariantPlan) -> int:
    if plan.stock is None:
        return 0
    return plan.stock - (plan.variant.stock_quantity if plan.variant else 0)


def _plan(shop: Shop, sheet: Sheet, progress: Progress | None, *, lock: bool) -> _Plan:
    errors = _Errors()
    for number, code, message in sheet.problems:
        errors.add(number, "", code, message)
    if not sheet.rows and not sheet.problems:
        errors.add(None, "", "no_rows", _("The file has column names but no rows."))
    listings = _check_rows(sheet, shop, errors, progress, lock=lock)
    _check_listings(listings, sheet, errors)
    if errors.items:
        raise ImportInvalid(sorted(errors.items, key=lambda e: (e.row or 0, e.column)))
    return _Plan(listings, _summarise(listings, len(sheet.rows)))


# --- Writing ------------------------------------------------------------------------------------


def _chunks(listings: list[_ListingPlan]) -> Iterator[list[_ListingPlan]]:
    chunk: list[_ListingPlan] = []
    rows = 0
    for listing in listings:
        chunk.append(listing)
        rows += len(listing.variants)
        if rows >= CHUNK_ROWS:
            yield chunk
            chunk, rows = [], 0
    if chunk:
        yield chunk


class _Writer:
    """Bulk-writes a checked plan with the audit entries and events the catalog services write."""

    def __init__(self, actor: Any, shop: Shop, note: str) -> None:
        self.actor = actor if getattr(actor, "is_authenticated", False) else None
        self.shop = shop
        self.note = note[:200]
        self.now = timezone.now()
        self.audit: list[AuditEntry] = []
        self.changed_products: set[int] = set()
        self.stock_out: list[tuple[int, int]] = []
        self.product_fields = [
            build_localized_fieldname(name, language)
            for name in ("title", "description")
            for language in catalog.LISTING_LANGUAGES
        ] + ["title", "description", "category", "needs_review", "updated_at"]

    def _record(self, action: str, obj: Any, **data: Any) -> None:
        # ``audit.services.record`` builds the same entry and saves it; here they are saved in bulk.
        self.audit.append(
            AuditEntry(
                actor=self.actor,
                action=action,
                data=data or {},
                object_type=ContentType.objects.get_for_model(obj),
                object_id=str(obj.pk),
                object_repr=str(obj)[:200],
                on_behalf_of_type=ContentType.objects.get_for_model(self.shop),
                on_behalf_of_id=str(self.shop.pk),
            )
        )

    def write(self, listings: list[_ListingPlan]) -> int:
        self._products(listings)
        self._variants(listings)
        AuditEntry.objects.bulk_create(self.audit, batch_size=1000)
        self.audit = []
        return sum(len(listing.variants) for listing in listings)

    def _products(self, listings: list[_ListingPlan]) -> None:
        new = [listing for listing in listings if listing.product is None]
        for listing in new:
            listing.product = Product(shop=self.shop, **listing.values)
        created = [listing.product for listing in new if listing.product is not None]
        _bulk_create(Product, created)
        for new_product in created:
            self._record("product.created", new_product)
        changed: list[Product] = []
        for listing in listings:
            product = listing.product
            if product is None or not listing.changed:  # new listings are never "changed"
                continue
            for name, value in listing.values.items():
                setattr(product, name, value)
            if product.status == ProductStatus.PUBLISHED:
                product.needs_review = True
                self.changed_products.add(product.pk)
            product.updated_at = self.now
            changed.append(product)
            self._record("product.changed", product)
        if changed:
            Product.objects.bulk_update(changed, self.product_fields, batch_size=500)

    def _variants(self, listings: list[_ListingPlan]) -> None:
        new: list[ProductVariant] = []
        changed: list[ProductVariant] = []
        moves: list[tuple[ProductVariant, int]] = []
        positions: dict[int, int] = {}
        for listing in listings:
            product = listing.product
            assert product is not None
            positions.setdefault(product.pk, listing.variant_count)
            for plan in listing.variants:
                delta = _stock_delta(plan)
                variant = plan.variant
                if variant is None:
                    variant = ProductVariant(
                        product=product,
                        position=positions[product.pk],
                        stock_quantity=plan.stock or 0,
                        **plan.values,
                    )
                    positions[product.pk] += 1
                    new.append(variant)
                elif plan.changed or delta:
                    for name, value in plan.values.items():
                        setattr(variant, name, value)
                    variant.stock_quantity += delta
                    changed.append(variant)
                if delta:
                    moves.append((variant, delta))
                if (plan.variant is None or plan.changed or delta) and (
                    product.status == ProductStatus.PUBLISHED
                ):
                    self.changed_products.add(product.pk)
        _bulk_create(ProductVariant, new)
        for variant in new:
            self._record("variant.created", variant)
        if changed:
            ProductVariant.objects.bulk_update(
                changed,
                [*VARIANT_FIELDS, "price_currency", "export_price_currency", "stock_quantity"],
                batch_size=500,
            )
            updated = {id(v) for listing in listings for v in _changed_variants(listing)}
            for variant in changed:
                if id(variant) in updated:
                    self._record("variant.changed", variant)
        movements = []
        for variant, delta in moves:
            movements.append(
                StockMovement(
                    variant=variant,
                    delta=delta,
                    quantity_after=variant.stock_quantity,
                    reason=StockReason.IMPORT,
                    note=self.note,
                    actor=self.actor,
                )
            )
            self._record("stock.changed", variant, delta=delta, reason=str(StockReason.IMPORT))
            if variant.stock_quantity == 0:
                self.stock_out.append((variant.product_id, variant.pk))
        StockMovement.objects.bulk_create(movements, batch_size=1000)

    def finish(self, summary: Summary) -> None:
        """One entry for the import itself (when it changed anything), then the events."""
        if summary.changes:
            self._record("listings.imported", self.shop, file=self.note, **summary.as_dict())
            AuditEntry.objects.bulk_create(self.audit)
            self.audit = []
        self._emit_events()

    def _emit_events(self) -> None:
        """The services' events, sent on commit: one ``product.changed`` per published listing."""
        for product_id in sorted(self.changed_products):
            events.emit("product.changed", product_id=product_id)
        for product_id, variant_id in self.stock_out:
            events.emit("product.stock_out", product_id=product_id, variant_id=variant_id)


def _changed_variants(listing: _ListingPlan) -> Iterator[ProductVariant]:
    for plan in listing.variants:
        if plan.variant is not None and plan.changed:
            yield plan.variant


def _bulk_create(model: type[Product] | type[ProductVariant], objs: list[Any]) -> None:
    """``bulk_create`` where the database hands back the new keys, else one ``save`` each."""
    if not objs:
        return
    if connection.features.can_return_rows_from_bulk_insert:
        model.objects.bulk_create(objs, batch_size=500)
    else:  # pragma: no cover - SQLite older than 3.35
        for obj in objs:
            obj.save()


def _write(actor: Any, shop: Shop, plan: _Plan, note: str, progress: Progress | None) -> None:
    writer = _Writer(actor, shop, note)
    # Product's untranslated ``title``/``description`` columns hold the Indonesian text (as
    # ``create_product`` stores them when the interface is Indonesian): write in that language.
    with translation.override(settings.MODELTRANSLATION_DEFAULT_LANGUAGE):
        written = 0
        for chunk in _chunks(plan.listings):
            written += writer.write(chunk)
            if progress:
                progress("written", written)
        writer.finish(plan.summary)


# --- Entry points -------------------------------------------------------------------------------


def import_listings(
    actor: Any,
    shop: Shop,
    data: bytes,
    fmt: Format,
    *,
    commit: bool,
    filename: str = "",
    progress: Progress | None = None,
) -> Summary:
    """Check the whole file; with ``commit``, write it in one transaction. All or nothing.

    Raises ``ImportInvalid`` (naming each bad row) when anything is wrong; then nothing is written.
    """
    permissions.require(permissions.can_manage_shop, actor, shop)
    try:
        sheet = read_sheet(data, fmt)
    except FileError as exc:
        raise ImportInvalid([RowError(None, "", exc.code, exc.message)]) from exc
    if not commit:
        return _plan(shop, sheet, progress, lock=False).summary
    with transaction.atomic():
        plan = _plan(shop, sheet, progress, lock=True)
        _write(actor, shop, plan, filename, progress)
    return plan.summary


def start_import(actor: User, shop: Shop, filename: str, data: bytes, language: str) -> str:
    """Keep an upload for preview and check it (in the request, or a task for a large file).

    Returns the token of the seller's preview link. ``FileError`` for a file refused at the door.
    """
    permissions.require(permissions.can_manage_shop, actor, shop)
    check_size(len(data))
    fmt = detect_format(filename, data[:4096])
    rows = estimate_rows(data, fmt)
    job, token = jobs.create(
        shop_id=shop.pk,
        user_id=actor.pk,
        filename=filename,
        fmt=fmt.value,
        data=data,
        language=language,
        rows=rows,
    )
    _dispatch(job, commit=False)
    return token


def confirm_import(actor: User, shop: Shop, job: Job) -> None:
    """The seller confirmed the preview: write the file (once, however often the button is hit)."""
    permissions.require(permissions.can_manage_shop, actor, shop)
    if job.running or job.state == JobState.DONE:
        return  # a second tap, or a reload: the first one is at work or has finished
    if job.state != JobState.READY:
        raise ValidationError(_("This file cannot be imported: it has errors."), code="not_ready")
    if not jobs.claim_commit(job):
        return
    jobs.save(job, state=JobState.QUEUED, commit=True, user_id=actor.pk, rows_written=0)
    _dispatch(job, commit=True)


def _dispatch(job: Job, *, commit: bool) -> None:
    if job.rows_estimate > BACKGROUND_ROWS:
        from .tasks import import_listings as task

        jobs.save(job, background=True)
        task.delay(job.key, job.shop_id, commit)
    else:
        run_job(job.key, job.shop_id, commit)


def run_job(key: str, shop_id: int, commit: bool) -> None:
    """Check (and with ``commit`` write) a kept upload, reporting progress in the job."""
    try:
        job = jobs.load(shop_id, key)
    except TokenError:
        logger.info("Spreadsheet job %s expired before it ran", key)
        return
    with translation.override(job.language):
        _run(job, commit)


def _run(job: Job, commit: bool) -> None:
    state = JobState.IMPORTING if commit else JobState.VALIDATING
    jobs.save(job, state=state, rows_validated=0, rows_written=0)
    last = {"validated": 0, "written": 0}

    def progress(phase: str, rows: int) -> None:
        if rows - last[phase] >= PROGRESS_EVERY or phase == "written":
            last[phase] = rows
            jobs.save(job, **{f"rows_{phase}": rows})

    try:
        data = jobs.file_data(job)
        shop = Shop.objects.get(pk=job.shop_id)
        actor = User.objects.get(pk=job.user_id)
        summary = import_listings(
            actor,
            shop,
            data,
            Format(job.format),
            commit=commit,
            filename=job.filename,
            progress=progress,
        )
    except ImportInvalid as exc:
        jobs.save(
            job,
            state=JobState.INVALID,
            errors=[e.as_dict() for e in exc.errors[: jobs.MAX_STORED_ERRORS]],
            error_count=len(exc.errors),
        )
        jobs.release_commit(job)
    except TokenError as exc:
        _fail(job, exc.code, exc.message)
    except PermissionDenied:
        _fail(job, "permission_denied", _("You may no longer manage this shop."))
    except Exception:
        logger.exception("Spreadsheet import %s failed", job.key)
        _fail(job, "failed", _("Something went wrong; nothing was imported. Please try again."))
        jobs.release_commit(job)
    else:
        jobs.save(
            job,
            state=JobState.DONE if commit else JobState.READY,
            rows_total=summary.rows,
            summary=summary.as_dict(),
            errors=[],
            error_count=0,
        )
        if commit:
            jobs.discard_file(job)


def _fail(job: Job, code: str, message: str) -> None:
    error = RowError(None, "", code, message)
    jobs.save(job, state=JobState.FAILED, errors=[error.as_dict()], error_count=1)

"""Writes to the catalog: listings, variants, stock, publishing and moderation.

Web pages, GraphQL and the spreadsheet import all call these functions. Each one checks its
permission rule (``marketplace.core.permissions``), validates, writes in one transaction, records an
audit entry (on behalf of the shop, so the seller sees what a facilitator did) and emits domain
events that run after commit.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from djmoney.money import Money
from modeltranslation.utils import build_localized_fieldname

from marketplace.audit.services import record
from marketplace.core import events, permissions
from marketplace.core.text import sanitise_html
from sellers.models import Shop

from .models import (
    Category,
    Product,
    ProductStatus,
    ProductVariant,
    ProhibitedTerm,
    StockMovement,
    StockReason,
)

LISTING_LANGUAGES: tuple[str, ...] = tuple(settings.MODELTRANSLATION_LANGUAGES)
OPTION_KEYS = ("weight", "size", "roast", "colour")


@dataclass
class ProductInput:
    category: Category
    #: language code -> text; Indonesian ("id") is required.
    title: dict[str, str]
    description: dict[str, str] = field(default_factory=dict)
    #: Offer the listing to EU buyers; ``None`` leaves it as it is.
    ships_to_eu: bool | None = None


@dataclass
class VariantInput:
    sku: str
    price_idr: Decimal | int | str
    name: str = ""
    options: dict[str, str] = field(default_factory=dict)
    export_price_eur: Decimal | int | str | None = None
    weight_grams: int | None = None
    length_mm: int | None = None
    width_mm: int | None = None
    height_mm: int | None = None
    low_stock_threshold: int = 3


def _field(name: str, language: str) -> str:
    return build_localized_fieldname(name, language)


def clean_product(data: ProductInput) -> dict[str, Any]:
    """Validate a listing's text; shared by the services and the spreadsheet import."""
    errors: dict[str, list[ValidationError]] = {}
    values: dict[str, Any] = {"category": data.category}
    if data.ships_to_eu is not None:
        values["ships_to_eu"] = data.ships_to_eu
    title_id = (data.title.get("id") or "").strip()
    if not title_id:
        errors["title_id"] = [ValidationError(_("Write the title in Indonesian."), code="required")]
    for language in LISTING_LANGUAGES:
        title = (data.title.get(language) or "").strip()
        if len(title) > 150:
            errors[f"title_{language}"] = [
                ValidationError(_("A title has at most 150 characters."), code="max_length")
            ]
        values[_field("title", language)] = title or None
        description = sanitise_html(data.description.get(language) or "")
        values[_field("description", language)] = description or None
    values["title"] = title_id
    values["description"] = values[_field("description", "id")] or ""
    if errors:
        raise ValidationError(errors)
    return values


def _money(
    value: Decimal | int | str | None,
    currency: str,
    field_name: str,
    places: int,
    max_digits: int,
) -> Money | None:
    if value in (None, ""):
        return None
    try:
        amount = Decimal(str(value).replace(" ", ""))
    except InvalidOperation as exc:
        raise ValidationError(
            {field_name: ValidationError(_("Enter a number."), code="invalid")}
        ) from exc
    if amount <= 0:
        raise ValidationError(
            {field_name: ValidationError(_("The price must be more than zero."), code="min_value")}
        )
    if amount != amount.quantize(Decimal(1).scaleb(-places)):
        raise ValidationError(
            {field_name: ValidationError(_("Too many decimal places."), code="invalid")}
        )
    if amount >= Decimal(10) ** (max_digits - places):
        raise ValidationError(
            {field_name: ValidationError(_("The price is too large."), code="max_value")}
        )
    return Money(amount, currency)


def _audit(actor: Any, action: str, obj: Any, shop: Shop, **data: Any) -> None:
    record(actor, action, obj, on_behalf_of=shop, data=data or None)


@transaction.atomic
def create_product(actor: Any, shop: Shop, data: ProductInput) -> Product:
    permissions.require(permissions.can_manage_shop, actor, shop)
    product = Product(shop=shop, **clean_product(data))
    product.save()
    _audit(actor, "product.created", product, shop)
    return product


@transaction.atomic
def update_product(actor: Any, product: Product, data: ProductInput) -> Product:
    permissions.require(permissions.can_manage_shop, actor, product.shop)
    values = clean_product(data)
    # modeltranslation sends a plain ``title``/``description`` to the active language's column;
    # set them as Indonesian so a seller using the English page keeps their English title.
    with translation.override(settings.MODELTRANSLATION_DEFAULT_LANGUAGE):
        for name, value in values.items():
            setattr(product, name, value)
    if product.status == ProductStatus.PUBLISHED:
        screen_product(product)
        product.needs_review = True
    product.save()
    _audit(actor, "product.changed", product, product.shop)
    if product.status == ProductStatus.PUBLISHED:
        events.emit("product.changed", product_id=product.pk)
    return product


@transaction.atomic
def save_variant(
    actor: Any, product: Product, data: VariantInput, variant: ProductVariant | None = None
) -> ProductVariant:
    """Create a variant (stock 0) or change one; stock changes go through ``adjust_stock``."""
    permissions.require(permissions.can_manage_shop, actor, product.shop)
    errors: dict[str, list[ValidationError]] = {}
    values: dict[str, Any] = {}
    try:
        values = clean_variant(data)
    except ValidationError as exc:
        errors.update(exc.error_dict)
    sku = data.sku.strip()
    if (
        sku
        and ProductVariant.objects.filter(product__shop=product.shop, sku__iexact=sku)
        .exclude(pk=variant.pk if variant else 0)
        .exists()
    ):
        errors["sku"] = [
            ValidationError(_("Another item of your shop already uses this SKU."), code="sku_taken")
        ]
    if errors:
        raise ValidationError(errors)
    is_new = variant is None
    if variant is None:
        variant = ProductVariant(product=product, position=product.variants.count())
    for name, value in values.items():
        setattr(variant, name, value)
    variant.save()
    _audit(actor, "variant.created" if is_new else "variant.changed", variant, product.shop)
    if product.status == ProductStatus.PUBLISHED:
        events.emit("product.changed", product_id=product.pk)
    return variant


def clean_variant(data: VariantInput) -> dict[str, Any]:
    """Validate a variant's fields into model values; shared by ``save_variant`` and the
    spreadsheet import. SKU uniqueness needs the shop's other variants, so callers check it."""
    errors: dict[str, list[ValidationError]] = {}
    sku = data.sku.strip()
    if not sku:
        errors["sku"] = [
            ValidationError(_("Enter a SKU (your own code for this item)."), code="required")
        ]
    elif len(sku) > 64:
        errors["sku"] = [ValidationError(_("A SKU has at most 64 characters."), code="max_length")]
    if len(data.name.strip()) > 100:
        errors["name"] = [
            ValidationError(_("A variant name has at most 100 characters."), code="max_length")
        ]
    price = export_price = None
    try:
        price = _money(data.price_idr, "IDR", "price_idr", 0, 14)
        if price is None:
            errors["price_idr"] = [
                ValidationError(_("Enter the price in rupiah."), code="required")
            ]
    except ValidationError as exc:
        errors.update(exc.error_dict)
    try:
        export_price = _money(data.export_price_eur, "EUR", "export_price_eur", 2, 10)
    except ValidationError as exc:
        errors.update(exc.error_dict)
    unknown = set(data.options) - set(OPTION_KEYS)
    if unknown:
        errors["options"] = [
            ValidationError(
                _("Unknown option: %(names)s.") % {"names": ", ".join(sorted(unknown))},
                code="invalid",
            )
        ]
    for name in ("weight_grams", "length_mm", "width_mm", "height_mm"):
        value = getattr(data, name)
        if value is not None and value <= 0:
            errors[name] = [ValidationError(_("Enter a number above zero."), code="min_value")]
    if errors:
        raise ValidationError(errors)
    return {
        "sku": sku,
        "name": data.name.strip(),
        "options": {k: str(v).strip() for k, v in data.options.items() if str(v).strip()},
        "price": price,
        "export_price": export_price,
        "weight_grams": data.weight_grams,
        "length_mm": data.length_mm,
        "width_mm": data.width_mm,
        "height_mm": data.height_mm,
        "low_stock_threshold": data.low_stock_threshold,
    }


@transaction.atomic
def delete_variant(actor: Any, variant: ProductVariant) -> None:
    product = variant.product
    permissions.require(permissions.can_manage_shop, actor, product.shop)
    if product.status == ProductStatus.PUBLISHED and product.variants.count() == 1:
        raise ValidationError(
            _("A published listing needs at least one variant. Archive the listing instead."),
            code="last_variant",
        )
    _audit(actor, "variant.deleted", variant, product.shop, sku=variant.sku)
    variant.delete()
    if product.status == ProductStatus.PUBLISHED:
        events.emit("product.changed", product_id=product.pk)


def adjust_stock(
    actor: Any,
    variant: ProductVariant,
    delta: int,
    reason: str = StockReason.MANUAL,
    note: str = "",
) -> ProductVariant:
    """Add ``delta`` (negative to remove) to a variant's stock, never below zero."""
    permissions.require(permissions.can_manage_shop, actor, variant.product.shop)
    return _move_stock(actor, variant, delta=delta, reason=reason, note=note)


def set_stock(
    actor: Any,
    variant: ProductVariant,
    quantity: int,
    reason: str = StockReason.MANUAL,
    note: str = "",
) -> ProductVariant:
    """Set the stock to a counted ``quantity``; the movement records the difference."""
    permissions.require(permissions.can_manage_shop, actor, variant.product.shop)
    return _move_stock(actor, variant, quantity=quantity, reason=reason, note=note)


def clean_stock_quantity(quantity: int) -> None:
    """A counted stock is never negative; shared by ``set_stock`` and the spreadsheet import."""
    if quantity < 0:
        raise ValidationError(
            {"quantity": ValidationError(_("Stock cannot be negative."), code="min_value")}
        )


@transaction.atomic
def _move_stock(
    actor: Any,
    variant: ProductVariant,
    *,
    delta: int | None = None,
    quantity: int | None = None,
    reason: str,
    note: str,
) -> ProductVariant:
    if reason not in StockReason.values:
        raise ValidationError({"reason": ValidationError(_("Unknown reason."), code="invalid")})
    # Lock the row: two phones adjusting the same stock must not lose an update.
    locked = ProductVariant.objects.select_for_update().select_related("product").get(pk=variant.pk)
    if quantity is not None:
        clean_stock_quantity(quantity)
        delta = quantity - locked.stock_quantity
    assert delta is not None
    after = locked.stock_quantity + delta
    if after < 0:
        raise ValidationError(
            {
                "delta": ValidationError(
                    _("Only %(n)d in stock; you cannot remove %(m)d.")
                    % {"n": locked.stock_quantity, "m": -delta},
                    code="insufficient_stock",
                )
            }
        )
    if delta == 0:
        return locked
    ProductVariant.objects.filter(pk=locked.pk).update(stock_quantity=F("stock_quantity") + delta)
    StockMovement.objects.create(
        variant=locked,
        delta=delta,
        quantity_after=after,
        reason=reason,
        note=note[:200],
        actor=actor if getattr(actor, "is_authenticated", False) else None,
    )
    locked.stock_quantity = after
    _audit(actor, "stock.changed", locked, locked.product.shop, delta=delta, reason=reason)
    if after == 0:
        events.emit("product.stock_out", product_id=locked.product_id, variant_id=locked.pk)
    if locked.product.status == ProductStatus.PUBLISHED:
        events.emit("product.changed", product_id=locked.product_id)
    variant.stock_quantity = after
    return locked


def screen_product(product: Product) -> None:
    """Refuse a listing that names a prohibited good, in any of its languages."""
    text = " ".join(
        str(getattr(product, _field(name, language)) or "")
        for name in ("title", "description")
        for language in LISTING_LANGUAGES
    ).lower()
    for term in ProhibitedTerm.objects.all():
        if term.term.lower() in text:
            raise ValidationError(
                _("“%(term)s” may not be sold on Pasar Kampung: %(reason)s")
                % {"term": term.term, "reason": term.reason},
                code="prohibited",
            )


@transaction.atomic
def publish_product(actor: Any, product: Product) -> Product:
    permissions.require(permissions.can_manage_shop, actor, product.shop)
    if product.status == ProductStatus.REMOVED:
        raise ValidationError(
            _("An operator removed this listing: %(reason)s")
            % {"reason": product.moderation_reason},
            code="removed",
        )
    if not product.variants.exists():
        raise ValidationError(
            _("Add at least one variant with a price before publishing."), code="no_variant"
        )
    screen_product(product)
    product.status = ProductStatus.PUBLISHED
    product.published_at = product.published_at or timezone.now()
    product.needs_review = True
    product.save(update_fields=["status", "published_at", "needs_review", "updated_at"])
    _audit(actor, "product.published", product, product.shop)
    events.emit("product.published", product_id=product.pk)
    return product


@transaction.atomic
def archive_product(actor: Any, product: Product) -> Product:
    permissions.require(permissions.can_manage_shop, actor, product.shop)
    if product.status == ProductStatus.REMOVED:
        raise ValidationError(_("An operator removed this listing."), code="removed")
    was_published = product.status == ProductStatus.PUBLISHED
    product.status = ProductStatus.ARCHIVED
    product.save(update_fields=["status", "updated_at"])
    _audit(actor, "product.archived", product, product.shop)
    if was_published:
        events.emit("product.removed", product_id=product.pk)
    return product


@transaction.atomic
def remove_product(operator: Any, product: Product, reason: str) -> Product:
    """Moderation: take a listing off the storefront and search at once, telling the seller why."""
    permissions.require(permissions.can_moderate, operator)
    if not reason.strip():
        raise ValidationError(
            {"reason": ValidationError(_("Tell the seller why."), code="required")}
        )
    product.status = ProductStatus.REMOVED
    product.moderation_reason = reason.strip()
    product.needs_review = False
    product.save(update_fields=["status", "moderation_reason", "needs_review", "updated_at"])
    _audit(operator, "product.removed", product, product.shop, reason=reason.strip())
    events.emit("product.removed", product_id=product.pk)
    return product


@transaction.atomic
def restore_product(operator: Any, product: Product) -> Product:
    """Moderation: undo a removal; the listing returns as a draft for the seller to publish."""
    permissions.require(permissions.can_moderate, operator)
    if product.status != ProductStatus.REMOVED:
        raise ValidationError(_("Only a removed listing can be restored."), code="not_removed")
    product.status = ProductStatus.DRAFT
    product.moderation_reason = ""
    product.save(update_fields=["status", "moderation_reason", "updated_at"])
    _audit(operator, "product.restored", product, product.shop)
    return product


@transaction.atomic
def mark_reviewed(operator: Any, product: Product) -> Product:
    """Moderation: an operator looked at a published or changed listing and let it stand."""
    permissions.require(permissions.can_moderate, operator)
    product.needs_review = False
    product.save(update_fields=["needs_review"])
    _audit(operator, "product.reviewed", product, product.shop)
    return product

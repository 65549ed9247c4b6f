"""The catalog: categories, products (listings), variants and their stock.

Stock belongs to the variant, and every change to it is a ``StockMovement`` with a reason,
written by ``catalog.services`` in the same transaction as the new quantity. Text a buyer reads
(title, description) is stored per language by django-modeltranslation (``translation.py``):
Indonesian is required and the fallback; English, German, Dutch and French are optional.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from djmoney.models.fields import MoneyField


class TaxClass(models.TextChoices):
    STANDARD = "standard", _("standard rate")
    FOOD = "food", _("food (reduced rate where the state has one)")
    COFFEE = "coffee", _("coffee (reduced rate where the state has one)")


class EudrCommodity(models.TextChoices):
    NONE = "", _("not an EUDR commodity")
    COFFEE = "coffee", _("coffee")
    COCOA = "cocoa", _("cocoa")
    WOOD = "wood", _("wood")


class Category(models.Model):
    """A node of the category tree, carrying what later rules (tax, export) need to know."""

    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=100)
    position = models.PositiveSmallIntegerField(default=0)
    is_food = models.BooleanField(_("food"), default=False)
    eudr_commodity = models.CharField(
        _("EUDR commodity"), max_length=8, choices=EudrCommodity.choices, blank=True, default=""
    )
    default_hs_heading = models.CharField(
        _("default HS heading"),
        max_length=4,
        blank=True,
        validators=[RegexValidator(r"^\d{4}$", _("An HS heading has 4 digits."))],
    )
    tax_class = models.CharField(
        _("tax class"), max_length=10, choices=TaxClass.choices, default=TaxClass.STANDARD
    )
    #: Goods that deteriorate quickly: excluded from the EU's 14-day right of withdrawal
    #: (Directive 2011/83/EU, Art. 16(d)); buyers are told before they pay.
    is_perishable = models.BooleanField(_("perishable"), default=False)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["position", "slug"]

    def __str__(self) -> str:
        return self.name


class ProductStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    PUBLISHED = "published", _("published")
    ARCHIVED = "archived", _("archived")
    REMOVED = "removed", _("removed by an operator")


class Product(models.Model):
    """A listing of a shop. Only ``published`` listings of approved shops reach buyers."""

    shop = models.ForeignKey("sellers.Shop", on_delete=models.CASCADE, related_name="products")
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="products", verbose_name=_("category")
    )
    title = models.CharField(_("title"), max_length=150)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ProductStatus.choices,
        default=ProductStatus.DRAFT,
        db_index=True,
    )
    moderation_reason = models.TextField(_("reason given by the operator"), blank=True)
    #: The seller offers the listing to buyers in the EU (it also needs an EUR price; the
    #: export-readiness check will add the EU rules).
    ships_to_eu = models.BooleanField(_("offered to buyers in the EU"), default=False)
    #: The 6-digit HS subheading (customs papers, EU duty); empty: the category's heading is used.
    hs_code = models.CharField(
        _("HS code"),
        max_length=6,
        blank=True,
        validators=[RegexValidator(r"^\d{6}$", _("An HS code has 6 digits."))],
    )
    #: Post-moderation: set when a listing is published or changed, cleared by an operator's review.
    needs_review = models.BooleanField(_("awaiting review"), default=False, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["shop", "status"]),
            # Published listings of a category, newest first, with the shop to check: the
            # GraphQL ``products`` list and its count read only this index.
            models.Index(
                fields=["category", "-published_at", "-id"],
                include=["shop"],
                name="product_category_newest",
                condition=models.Q(status="published"),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def customs_code(self) -> str:
        """The listing's HS subheading, else its category's heading ("" when neither is known)."""
        return self.hs_code or self.category.default_hs_heading


class ProductVariant(models.Model):
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="variants")
    sku = models.CharField(_("SKU"), max_length=64)
    name = models.CharField(
        _("variant name"), max_length=100, blank=True, help_text=_("For example: 250 g, ground")
    )
    options = models.JSONField(
        _("options"),
        default=dict,
        blank=True,
        help_text=_("weight, size, roast, colour"),
    )
    price = MoneyField(
        _("price"),
        max_digits=14,
        decimal_places=0,
        default_currency="IDR",
        currency_choices=[("IDR", "IDR")],
        validators=[MinValueValidator(1)],
    )
    export_price = MoneyField(
        _("export price"),
        max_digits=10,
        decimal_places=2,
        default_currency="EUR",
        currency_choices=[("EUR", "EUR")],
        null=True,
        blank=True,
    )
    weight_grams = models.PositiveIntegerField(_("weight (g)"), null=True, blank=True)
    length_mm = models.PositiveIntegerField(_("length (mm)"), null=True, blank=True)
    width_mm = models.PositiveIntegerField(_("width (mm)"), null=True, blank=True)
    height_mm = models.PositiveIntegerField(_("height (mm)"), null=True, blank=True)
    stock_quantity = models.IntegerField(_("stock"), default=0)
    low_stock_threshold = models.PositiveIntegerField(_("low-stock warning at"), default=3)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("variant")
        verbose_name_plural = _("variants")
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["product", "sku"], name="unique_sku_per_product"),
            models.CheckConstraint(condition=Q(stock_quantity__gte=0), name="stock_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.product} · {self.name or self.sku}"

    @property
    def is_low_on_stock(self) -> bool:
        return self.stock_quantity <= self.low_stock_threshold


class StockReason(models.TextChoices):
    MANUAL = "manual", _("manual adjustment")
    IMPORT = "import", _("spreadsheet import")
    SALE = "sale", _("sale")
    RETURN = "return", _("return")


class StockMovement(models.Model):
    """One change of a variant's stock; the quantities always add up to ``stock_quantity``."""

    variant = models.ForeignKey(
        ProductVariant, on_delete=models.CASCADE, related_name="stock_movements"
    )
    delta = models.IntegerField(_("change"))
    quantity_after = models.IntegerField(_("stock after"))
    reason = models.CharField(_("reason"), max_length=10, choices=StockReason.choices)
    note = models.CharField(_("note"), max_length=200, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("stock movement")
        verbose_name_plural = _("stock movements")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.variant}: {self.delta:+d} ({self.reason})"


class ProhibitedTerm(models.Model):
    """Goods that may not be sold (operators keep the list); checked when a listing is published."""

    term = models.CharField(_("word or phrase"), max_length=100, unique=True)
    reason = models.CharField(_("why it is prohibited"), max_length=200)

    class Meta:
        verbose_name = _("prohibited good")
        verbose_name_plural = _("prohibited goods")
        ordering = ["term"]

    def __str__(self) -> str:
        return self.term

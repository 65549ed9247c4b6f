"""Shipping rates as data that operators edit in the admin, never as constants in code.

One tariff shape serves every courier: **a first weight at a first price, then a price per
started step** (``first_weight_grams``/``first_price``, ``step_grams``/``step_price``), up to a
maximum weight. It is how Indonesian couriers publish their tariffs ("per kg, rounded up, from
origin city to destination": first 1,000 g, then 1,000 g steps) and how Pos Indonesia publishes
EMS (first 500 g, then 500 g steps), so a new tariff is new rows, never new code.

- ``DomesticRate``: one courier service from an origin (a regency's code, or a district's for a
  district-specific price) to one destination province (BPS code, ``provinces.py``), in rupiah.
  A shop ships from its district; the district's row wins over its regency's. The origin is a
  region *code*, not a foreign key, so tariffs load before (or without) the region tree.
- ``InternationalRate``: one service (Pos Indonesia parcel, EMS) to one EU member state, in euro.
  The price is the *net* carriage charge: IOSS VAT on it is added by ``taxes.customs``.
- ``ShippingSettings``: packaging weight and the weight assumed for a variant without one; a new
  value is a new row with a later ``valid_from``, so history stays readable.

Reads go through ``selectors.py`` (cached; saving any of these rows drops the cache).
"""

from __future__ import annotations

from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from djmoney.models.fields import MoneyField

from marketplace.taxes.countries import EuCountries

from .provinces import PROVINCE_CHOICES


class Courier(models.Model):
    """A carrier a shop can hand parcels to (JNE, J&T, SiCepat, Pos Indonesia)."""

    code = models.SlugField(
        _("code"),
        max_length=20,
        unique=True,
        help_text=_("Stable and short, for example jne; shipping options are named code-service."),
    )
    name = models.CharField(_("name"), max_length=60)
    domestic = models.BooleanField(_("ships within Indonesia"), default=True)
    international = models.BooleanField(_("ships abroad"), default=False)
    active = models.BooleanField(
        _("active"), default=True, help_text=_("Inactive couriers are offered to nobody.")
    )

    class Meta:
        verbose_name = _("courier")
        verbose_name_plural = _("couriers")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Tariff(models.Model):
    """The fields every rate has: the service, its tariff shape, delivery days and source."""

    courier = models.ForeignKey(
        Courier, on_delete=models.CASCADE, related_name="+", verbose_name=_("courier")
    )
    service_code = models.SlugField(
        _("service code"), max_length=20, help_text=_("For example reg, yes, ems.")
    )
    service = models.CharField(
        _("service"), max_length=60, help_text=_("As the courier names it: REG, EMS …")
    )
    first_weight_grams = models.PositiveIntegerField(
        _("first weight (g)"), default=1000, validators=[MinValueValidator(1)]
    )
    step_grams = models.PositiveIntegerField(
        _("each further step (g)"),
        default=1000,
        validators=[MinValueValidator(1)],
        help_text=_("Every started step above the first weight costs the step price."),
    )
    max_weight_grams = models.PositiveIntegerField(
        _("maximum parcel weight (g)"), default=30_000, validators=[MinValueValidator(1)]
    )
    days_min = models.PositiveSmallIntegerField(_("days (at least)"), null=True, blank=True)
    days_max = models.PositiveSmallIntegerField(_("days (at most)"), null=True, blank=True)
    source = models.TextField(
        _("source"), help_text=_("Where the figures come from (tariff sheet, date).")
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class DomesticRate(Tariff):
    """One service from an origin regency (or district) to one province, in rupiah."""

    origin_code = models.CharField(
        _("origin (regency or district code)"),
        max_length=7,
        validators=[
            RegexValidator(
                r"^\d{4}(\d{3})?$",
                _("A regency code has 4 digits (3510), a district code 7 (3510170)."),
            )
        ],
        help_text=_("Official region code: 3510 for all of Banyuwangi, 3510170 for Glagah only."),
    )
    province_code = models.CharField(
        _("destination province"), max_length=2, choices=PROVINCE_CHOICES
    )
    first_price = MoneyField(
        _("price of the first weight"),
        max_digits=12,
        decimal_places=0,
        default_currency="IDR",
        currency_choices=[("IDR", "IDR")],
    )
    step_price = MoneyField(
        _("price of each further step"),
        max_digits=12,
        decimal_places=0,
        default_currency="IDR",
        currency_choices=[("IDR", "IDR")],
    )

    class Meta:
        verbose_name = _("domestic rate")
        verbose_name_plural = _("domestic rates")
        ordering = ["courier__name", "service_code", "origin_code", "province_code"]
        indexes = [models.Index(fields=["origin_code", "province_code"])]
        constraints = [
            models.UniqueConstraint(
                fields=["courier", "service_code", "origin_code", "province_code"],
                name="unique_domestic_rate",
            ),
            models.CheckConstraint(
                condition=Q(days_min__isnull=True)
                | Q(days_max__isnull=True)
                | Q(days_max__gte=F("days_min")),
                name="domestic_rate_days_in_order",
            ),
            models.CheckConstraint(
                condition=Q(first_price__gte=0) & Q(step_price__gte=0),
                name="domestic_rate_prices_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(first_weight_grams__gte=1) & Q(step_grams__gte=1),
                name="domestic_rate_weights_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.courier_id} {self.service} → {self.province_code}"


class InternationalRate(Tariff):
    """One service to one EU member state, in euro (net of VAT)."""

    country = CountryField(_("destination country"), countries=EuCountries)
    first_price = MoneyField(
        _("price of the first weight"),
        max_digits=10,
        decimal_places=2,
        default_currency="EUR",
        currency_choices=[("EUR", "EUR")],
    )
    step_price = MoneyField(
        _("price of each further step"),
        max_digits=10,
        decimal_places=2,
        default_currency="EUR",
        currency_choices=[("EUR", "EUR")],
    )

    class Meta:
        verbose_name = _("international rate")
        verbose_name_plural = _("international rates")
        ordering = ["courier__name", "service_code", "country"]
        constraints = [
            models.UniqueConstraint(
                fields=["courier", "service_code", "country"], name="unique_international_rate"
            ),
            models.CheckConstraint(
                condition=Q(days_min__isnull=True)
                | Q(days_max__isnull=True)
                | Q(days_max__gte=F("days_min")),
                name="international_rate_days_in_order",
            ),
            models.CheckConstraint(
                condition=Q(first_price__gte=0) & Q(step_price__gte=0),
                name="international_rate_prices_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(first_weight_grams__gte=1) & Q(step_grams__gte=1),
                name="international_rate_weights_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.courier_id} {self.service} → {self.country}"


class ShippingSettings(models.Model):
    """Packaging and default weights from ``valid_from``; the row that started last applies.

    No volumetric weight yet: few variants record dimensions, and the couriers' volumetric
    divisor (6,000 cm³/kg domestic, 5,000 international) matters only for bulky items such as
    bamboo baskets. Add a divisor here when dimensions are common.
    """

    valid_from = models.DateField(_("valid from"), unique=True)
    packaging_grams_per_parcel = models.PositiveIntegerField(
        _("packaging per parcel (g)"), default=150, help_text=_("Box, tape, filling.")
    )
    packaging_grams_per_item = models.PositiveIntegerField(
        _("packaging per item (g)"), default=20, help_text=_("Wrapping of each unit.")
    )
    default_item_weight_grams = models.PositiveIntegerField(
        _("weight of an item without a weight (g)"),
        default=500,
        validators=[MinValueValidator(1)],
        help_text=_("Used for variants whose seller did not enter a weight."),
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("shipping settings")
        verbose_name_plural = _("shipping settings")
        ordering = ["-valid_from"]

    def __str__(self) -> str:
        return f"Shipping settings from {self.valid_from}"

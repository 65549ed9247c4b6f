"""VAT rates of the EU member states, kept as data that operators edit, never as constants.

The export reference marks several figures "verify", and rates change by law
(Sweden's food rate halves from April 2026 to 2027). A change is a new row with a later
``valid_from`` and a ``source``, so the table shows which rate applied to an order on any day.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from djmoney.models.fields import MoneyField

from marketplace.catalog.models import TaxClass

from .countries import EuCountries


class VatRate(models.Model):
    """The rate of one tax class in one member state from ``valid_from`` (until ``valid_to``).

    When periods overlap, the row that started last wins: an operator records a new rate by adding
    a row, without having to close the old one first.
    """

    country = CountryField(_("country"), countries=EuCountries)
    tax_class = models.CharField(_("tax class"), max_length=10, choices=TaxClass.choices)
    rate = models.DecimalField(
        _("rate (%)"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("Percent, for example 19 or 25.5."),
    )
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(
        _("valid to"), null=True, blank=True, help_text=_("Last day; empty while in force.")
    )
    source = models.TextField(
        _("source"), help_text=_("Where the figure comes from (law, tax authority page, date).")
    )
    confidence = models.CharField(
        _("confidence"),
        max_length=200,
        blank=True,
        help_text=_("confirmed, announced, … with any caveat"),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("VAT rate")
        verbose_name_plural = _("VAT rates")
        ordering = ["country", "tax_class", "valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["country", "tax_class", "valid_from"], name="unique_vat_rate_start"
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="vat_rate_period_in_order",
            ),
            models.CheckConstraint(
                condition=Q(rate__gte=0) & Q(rate__lte=100), name="vat_rate_is_a_percentage"
            ),
        ]

    def __str__(self) -> str:
        until = f" to {self.valid_to}" if self.valid_to else ""
        return f"{self.country} {self.tax_class} {self.rate}% from {self.valid_from}{until}"


class ImportRule(models.Model):
    """How a parcel to an EU consumer is taxed at import, from ``valid_from`` (until ``valid_to``).

    The IOSS threshold, the flat duty per tariff subheading (from 1 July 2026) and the estimates
    shown above the threshold are law and carrier practice that change by date; the export
    reference marks several of them "verify". They are rows with a source, never constants, and
    ``taxes.customs.import_rule`` picks the row in force on the order's day (the latest start wins).
    """

    valid_from = models.DateField(_("valid from"), unique=True)
    valid_to = models.DateField(
        _("valid to"), null=True, blank=True, help_text=_("Last day; empty while in force.")
    )
    ioss_threshold = MoneyField(
        _("IOSS threshold (intrinsic value)"),
        max_digits=10,
        decimal_places=2,
        default=Decimal("150"),
        default_currency="EUR",
        currency_choices=[("EUR", "EUR")],
        help_text=_("Parcels of goods worth up to this (excluding shipping) pay VAT at checkout."),
    )
    duty_per_subheading = MoneyField(
        _("flat duty per tariff subheading"),
        max_digits=10,
        decimal_places=2,
        default=Decimal("0"),
        default_currency="EUR",
        currency_choices=[("EUR", "EUR")],
        help_text=_("Charged at checkout per distinct 6-digit HS subheading; 0: no flat duty."),
    )
    carrier_fee_estimate = MoneyField(
        _("carrier fee estimate (above the threshold)"),
        max_digits=10,
        decimal_places=2,
        default=Decimal("0"),
        default_currency="EUR",
        currency_choices=[("EUR", "EUR")],
        help_text=_("What the carrier and any EU handling fee collect on delivery, roughly."),
    )
    duty_rate_estimate_above_threshold = models.DecimalField(
        _("duty rate estimate above the threshold (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("A typical customs duty rate, for the estimate the buyer sees before paying."),
    )
    source = models.TextField(
        _("source"), help_text=_("Where the figures come from (regulation, customs page, date).")
    )
    confidence = models.CharField(
        _("confidence"),
        max_length=200,
        blank=True,
        help_text=_("confirmed, announced, … with any caveat"),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("import rule")
        verbose_name_plural = _("import rules")
        ordering = ["valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="import_rule_period_in_order",
            ),
            models.CheckConstraint(
                condition=Q(duty_rate_estimate_above_threshold__gte=0)
                & Q(duty_rate_estimate_above_threshold__lte=100),
                name="import_rule_duty_rate_is_a_percentage",
            ),
        ]

    def __str__(self) -> str:
        until = f" to {self.valid_to}" if self.valid_to else ""
        return f"Import rule from {self.valid_from}{until}"

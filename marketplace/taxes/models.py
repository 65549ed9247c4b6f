"""VAT rates of the EU member states, kept as data that operators edit, never as constants.

The export reference marks several figures "verify", and rates change by law
(Sweden's food rate halves from April 2026 to 2027). A change is a new row with a later
``valid_from`` and a ``source``, so the table shows which rate applied to an order on any day.
"""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

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

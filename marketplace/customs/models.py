"""Customs figures as data with a source, and the Safety Gate's removals from the EU market.

``CustomsSettings`` rows are dated (``valid_from``): the papers of a parcel use the row in force on
the day it was paid, so a new IOSS number or threshold never rewrites yesterday's papers.

``EuMarketBlock``: an operator takes a listing off the EU market (a Safety Gate alert, a border
rejection) with a reason the seller reads. The listing stays on sale in Indonesia. The block is
kept when lifted (``lifted_at``) so the history shows what happened; the readiness check treats a
listing with an unlifted block as not ready for any EU country.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from djmoney.models.fields import MoneyField
from djmoney.money import Money


class CustomsSettings(models.Model):
    valid_from = models.DateField(_("valid from"), unique=True)
    ioss_number = models.CharField(_("IOSS number"), max_length=12, blank=True)
    eu_address = models.TextField(_("marketplace's EU address"), blank=True)
    rex_number = models.CharField(_("REX number"), max_length=40, blank=True)
    peb_threshold_grams = models.PositiveIntegerField(_("PEB needed above (g)"), default=30_000)
    rex_threshold = MoneyField(
        _("REX number needed above"),
        max_digits=12,
        decimal_places=2,
        default=Money(Decimal("6000"), "EUR"),
        default_currency="EUR",
    )
    source = models.CharField(_("source"), max_length=300)

    class Meta:
        verbose_name = _("customs settings")
        verbose_name_plural = _("customs settings")
        ordering = ["-valid_from"]

    def __str__(self) -> str:
        return f"{_('Customs settings')} {self.valid_from}"

    @classmethod
    def on(cls, day: date | None = None) -> CustomsSettings:
        """The row in force on ``day``; an unsaved default row when none is (papers still print)."""
        day = day or timezone.localdate()
        row = cls.objects.filter(valid_from__lte=day).order_by("-valid_from").first()
        return row or cls(valid_from=day, source="")


class EuMarketBlock(models.Model):
    product = models.ForeignKey(
        "catalog.Product", on_delete=models.CASCADE, related_name="eu_market_blocks"
    )
    reason = models.TextField(_("reason"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    lifted_at = models.DateTimeField(null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("EU market block")
        verbose_name_plural = _("EU market blocks")
        ordering = ["-at"]
        indexes = [models.Index(fields=["product", "lifted_at"])]

    def __str__(self) -> str:
        return f"{self.product_id}: {self.reason[:40]}"

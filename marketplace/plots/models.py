"""EUDR production plots: where a shop's coffee, cocoa or wood was grown, and which listings
they supply.

A plot is never hard-deleted while the regulation may still ask for it (Reg. (EU) 2023/1115
Art. 12(3): records kept five years). ``services.delete_plot`` sets ``deleted_at``; the model and
its queryset refuse a hard delete until the retention period (``rules.retention_years``, counted
from the soft delete, the last day the plot could back a statement) has passed.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import rules


class RetentionError(ValidationError):
    """A hard delete of a plot still inside the retention period."""


def _retention_ends(deleted_at: datetime | None) -> datetime | None:
    if deleted_at is None:
        return None
    years = rules.current().retention_years
    try:
        return deleted_at.replace(year=deleted_at.year + years)
    except ValueError:  # 29 February
        return deleted_at.replace(year=deleted_at.year + years, day=28)


def may_hard_delete(deleted_at: datetime | None, now: datetime | None = None) -> bool:
    """Only a plot soft-deleted longer ago than the retention period may leave the database."""
    ends = _retention_ends(deleted_at)
    return ends is not None and ends <= (now or timezone.now())


class PlotQuerySet(models.QuerySet["ProductionPlot"]):
    def alive(self) -> PlotQuerySet:
        return self.filter(deleted_at__isnull=True)

    def delete(self) -> tuple[int, dict[str, int]]:
        for deleted_at in self.values_list("deleted_at", flat=True):
            if not may_hard_delete(deleted_at):
                raise RetentionError(
                    _("Production plots are kept for five years after they are removed."),
                    code="retention",
                )
        return super().delete()


class ProductionPlot(models.Model):
    shop = models.ForeignKey(
        "sellers.Shop", on_delete=models.PROTECT, related_name="production_plots"
    )
    name = models.CharField(_("name"), max_length=120)
    #: The supplying farmer when it is not the shop itself (the EU "producer").
    farmer_name = models.CharField(_("farmer"), max_length=120, blank=True)
    village = models.ForeignKey(
        "regions.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("village"),
    )
    area_ha = models.DecimalField(_("area (ha)"), max_digits=8, decimal_places=4)
    #: GeoJSON geometry (``Point`` or ``Polygon``), WGS84, longitude first, coordinates rounded
    #: to the required decimal places when saved.
    geometry = models.JSONField(_("geometry"))
    harvest_start = models.DateField(_("harvest from"), null=True, blank=True)
    harvest_end = models.DateField(_("harvest until"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    deleted_at = models.DateTimeField(null=True, blank=True, db_index=True)

    objects = PlotQuerySet.as_manager()

    class Meta:
        verbose_name = _("production plot")
        verbose_name_plural = _("production plots")
        ordering = ["name", "pk"]
        indexes = [models.Index(fields=["shop", "deleted_at"])]

    def __str__(self) -> str:
        return self.name

    @property
    def is_point(self) -> bool:
        return bool(self.geometry) and self.geometry.get("type") == "Point"

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        if not may_hard_delete(self.deleted_at):
            raise RetentionError(
                _("Production plots are kept for five years after they are removed."),
                code="retention",
            )
        return super().delete(*args, **kwargs)


class ProductPlot(models.Model):
    """A listing is supplied from a plot (a listing may have many plots, a plot many listings)."""

    product = models.ForeignKey(
        "catalog.Product", on_delete=models.CASCADE, related_name="plot_links"
    )
    plot = models.ForeignKey(ProductionPlot, on_delete=models.CASCADE, related_name="links")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("listing's production plot")
        verbose_name_plural = _("listings' production plots")
        constraints = [
            models.UniqueConstraint(fields=["product", "plot"], name="plots_product_plot_unique")
        ]

    def __str__(self) -> str:
        return f"{self.product_id} ← {self.plot_id}"

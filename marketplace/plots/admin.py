"""Operators read plots in the admin; they are written only through ``services`` (no deletes)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import ProductionPlot, ProductPlot


class ProductPlotInline(admin.TabularInline):
    model = ProductPlot
    extra = 0
    raw_id_fields = ("product",)


@admin.register(ProductionPlot)
class ProductionPlotAdmin(admin.ModelAdmin):
    list_display = ("name", "shop", "farmer_name", "area_ha", "created_at", "deleted_at")
    list_filter = ("deleted_at",)
    search_fields = ("name", "farmer_name", "shop__name")
    raw_id_fields = ("shop", "village")
    readonly_fields = ("created_at", "updated_at", "deleted_at")
    inlines = [ProductPlotInline]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Kept five years (EUDR Art. 12(3)); removal is the seller's soft delete.
        return False

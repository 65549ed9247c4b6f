from django.contrib import admin

from .models import VatRate


@admin.register(VatRate)
class VatRateAdmin(admin.ModelAdmin):
    """Operators keep the table current: a new rate is a new row with its start and source."""

    list_display = [
        "country",
        "tax_class",
        "rate",
        "valid_from",
        "valid_to",
        "confidence",
        "updated_at",
    ]
    list_filter = ["country", "tax_class"]
    search_fields = ["country", "source", "confidence"]
    ordering = ["country", "tax_class", "-valid_from"]
    readonly_fields = ["updated_at"]

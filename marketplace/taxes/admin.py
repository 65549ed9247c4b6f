from django.contrib import admin

from .models import ImportRule, VatRate


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


@admin.register(ImportRule)
class ImportRuleAdmin(admin.ModelAdmin):
    """The IOSS threshold, flat duty and delivery estimates: a change is a new dated row."""

    list_display = [
        "valid_from",
        "valid_to",
        "ioss_threshold",
        "duty_per_subheading",
        "carrier_fee_estimate",
        "duty_rate_estimate_above_threshold",
        "confidence",
    ]
    search_fields = ["source", "confidence"]
    ordering = ["-valid_from"]
    readonly_fields = ["updated_at"]

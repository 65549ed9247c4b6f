from django.contrib import admin

from .models import Courier, DomesticRate, InternationalRate, ShippingSettings


@admin.register(Courier)
class CourierAdmin(admin.ModelAdmin):
    """Deactivating a courier withdraws all its services at once, without deleting its rates."""

    list_display = ["name", "code", "domestic", "international", "active"]
    list_filter = ["active", "domestic", "international"]
    search_fields = ["name", "code"]


@admin.register(DomesticRate)
class DomesticRateAdmin(admin.ModelAdmin):
    """Rupiah rates by origin and destination province: first weight, then each started step."""

    list_display = [
        "courier",
        "service",
        "origin_code",
        "province_code",
        "first_weight_grams",
        "first_price",
        "step_grams",
        "step_price",
        "max_weight_grams",
        "days_min",
        "days_max",
    ]
    list_filter = ["courier", "service_code", "province_code"]
    search_fields = ["origin_code", "service", "source"]
    list_select_related = ["courier"]
    readonly_fields = ["updated_at"]


@admin.register(InternationalRate)
class InternationalRateAdmin(admin.ModelAdmin):
    """Euro rates (net of VAT) to each EU member state."""

    list_display = [
        "courier",
        "service",
        "country",
        "first_weight_grams",
        "first_price",
        "step_grams",
        "step_price",
        "max_weight_grams",
        "days_min",
        "days_max",
    ]
    list_filter = ["courier", "service_code", "country"]
    search_fields = ["service", "source"]
    list_select_related = ["courier"]
    readonly_fields = ["updated_at"]


@admin.register(ShippingSettings)
class ShippingSettingsAdmin(admin.ModelAdmin):
    """A new value is a new row with a later start, so the weights of past orders stay explained."""

    list_display = [
        "valid_from",
        "packaging_grams_per_parcel",
        "packaging_grams_per_item",
        "default_item_weight_grams",
    ]

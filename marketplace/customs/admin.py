"""Operators add dated customs-settings rows (IOSS/REX numbers, thresholds, with a source)."""

from django.contrib import admin
from django.http import HttpRequest

from .models import CustomsSettings, EuMarketBlock


@admin.register(CustomsSettings)
class CustomsSettingsAdmin(admin.ModelAdmin[CustomsSettings]):
    list_display = ("valid_from", "ioss_number", "rex_number", "peb_threshold_grams", "source")


@admin.register(EuMarketBlock)
class EuMarketBlockAdmin(admin.ModelAdmin[EuMarketBlock]):
    """Read-only here: blocks are made and lifted on the Safety Gate page (audited)."""

    list_display = ("product", "at", "by", "lifted_at")
    readonly_fields = ("product", "reason", "by", "at", "lifted_at", "lifted_by")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

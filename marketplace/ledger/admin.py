"""Operators edit commission rates and payout settings here; the ledger itself is read-only."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import CommissionRate, LedgerEntry, LedgerSettings, Payout, PayoutBatch


@admin.register(CommissionRate)
class CommissionRateAdmin(admin.ModelAdmin):
    """A change of rate is a new row with a later start, so past orders keep theirs."""

    list_display = ["category", "rate", "valid_from", "note", "updated_at"]
    list_filter = ["category"]
    ordering = ["category", "-valid_from"]
    readonly_fields = ["updated_at"]


@admin.register(LedgerSettings)
class LedgerSettingsAdmin(admin.ModelAdmin):
    list_display = ["__str__", "hold_days", "minimum_payout_idr", "minimum_payout_eur"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return not LedgerSettings.objects.exists()

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReadOnlyAdmin(admin.ModelAdmin):
    """Entries and payouts are written by ``ledger.services`` only."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "account", "kind", "shop", "order", "payout", "amount", "memo"]
    list_filter = ["account", "kind", "amount_currency"]
    list_select_related = ["shop", "order", "payout"]
    search_fields = ["memo", "reference", "order__number", "shop__name"]


@admin.register(PayoutBatch)
class PayoutBatchAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "currency", "created_by", "created_at", "exported_at"]


@admin.register(Payout)
class PayoutAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "shop", "amount", "status", "bank_label", "paid_at", "failed_at"]
    list_filter = ["status", "amount_currency"]
    list_select_related = ["shop"]

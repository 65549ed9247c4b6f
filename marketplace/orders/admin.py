"""Orders in the operator's admin: read mostly; status changes go through the services."""

from __future__ import annotations

from django.contrib import admin

from .models import Order, OrderEvent, OrderLine, Withdrawal


class OrderLineInline(admin.TabularInline):
    model = OrderLine
    extra = 0
    raw_id_fields = ["variant"]


class OrderEventInline(admin.TabularInline):
    model = OrderEvent
    extra = 0
    readonly_fields = ["kind", "from_status", "to_status", "actor", "note", "created_at"]
    fields = list(readonly_fields)
    can_delete = False


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):
    list_display = ["number", "shop", "buyer", "status", "market", "total", "placed_at"]
    list_filter = ["status", "market"]
    search_fields = ["number", "email", "tracking_number"]
    raw_id_fields = ["shop", "buyer", "payment"]
    readonly_fields = ["number", "status"]
    list_select_related = ["shop", "buyer"]
    inlines = [OrderLineInline, OrderEventInline]


@admin.register(Withdrawal)
class WithdrawalAdmin(admin.ModelAdmin):
    list_display = ["order", "amount", "status", "created_at"]
    list_filter = ["status"]
    raw_id_fields = ["order", "requested_by"]

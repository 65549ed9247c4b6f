"""Payments in the operator's admin: read mostly; confirmations and refunds go through services."""

from __future__ import annotations

from django.contrib import admin

from .models import BankTransferProof, Payment, PaymentRefund, WebhookEvent


class PaymentRefundInline(admin.TabularInline):
    model = PaymentRefund
    extra = 0
    readonly_fields = ["amount", "reference", "reason", "order", "applied_at", "created_at"]
    fields = list(readonly_fields)
    can_delete = False


@admin.register(Payment)
class PaymentAdmin(admin.ModelAdmin):
    list_display = ["pk", "method", "status", "amount", "amount_refunded", "created_at"]
    list_filter = ["method", "status"]
    search_fields = ["idempotency_key", "gateway_reference", "email"]
    raw_id_fields = ["buyer", "confirmed_by"]
    readonly_fields = ["status", "amount_refunded"]
    inlines = [PaymentRefundInline]


@admin.register(WebhookEvent)
class WebhookEventAdmin(admin.ModelAdmin):
    list_display = ["provider", "type", "event_id", "received_at", "processed_at"]
    list_filter = ["provider", "type"]
    search_fields = ["event_id"]


@admin.register(BankTransferProof)
class BankTransferProofAdmin(admin.ModelAdmin):
    list_display = ["payment", "status", "uploaded_at", "reviewed_at"]
    list_filter = ["status"]
    raw_id_fields = ["payment", "uploaded_by", "reviewed_by"]

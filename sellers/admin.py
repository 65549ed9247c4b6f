"""The Django admin for shops (``/operator/``), for looking things up.

Status changes are read-only here on purpose: approving, sending back and suspending go through the
moderation pages (``/moderasi/``), which record the reason the seller reads, write the audit entry
and emit ``shop.approved``. An admin form would do none of that.
"""

from django.contrib import admin

from .models import FacilitatorConsent, Shop, ShopBankAccount, ShopMembership


class MembershipInline(admin.TabularInline):
    model = ShopMembership
    raw_id_fields = ["user"]
    extra = 0


class BankAccountInline(admin.StackedInline):
    model = ShopBankAccount
    raw_id_fields = ["updated_by"]
    readonly_fields = ["updated_at", "updated_by"]
    extra = 0
    max_num = 1


@admin.register(Shop)
class ShopAdmin(admin.ModelAdmin):
    list_display = ["name", "village", "status", "submitted_at", "created_at"]
    list_filter = ["status"]
    search_fields = ["name", "slug", "nib", "whatsapp"]
    raw_id_fields = ["village", "village_hall"]
    readonly_fields = ["status", "status_reason", "status_changed_at", "submitted_at"]
    inlines = [MembershipInline, BankAccountInline]


@admin.register(FacilitatorConsent)
class FacilitatorConsentAdmin(admin.ModelAdmin):
    list_display = ["shop", "facilitator", "granted_at", "revoked_at"]
    raw_id_fields = ["shop", "facilitator", "granted_by"]

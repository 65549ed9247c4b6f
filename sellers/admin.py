from django.contrib import admin

from .models import FacilitatorConsent, Shop, ShopMembership


class MembershipInline(admin.TabularInline):
    model = ShopMembership
    raw_id_fields = ["user"]
    extra = 0


@admin.register(Shop)
class ShopAdmin(admin.ModelAdmin):
    list_display = ["name", "village", "status"]
    list_filter = ["status"]
    search_fields = ["name", "slug"]
    raw_id_fields = ["village", "village_hall"]
    inlines = [MembershipInline]


@admin.register(FacilitatorConsent)
class FacilitatorConsentAdmin(admin.ModelAdmin):
    list_display = ["shop", "facilitator", "granted_at", "revoked_at"]
    raw_id_fields = ["shop", "facilitator", "granted_by"]

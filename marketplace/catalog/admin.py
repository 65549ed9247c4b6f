from django.contrib import admin
from modeltranslation.admin import TranslationAdmin

from .models import Category, Product, ProductVariant, ProhibitedTerm, StockMovement


@admin.register(Category)
class CategoryAdmin(TranslationAdmin):
    list_display = ["name", "slug", "is_food", "eudr_commodity", "default_hs_heading", "tax_class"]


class VariantInline(admin.TabularInline):
    model = ProductVariant
    extra = 0
    readonly_fields = ["stock_quantity"]


@admin.register(Product)
class ProductAdmin(TranslationAdmin):
    list_display = ["title", "shop", "category", "status", "needs_review"]
    list_filter = ["status", "needs_review", "category"]
    search_fields = ["title_ind", "title_en"]
    raw_id_fields = ["shop"]
    inlines = [VariantInline]


@admin.register(StockMovement)
class StockMovementAdmin(admin.ModelAdmin):
    list_display = ["created_at", "variant", "delta", "quantity_after", "reason", "actor"]
    list_filter = ["reason"]
    raw_id_fields = ["variant", "actor"]


admin.site.register(ProhibitedTerm)

"""Operators edit the validity rules (with their source) and can look up any document."""

from django.contrib import admin

from .models import DocumentRule, ExportDocument


@admin.register(DocumentRule)
class DocumentRuleAdmin(admin.ModelAdmin[DocumentRule]):
    list_display = ("kind", "validity_months", "source")


@admin.register(ExportDocument)
class ExportDocumentAdmin(admin.ModelAdmin[ExportDocument]):
    list_display = ("kind", "number", "shop", "product", "issued_on", "valid_until", "deleted_at")
    list_filter = ("kind",)
    search_fields = ("number", "shop__name")
    raw_id_fields = ("shop", "product", "uploaded_by", "replaced_by")
    readonly_fields = ("valid_until", "warned_at", "created_at", "deleted_at")

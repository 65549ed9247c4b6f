from django.contrib import admin

from .models import EuResponsiblePerson, ExportProfile, HsCode, ReadinessResult, ReadinessRule


@admin.register(HsCode)
class HsCodeAdmin(admin.ModelAdmin):
    list_display = ("code", "level", "description")
    search_fields = ("code", "description")
    list_filter = ("level",)


@admin.register(EuResponsiblePerson)
class EuResponsiblePersonAdmin(admin.ModelAdmin):
    list_display = ("name", "email", "is_marketplace_default")


@admin.register(ReadinessRule)
class ReadinessRuleAdmin(admin.ModelAdmin):
    list_display = ("key", "value", "source", "updated_at")


@admin.register(ExportProfile)
class ExportProfileAdmin(admin.ModelAdmin):
    list_display = ("product", "updated_at")
    raw_id_fields = ("product",)


@admin.register(ReadinessResult)
class ReadinessResultAdmin(admin.ModelAdmin):
    list_display = ("product", "country", "ready", "progress", "computed_at")
    list_filter = ("country", "ready")
    raw_id_fields = ("product",)

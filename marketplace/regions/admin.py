from django.contrib import admin

from .models import Region, VillageHall


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["code", "name"]
    raw_id_fields = ["parent"]


@admin.register(VillageHall)
class VillageHallAdmin(admin.ModelAdmin):
    list_display = ["name", "village"]
    raw_id_fields = ["village"]
    filter_horizontal = ["facilitators"]

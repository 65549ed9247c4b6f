from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from .models import ProductPhoto
from .services import enqueue_derivatives
from .templatetags.photos import photo_img


@admin.register(ProductPhoto)
class ProductPhotoAdmin(admin.ModelAdmin):
    """Operators look and can re-make derivatives; uploads go through the seller's services."""

    list_display = ["__str__", "product", "position", "width", "height", "ready"]
    list_select_related = ["product"]
    raw_id_fields = ["product"]
    readonly_fields = ["preview", "width", "height", "placeholder_color", "derivatives"]
    fields = ["product", "position", "alt_text", *readonly_fields]
    actions = ["remake_derivatives"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # an upload must go through validation and normalisation

    @admin.display(boolean=True, description=_("derivatives made"))
    def ready(self, photo: ProductPhoto) -> bool:
        return photo.is_ready

    @admin.display(description=_("preview"))
    def preview(self, photo: ProductPhoto) -> str:
        return photo_img(photo, sizes="320px")

    @admin.action(description=_("Make the derivatives again"))
    def remake_derivatives(self, request: HttpRequest, queryset: QuerySet[ProductPhoto]) -> None:
        for photo in queryset:
            enqueue_derivatives(photo.pk)

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import ApiToken, User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["-date_joined"]
    list_display = ["full_name", "email", "phone", "is_trainer", "is_staff", "is_active"]
    list_filter = ["is_staff", "is_trainer", "is_active", "preferred_language"]
    search_fields = ["full_name", "email", "phone"]
    fieldsets = (
        (None, {"fields": ("email", "phone", "password")}),
        (_("Profile"), {"fields": ("full_name", "preferred_language")}),
        (_("Roles"), {"fields": ("is_active", "is_trainer", "is_staff", "is_superuser", "groups")}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("full_name", "email", "phone", "password1", "password2"),
            },
        ),
    )


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["user", "name", "created_at", "expires_at", "last_used_at"]
    raw_id_fields = ["user"]
    readonly_fields = ["key_hash"]

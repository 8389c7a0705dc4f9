from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from broadsheet.accounts.models import User
from broadsheet.core.admin import NumberedIdsAdmin


@admin.register(User)
class UserAdmin(NumberedIdsAdmin, DjangoUserAdmin):
    list_display = ["username", "display_name", "email", "is_staff"]
    prepopulated_fields = {"slug": ["username"]}
    fieldsets = [
        *DjangoUserAdmin.fieldsets,
        ("Public profile", {"fields": ["display_name", "slug", "bio", "avatar"]}),
    ]
    # The add page too has the slug that `prepopulated_fields` fills (without it, a 500).
    add_fieldsets = [
        *DjangoUserAdmin.add_fieldsets,
        ("Public profile", {"fields": ["display_name", "slug"]}),
    ]

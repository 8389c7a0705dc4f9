"""People in Django's admin. A role is changed only through `accounts.services.change_role`,
so role, `is_staff` and `is_superuser` always agree (the admin shows the two flags, read-only)."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.core.exceptions import ValidationError

from broadsheet.accounts import permissions, services
from broadsheet.accounts.models import User
from broadsheet.core.admin import NumberedIdsAdmin

_PERMISSION_FIELDS = ("is_active", "role", "is_staff", "is_superuser", "groups", "user_permissions")


class _RoleCheckedForm(UserChangeForm):
    """Refuses, as a form error, a role change the person saving may not make."""

    actor: User

    def clean_role(self) -> str:
        role = self.cleaned_data["role"]
        # The instance still holds the stored role here (the form fills it in afterwards).
        if role != self.instance.role and not permissions.can_change_role(
            self.actor, self.instance, role
        ):
            raise ValidationError("You may not give that role to that person.")
        return role


@admin.register(User)
class UserAdmin(NumberedIdsAdmin, DjangoUserAdmin):
    form = _RoleCheckedForm
    list_display = ["username", "display_name", "email", "role", "is_staff"]
    readonly_fields = ["is_staff", "is_superuser"]
    prepopulated_fields = {"slug": ["username"]}
    # Django's, but for the role beside the flags it sets (which are shown, not edited).
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        ("Personal info", {"fields": ["first_name", "last_name", "email"]}),
        ("Permissions", {"fields": _PERMISSION_FIELDS}),
        ("Important dates", {"fields": ["last_login", "date_joined"]}),
        ("Public profile", {"fields": ["display_name", "slug", "bio", "avatar"]}),
    ]
    # The add page too has the slug that `prepopulated_fields` fills (without it, a 500).
    add_fieldsets = [
        *DjangoUserAdmin.add_fieldsets,
        ("Public profile", {"fields": ["display_name", "slug"]}),
    ]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.actor = request.user
        return form

    def save_model(self, request, obj, form, change):
        role = obj.role
        if change and "role" in form.changed_data:
            obj.role = form.initial.get("role", "")
            super().save_model(request, obj, form, change)
            services.change_role(actor=request.user, target=obj, role=role)
        else:
            super().save_model(request, obj, form, change)

"""People in Django's admin. A role is changed only through `accounts.services.change_role`,
so role, `is_staff` and `is_superuser` always agree (the admin shows the two flags, read-only);
the "active" box suspends or reactivates through `suspend_user` and `reactivate_user`, so the
same people may do it as on the studio's staff page, and a suspension ends the sessions."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.core.exceptions import ValidationError

from broadsheet.accounts import permissions, services
from broadsheet.accounts.models import User
from broadsheet.core.admin import NumberedIdsAdmin

_PERMISSION_FIELDS = ("is_active", "role", "is_staff", "is_superuser", "groups", "user_permissions")


class _RoleCheckedForm(UserChangeForm):
    """Refuses, as form errors, a role change or suspension the person saving may not make."""

    actor: User

    def clean_is_active(self) -> bool:
        active = self.cleaned_data["is_active"]
        # As for the role: the instance still holds what is stored.
        if active != self.instance.is_active and not permissions.can_manage_staff_member(
            self.actor, self.instance
        ):
            raise ValidationError("You may not suspend or reactivate that person.")
        return active

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
        """The other fields as typed; then suspension and role through their actions, which
        judge the person as stored (as the form's checks did)."""
        if not change:
            super().save_model(request, obj, form, change)
            return
        active, role = obj.is_active, obj.role
        changed = {name for name in ("is_active", "role") if name in form.changed_data}
        for name in changed:
            setattr(obj, name, form.initial[name])
        super().save_model(request, obj, form, change)
        if "is_active" in changed:
            act = services.reactivate_user if active else services.suspend_user
            act(actor=request.user, target=obj)
        if "role" in changed:
            services.change_role(actor=request.user, target=obj, role=role)

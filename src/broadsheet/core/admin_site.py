"""Django's admin, for owners and administrators only (accounts.permissions decides)."""

from functools import wraps

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.core.exceptions import PermissionDenied


class BroadsheetAdminSite(admin.AdminSite):
    def has_permission(self, request) -> bool:
        from broadsheet.accounts.permissions import Action, can  # models are loaded by now

        return can(request.user, Action.USE_ADMIN)

    def admin_view(self, view, cacheable=False):
        """Signed in without the right: the site's refusal page, not the admin's login
        (which sends people to ours, which would send them back)."""
        inner = super().admin_view(view, cacheable)

        @wraps(inner)
        def guarded(request, *args, **kwargs):
            if request.user.is_authenticated and not self.has_permission(request):
                raise PermissionDenied("Django's admin is for owners and administrators.")
            return inner(request, *args, **kwargs)

        return guarded


class BroadsheetAdminConfig(AdminConfig):
    """In INSTALLED_APPS instead of django.contrib.admin: `admin.site` is the site above."""

    default_site = "broadsheet.core.admin_site.BroadsheetAdminSite"

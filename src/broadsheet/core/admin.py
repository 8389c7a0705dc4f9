from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelectMultiple

from broadsheet.core.forms import IdsField
from broadsheet.core.models import SiteSettings
from broadsheet.core.numbers import parse_number
from broadsheet.core.services import save_site_settings


class IdAutocompleteSelectMultiple(AutocompleteSelectMultiple):
    """Django's, labelling only the chosen ids that are numbers: it looks every chosen value
    up, and a form sent back with `tags=x` (or the add page's `?tags=x`) failed there."""

    def optgroups(self, name, value, attr=None):
        ids = [v for v in value if parse_number(str(v)) is not None]
        return super().optgroups(name, ids, attr)


class NumberedIdsAdmin:
    """For a ModelAdmin: many-to-many fields take only ids that are numbers (`IdsField`), and
    their autocomplete widget shows only those, so no value sent back is a server error."""

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        kwargs.setdefault("form_class", IdsField)
        if db_field.name in self.get_autocomplete_fields(request):
            kwargs.setdefault(
                "widget",
                IdAutocompleteSelectMultiple(db_field, self.admin_site, using=kwargs.get("using")),
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)


@admin.register(SiteSettings)
class SiteSettingsAdmin(admin.ModelAdmin):
    """One row: the list page goes straight to it."""

    def has_add_permission(self, request):
        return not SiteSettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        save_site_settings(obj, actor=request.user)

from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelectMultiple

from broadsheet.content import services
from broadsheet.content.models import Post, Tag
from broadsheet.core.numbers import parse_number


class IdAutocompleteSelectMultiple(AutocompleteSelectMultiple):
    """Django's, showing only the chosen ids that are numbers: it looks every chosen value
    up to label it, and a form sent back with `tags=x` (or `?tags=x` on the add page) made
    that lookup fail with a server error."""

    def optgroups(self, name, value, attr=None):
        ids = [v for v in value if parse_number(str(v)) is not None]
        return super().optgroups(name, ids, attr)


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]


@admin.register(Post)
class PostAdmin(admin.ModelAdmin):
    list_display = ["title", "author", "status", "published_at", "updated_at", "view_count"]
    list_filter = ["status", "tags", "author"]
    search_fields = ["title", "body"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["tags"]
    readonly_fields = ["updated_at", "view_count"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "author", "body", "tags"]}),
        ("Publishing", {"fields": ["status", "published_at", "updated_at", "view_count"]}),
        ("Excerpt", {"fields": ["custom_excerpt"], "classes": ["collapse"]}),
    ]

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = IdAutocompleteSelectMultiple(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_changeform_initial_data(self, request):
        return {"author": request.user.pk, **super().get_changeform_initial_data(request)}

    def save_model(self, request, obj, form, change):
        services.save_post(obj)

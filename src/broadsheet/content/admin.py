"""Django's admin for posts and tags: its writes go through `content.services`."""

from django.contrib import admin

from broadsheet.content import services
from broadsheet.content.models import Post, Tag
from broadsheet.core.admin import NumberedIdsAdmin


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]

    def save_model(self, request, obj, form, change):
        services.save_tag(actor=request.user, tag=obj)

    def delete_model(self, request, obj):
        services.delete_tag(actor=request.user, tag=obj)

    def delete_queryset(self, request, queryset):
        for tag in queryset:
            services.delete_tag(actor=request.user, tag=tag)


@admin.register(Post)
class PostAdmin(NumberedIdsAdmin, admin.ModelAdmin):
    list_display = ["title", "author", "status", "published_at", "updated_at", "view_count"]
    list_filter = ["status", "featured", "tags", "author"]
    search_fields = ["title", "body"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["tags"]
    readonly_fields = ["updated_at", "view_count"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "author", "body", "tags"]}),
        (
            "Publishing",
            {"fields": ["status", "featured", "published_at", "updated_at", "view_count"]},
        ),
        ("Excerpt", {"fields": ["custom_excerpt"], "classes": ["collapse"]}),
    ]

    def get_changeform_initial_data(self, request):
        return {"author": request.user.pk, **super().get_changeform_initial_data(request)}

    def save_model(self, request, obj, form, change):
        """The admin sets any status and date by hand (that is what it is for); the row
        is still written by `save_post`, which renders it and queues its publication."""
        services.save_post(obj)

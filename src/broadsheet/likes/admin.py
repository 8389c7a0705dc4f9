from django.contrib import admin

from broadsheet.likes.models import Like


@admin.register(Like)
class LikeAdmin(admin.ModelAdmin):
    """Read-only: counts live on the post and comment and move only through the service."""

    list_display = ["__str__", "created_at"]
    list_select_related = False
    raw_id_fields = ["post", "comment"]
    readonly_fields = ["post", "comment", "reader_key", "created_at"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

from django.contrib import admin

from broadsheet.likes.models import Like


@admin.register(Like)
class LikeAdmin(admin.ModelAdmin):
    """Read-only, deleting too: readers' likes move only through `services.toggle_like`,
    which moves the post's or comment's count with them (a row deleted here would not)."""

    list_display = ["__str__", "created_at"]
    list_select_related = False
    raw_id_fields = ["post", "comment"]
    readonly_fields = ["post", "comment", "reader_key", "created_at"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

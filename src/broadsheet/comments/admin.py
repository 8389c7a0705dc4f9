from django.contrib import admin

from broadsheet.comments.models import Comment


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ["name", "post", "created_at", "status"]
    list_filter = ["status", "created_at"]
    list_editable = ["status"]
    search_fields = ["name", "body"]
    readonly_fields = ["post", "name", "body", "created_at"]
    exclude = ["body_html"]

    def has_add_permission(self, request):
        return False

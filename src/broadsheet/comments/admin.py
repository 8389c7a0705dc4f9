"""Comments in Django's admin: a change of status or a deletion is a moderation
(`services.moderate`), so it has the studio's effects (an approved reply is told of)."""

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from broadsheet.accounts.models import User
from broadsheet.comments import services
from broadsheet.comments.models import Comment
from broadsheet.core.addresses import site_origin

_MODERATION_FOR: dict[str, str] = {status: action for action, status in services.STATUS_FOR.items()}


def _moderator(request: HttpRequest) -> User:
    """The admin's door (`core.admin_site`) lets in only signed-in administrators."""
    assert isinstance(request.user, User)
    return request.user


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin[Comment]):
    list_display = ["name", "post", "created_at", "status"]
    list_filter = ["status", "created_at"]
    list_editable = ["status"]
    search_fields = ["name", "body"]
    readonly_fields = ["post", "name", "body", "created_at"]
    exclude = ["body_html"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Comment, form, change: bool) -> None:
        """The other fields are saved as they are; the status through the moderation."""
        status = obj.status
        if "status" in form.changed_data:
            obj.status = form.initial["status"]
        super().save_model(request, obj, form, change)
        if status != obj.status:
            services.moderate(
                actor=_moderator(request),
                comment=obj,
                action=_MODERATION_FOR[status],
                origin=site_origin(request),
            )

    def delete_model(self, request: HttpRequest, obj: Comment) -> None:
        services.moderate(actor=_moderator(request), comment=obj, action=services.Moderation.DELETE)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Comment]) -> None:
        for comment in queryset:
            self.delete_model(request, comment)

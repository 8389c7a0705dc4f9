"""Comment notices go out in the background, so a reader never waits for a mail server."""

from django.tasks import task

from broadsheet.comments import notifications
from broadsheet.comments.models import Comment


@task
def notify(comment_id: int, origin: str, tell_author: bool = True) -> int:
    comment = Comment.objects.select_related("post__author", "parent").filter(pk=comment_id).first()
    if comment is None:  # deleted meanwhile
        return 0
    return notifications.send_notices(comment, origin=origin, tell_author=tell_author)

"""A reader's like of a post or a comment, known only by a keyed hash of a random cookie."""

from django.db import models
from django.utils import timezone

from broadsheet.comments.models import Comment
from broadsheet.content.models import Post


class Like(models.Model):
    """One like per browser and thing liked; no account, no address, nothing reversible.

    `reader_key` is a keyed hash of the reader's random cookie (`likes.readers`), so the
    table alone cannot say which browser liked what.
    """

    post = models.ForeignKey(
        Post, null=True, blank=True, on_delete=models.CASCADE, related_name="likes"
    )
    comment = models.ForeignKey(
        Comment, null=True, blank=True, on_delete=models.CASCADE, related_name="likes"
    )
    reader_key = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(post__isnull=False, comment__isnull=True)
                    | models.Q(post__isnull=True, comment__isnull=False)
                ),
                name="like_post_xor_comment",
            ),
            models.UniqueConstraint(fields=["post", "reader_key"], name="like_once_per_post"),
            models.UniqueConstraint(fields=["comment", "reader_key"], name="like_once_per_comment"),
        ]

    def __str__(self) -> str:
        target = f"post {self.post_id}" if self.post_id else f"comment {self.comment_id}"
        return f"like of {target}"

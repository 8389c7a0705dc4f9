from django.db import models
from django.utils import timezone

from broadsheet.content.models import Post

MAX_COMMENT_LENGTH = 5000


class CommentQuerySet(models.QuerySet):
    def approved(self) -> "CommentQuerySet":
        return self.filter(approved=True)


class Comment(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="comments")
    name = models.CharField(max_length=100)
    body = models.TextField(max_length=MAX_COMMENT_LENGTH, help_text="As the reader typed it.")
    body_html = models.TextField(editable=False, help_text="Sanitized HTML shown on the page.")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    approved = models.BooleanField(default=True, db_index=True)

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["post", "approved", "created_at"], name="comment_thread_idx")
        ]

    def __str__(self) -> str:
        return f"{self.name} on {self.post}"

    def get_absolute_url(self) -> str:
        return f"{self.post.get_absolute_url()}#comment-{self.pk}"

"""Readers' comments: threaded, moderated. Writes go through `comments.services`."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from broadsheet.content.models import Post

MAX_COMMENT_LENGTH = 5000
# Replies nest this deep; a reply to the deepest level joins that level's thread.
MAX_DEPTH = 3


class CommentQuerySet(models.QuerySet):
    def approved(self) -> "CommentQuerySet":
        return self.filter(status=Comment.Status.APPROVED)


class Comment(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Held for approval"
        APPROVED = "approved", "Approved"
        SPAM = "spam", "Spam"
        REJECTED = "rejected", "Rejected"

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="comments")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    # The top comment of the thread (None for a top comment): a page of threads is two
    # queries, the top comments and then every reply under them.
    root = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="thread_replies"
    )
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    name = models.CharField(max_length=100)
    email = models.EmailField(blank=True, help_text="Never shown; for reply notices.")
    # The commenter's own site (imported comments have one; http(s) only), linked from the name.
    author_url = models.URLField("website", blank=True, max_length=300)
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="comments",
    )
    body = models.TextField(max_length=MAX_COMMENT_LENGTH, help_text="As the reader typed it.")
    body_html = models.TextField(editable=False, help_text="Sanitized HTML shown on the page.")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    edited_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Withdrawn by its writer: the text is gone, the place in the thread stays for replies.
    withdrawn = models.BooleanField(default=False, editable=False)
    status = models.CharField(max_length=10, choices=Status, default=Status.APPROVED)
    # A keyed hash of the sender's address, for rate limits and blocks (no address is kept).
    address_hash = models.CharField(max_length=64, blank=True, editable=False, db_index=True)
    notify_replies = models.BooleanField(default=False)
    like_count = models.PositiveIntegerField(default=0, editable=False)
    spam_reason = models.CharField(max_length=200, blank=True, editable=False)

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["post", "status", "created_at"], name="comment_thread_idx"),
            models.Index(fields=["status", "-created_at"], name="comment_queue_idx"),
            models.Index(fields=["root", "status", "created_at"], name="comment_replies_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.name} on {self.post}"

    def get_absolute_url(self) -> str:
        return f"{self.post.get_absolute_url()}#comment-{self.pk}"

    @property
    def approved(self) -> bool:
        return self.status == self.Status.APPROVED


class BlockedSender(models.Model):
    """An address (by its hash) or an email whose comments go straight to spam."""

    address_hash = models.CharField(max_length=64, blank=True, db_index=True)
    email = models.EmailField(blank=True, db_index=True)
    reason = models.CharField(max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.email or f"address {self.address_hash[:10]}…"

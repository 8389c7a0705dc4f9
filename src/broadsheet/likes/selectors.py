"""What may be liked: what the public can see, and nothing else."""

from django.shortcuts import get_object_or_404

from broadsheet.comments.models import Comment, CommentQuerySet
from broadsheet.content.models import Post, PostQuerySet, published_filter


def likeable_posts() -> PostQuerySet:
    return Post.objects.published()


def likeable_comments() -> CommentQuerySet:
    """Approved comments on published posts; a held comment or a draft's is not public."""
    return Comment.objects.approved().filter(published_filter("post__"))


def get_likeable_post(pk: int) -> Post:
    return get_object_or_404(likeable_posts().only("id", "slug"), pk=pk)


def get_likeable_comment(pk: int) -> Comment:
    return get_object_or_404(
        likeable_comments().select_related("post").only("id", "post__id", "post__slug"), pk=pk
    )

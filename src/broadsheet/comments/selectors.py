from broadsheet.comments.models import Comment
from broadsheet.content.models import Post


def approved_comments(post: Post) -> list[Comment]:
    return list(Comment.objects.approved().filter(post=post))

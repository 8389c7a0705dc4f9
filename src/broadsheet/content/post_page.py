"""The post page, assembled in one place for the three views that show it.

Readers see it at the post's address, commenters when their form comes back with errors,
writers as a preview in the studio; none of those views imports another app's views.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from broadsheet.comments.forms import CommentForm
from broadsheet.comments.selectors import reply_target, thread_page
from broadsheet.content import selectors
from broadsheet.content.models import Post
from broadsheet.content.seo import blog_posting
from broadsheet.core.pagination import page_number
from broadsheet.predictions.rendering import post_body


def render_post_page(
    request: HttpRequest,
    post: Post,
    *,
    form: CommentForm | None = None,
    status: int = 200,
    preview: bool = False,
) -> HttpResponse:
    """The post page, whoever shows it: the reader's view, the comment view (a form with
    its errors) and the studio (a preview before publication)."""
    member = request.user if request.user.is_authenticated else None
    threads = thread_page(post, page_number(request.GET.get("comments")))
    context = {
        "preview": preview,
        "post": post,
        "body": post_body(post),
        "threads": threads,
        "comment_count": threads.total,
        # `?reply=<id>`: the Reply link, which works without script.
        "reply_to": reply_target(post, request.GET.get("reply", "")),
        "form": form or CommentForm(member=member),
        "recent_posts": selectors.recent_posts(excluding=post),
        "json_ld": blog_posting(post, request),
    }
    return render(request, "content/post_detail.html", context, status=status)

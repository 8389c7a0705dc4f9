from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from broadsheet.comments.forms import CommentForm
from broadsheet.comments.services import post_comment
from broadsheet.content.selectors import get_published_post
from broadsheet.content.views import render_post_page
from broadsheet.core.csrf import same_origin_required
from broadsheet.core.selectors import get_site_settings


@require_POST
@same_origin_required
def comment_create(request: HttpRequest, slug: str) -> HttpResponse:
    post = get_published_post(slug)
    if not get_site_settings().comments_open:
        messages.info(request, "Comments are closed.")
        return redirect(f"{post.get_absolute_url()}#comments")
    form = CommentForm(request.POST)
    if form.is_spam_trap_filled:
        return redirect(f"{post.get_absolute_url()}#comments")
    if not form.is_valid():
        return render_post_page(request, post, form=form, status=400)
    comment = post_comment(post=post, **form.cleaned_data_for_comment())
    if comment.approved:
        return redirect(comment.get_absolute_url())
    messages.info(request, "Thank you. Your comment will appear once a moderator approves it.")
    return redirect(f"{post.get_absolute_url()}#comments")

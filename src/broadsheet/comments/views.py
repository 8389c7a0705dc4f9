"""Posting, changing and withdrawing comments. The post page itself lives in content."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.views.decorators.http import require_http_methods, require_POST

from broadsheet.accounts import permissions
from broadsheet.comments import notifications, services, spam
from broadsheet.comments.forms import CommentForm, EditCommentForm
from broadsheet.comments.models import Comment
from broadsheet.content.post_page import render_post_page
from broadsheet.content.selectors import get_published_post
from broadsheet.core.addresses import client_address, site_origin
from broadsheet.core.csrf import same_origin_required
from broadsheet.core.ratelimit import RateLimited
from broadsheet.core.selectors import get_site_settings
from broadsheet.core.uploads import NO_FILES, files_refused, shows_refused_files


def _member(request: HttpRequest):
    return request.user if request.user.is_authenticated else None


@shows_refused_files
@require_POST
@same_origin_required
def comment_create(request: HttpRequest, slug: str) -> HttpResponse:
    post = get_published_post(slug)
    if not permissions.can_comment_on(post, get_site_settings()):
        messages.info(request, "Comments are closed.")
        return redirect(f"{post.get_absolute_url()}#comments")
    form = CommentForm(request.POST, member=_member(request))
    if files_refused(request):
        form.is_valid()
        form.add_error(None, f"{NO_FILES} What arrived of your text is kept below.")
        return render_post_page(request, post, form=form, status=413)
    if form.is_spam_trap_filled:
        return redirect(f"{post.get_absolute_url()}#comments")
    if not form.is_valid():
        return render_post_page(request, post, form=form, status=400)
    data = form.cleaned_data
    parent = Comment.objects.filter(pk=data["parent"]).first() if data.get("parent") else None
    try:
        comment = services.post_comment(
            post=post,
            name=data.get("name", ""),
            email=data.get("email", ""),
            body=data["body"],
            parent=parent,
            member=_member(request),
            notify_replies=data["notify_replies"],
            submission=spam.Submission(
                name=data.get("name", ""),
                email=data.get("email", ""),
                body=data["body"],
                address_hash=services.address_hash(client_address(request.META)),
                user_agent=request.headers.get("User-Agent", "")[:300],
                seconds_to_write=form.seconds_to_write(),
            ),
            origin=site_origin(request),
        )
    except RateLimited as error:
        form.add_error(None, f"{error} Please wait a few minutes; what you wrote is kept below.")
        return render_post_page(request, post, form=form, status=429)
    except ValidationError as error:
        form.add_error(None, error.messages)
        return render_post_page(request, post, form=form, status=400)
    if not comment.approved:
        messages.info(request, "Thank you. Your comment will appear once a moderator approves it.")
        return redirect(f"{post.get_absolute_url()}#comments")
    edit_url = reverse("comments:edit", args=[comment.pk]) + f"?key={services.edit_key(comment)}"
    messages.success(
        request,
        format_html(
            'Your comment is posted. For 15 minutes you can <a href="{}">{}</a>.',
            edit_url,
            "change or withdraw it",
        ),
    )
    return redirect(comment.get_absolute_url())


@require_http_methods(["GET", "POST"])
@same_origin_required
def comment_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The commenter's own page to change or withdraw a comment, by the key they were given."""
    comment = get_object_or_404(Comment.objects.select_related("post"), pk=pk)
    key = request.GET.get("key", "") or request.POST.get("key", "")
    services.check_edit_key(comment, key)  # 403 with the reason when it does not fit
    form = EditCommentForm(request.POST or None, initial={"body": comment.body})
    if request.method == "POST":
        if request.POST.get("action") == "withdraw":
            services.withdraw_own_comment(comment=comment, key=key)
            messages.success(request, "Your comment is withdrawn.")
            return redirect(f"{comment.post.get_absolute_url()}#comments")
        if form.is_valid():
            services.edit_own_comment(comment=comment, key=key, body=form.cleaned_data["body"])
            messages.success(request, "Your comment is changed.")
            return redirect(comment.get_absolute_url())
    context = {"comment": comment, "form": form, "key": key}
    return render(request, "comments/edit.html", context, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
@same_origin_required
def stop_notices(request: HttpRequest, token: str) -> HttpResponse:
    """From the reply notice: a button (GET), or the mail client's one-click POST."""
    invalid = {"invalid": True}
    if request.method == "POST":
        try:
            comment = services.stop_reply_notices(token=token)
        except PermissionDenied:
            return render(request, "comments/stop_notices.html", invalid, status=400)
        return render(request, "comments/stop_notices.html", {"comment": comment, "done": True})
    found = notifications.comment_from_stop_token(token)
    if found is None:
        return render(request, "comments/stop_notices.html", invalid, status=400)
    return render(request, "comments/stop_notices.html", {"comment": found})

"""The studio's post pages: the list, the editor and its actions, history and previews."""

import functools
from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.views.decorators.http import require_POST

from broadsheet.accounts import permissions
from broadsheet.accounts.http import AuthenticatedHttpRequest
from broadsheet.accounts.permissions import Action
from broadsheet.content import revisions, selectors, services
from broadsheet.content.models import Post, Revision, Tag
from broadsheet.content.post_page import render_post_page
from broadsheet.content.services import EditConflict
from broadsheet.core.numbers import parse_number
from broadsheet.core.pagination import page_number, paginate
from broadsheet.core.staff import staff_view
from broadsheet.search.query import parse
from broadsheet.search.selectors import matching_posts
from broadsheet.studio.forms import ISO_VERSION, PostFilterForm, PostForm, all_tag_names

STUDIO_PAGE_SIZE = 25
EditorAction = Callable[..., Post]  # (actor=, post=, edit=) -> the post
# The editor's buttons (`action=`): the service action each one calls, and what it says.
BUTTONS: dict[str, tuple[EditorAction, str]] = {
    "save": (services.save_changes, "Saved."),
    "submit": (services.submit_for_review, "Submitted for review. An editor will look at it."),
    "publish": (services.publish, "Published."),
    "schedule": (services.schedule, "Scheduled."),
    "unpublish": (services.unpublish, "Unpublished: the post is a draft again."),
}


def _editable_post(request: AuthenticatedHttpRequest, pk: int) -> Post:
    post = get_object_or_404(Post.objects.select_related("author", "cover_image"), pk=pk)
    if not permissions.can_view_post_in_studio(request.user, post):
        raise Http404("No such post.")
    return post


@staff_view()
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    return redirect("studio:posts")


@staff_view()
def post_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    # A post whose time has come shows as published (`Post.is_published`), worker or not.
    form = PostFilterForm(request.GET)
    filters = dict(form.cleaned_data) if form.is_valid() else {}
    words = filters.pop("q", "")
    # What this writer may see in the studio (content's rule), then what matches the words,
    # best first (the search engine's; titles and text, drafts included).
    posts = matching_posts(selectors.studio_posts(request.user, **filters), words)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "section": "posts",
        "form": form,
        "page_obj": paginate(
            posts, page_number(request.GET.get("page")), per_page=STUDIO_PAGE_SIZE
        ),
        "query": query.urlencode(),
        "searched": not parse(words).is_empty,
        "authors": selectors.studio_authors(request.user),
        "tags": Tag.objects.all(),
    }
    return render(request, "studio/post_list.html", context)


def _as_stored(post: Post) -> Post:
    """The post as it is stored. Checking a form (and the service's checks) sets what was
    typed on the instance; the page around a bound form shows the post as it is, whose
    address and status are real (an emptied slug has no address to link to)."""
    if post.pk is None:
        return Post(author=post.author)
    post.refresh_from_db()
    return post


def _render_editor(
    request: AuthenticatedHttpRequest,
    form: PostForm,
    post: Post | None,
    *,
    status: int = 200,
    preview_html: str | None = None,
    conflict: EditConflict | None = None,
) -> HttpResponse:
    autosaved = None
    if post is not None and form.is_bound:
        post = _as_stored(post)
    if post is not None and post.pk and not form.is_bound:
        autosaved = selectors.newer_autosave(post)
    context = {
        "section": "posts",
        "form": form,
        "post": post,
        "preview_html": preview_html,
        "conflict": conflict,
        "autosaved": autosaved,
        "tag_names": all_tag_names(),
        "can_publish": permissions.can_publish_post(
            request.user, post or Post(author=request.user)
        ),
    }
    return render(request, "studio/post_edit.html", context, status=status)


def _save(request: AuthenticatedHttpRequest, post: Post) -> HttpResponse:
    form = PostForm(request.POST, instance=post)
    button = request.POST.get("action", "save")
    if button == "preview":
        if form.is_valid():
            preview_html = services.render_body(form.cleaned_data["body"])
            return _render_editor(request, form, post, preview_html=preview_html)
        return _render_editor(request, form, post, status=400)
    if not form.is_valid():
        return _render_editor(request, form, post, status=400)
    if button not in BUTTONS:
        form.add_error(None, f"Unknown action: {button}")
        return _render_editor(request, form, post, status=400)
    action, done = BUTTONS[button]
    if action is services.schedule:
        action = functools.partial(action, publish_at=form.cleaned_data.get("publish_at"))
    try:
        action(actor=request.user, post=post, edit=form.to_edit())
    except EditConflict as conflict:
        data = request.POST.copy()
        data["version"] = conflict.post.modified_at.strftime(ISO_VERSION)
        fresh = PostForm(data, instance=conflict.post)
        fresh.is_valid()
        return _render_editor(request, fresh, conflict.post, status=409, conflict=conflict)
    except ValidationError as error:
        form.add_service_errors(error)
        return _render_editor(request, form, post, status=400)
    messages.success(request, done)
    return redirect("studio:post_edit", pk=post.pk)


@staff_view(Action.CREATE_POST)
def post_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    if request.method == "POST":
        return _save(request, Post(author=request.user))
    return _render_editor(request, PostForm(), None)


@staff_view()
def post_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    post = _editable_post(request, pk)
    if request.method == "POST":
        if not permissions.can_edit_post(request.user, post):
            raise PermissionDenied("You cannot edit this post.")
        return _save(request, post)
    form = PostForm(instance=post)
    if revision_id := request.GET.get("revision", ""):
        if (number := parse_number(revision_id)) is None:
            raise Http404("No such revision.")
        revision = get_object_or_404(post.revisions, pk=number)
        form = PostForm(instance=post, initial=selectors.form_initial_from(revision))
    return _render_editor(request, form, post)


@require_POST
@staff_view()
def post_autosave(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Called by the editor's script while the writer types, and when the tab closes."""
    post = _editable_post(request, pk) if pk else Post(author=request.user)
    form = PostForm(request.POST, instance=post)
    if not form.is_valid():
        return JsonResponse({"error": "Not saved: " + " ".join(_messages(form))}, status=400)
    try:
        post = services.autosave(
            actor=request.user,
            post=post,
            fields={name: form.cleaned_data[name] for name in PostForm.Meta.fields},
            tag_names=form.tag_names(),
        )
    except PermissionDenied as error:
        return JsonResponse({"error": str(error)}, status=403)
    return JsonResponse(
        {
            "id": post.pk,
            "edit_url": reverse("studio:post_edit", args=[post.pk]),
            "autosave_url": reverse("studio:post_autosave", args=[post.pk]),
            "version": post.modified_at.strftime(ISO_VERSION),
            "saved_at": post.modified_at.isoformat(),
            "live": post.is_published or post.is_scheduled,
        }
    )


def _messages(form: PostForm) -> list[str]:
    return [str(message) for errors in form.errors.values() for message in errors]


@require_POST
@staff_view()
def markdown_preview(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The live preview: the same renderer as the public page, on text not yet saved."""
    body = request.POST.get("body", "")[:200_000]
    return HttpResponse(services.render_body(body), content_type="text/html; charset=utf-8")


@staff_view()
def post_preview(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The post as readers will see it, drafts included, for those who may see it here."""
    post = _editable_post(request, pk)
    response = render_post_page(request, post, preview=True)
    response["X-Robots-Tag"] = "noindex"
    return response


@require_POST
@staff_view()
def post_trash(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    post = _editable_post(request, pk)
    services.trash_post(actor=request.user, post=post)
    messages.success(request, f"“{post.title}” is in the trash. You can restore it from there.")
    return redirect(f"{reverse('studio:posts')}?status=trash")


@require_POST
@staff_view()
def post_restore(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    post = _editable_post(request, pk)
    services.restore_from_trash(actor=request.user, post=post)
    messages.success(request, f"“{post.title}” is back, as it was.")
    return redirect("studio:post_edit", pk=post.pk)


@staff_view()
def post_history(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    post = _editable_post(request, pk)
    history = list(post.revisions.select_related("author"))
    return render(
        request,
        "studio/post_history.html",
        {"section": "posts", "post": post, "revisions": history},
    )


@staff_view()
def revision_detail(request: AuthenticatedHttpRequest, pk: int, revision: int) -> HttpResponse:
    """One revision against another (`?against=ID`), or against the post as it is now."""
    post = _editable_post(request, pk)
    chosen = get_object_or_404(post.revisions.select_related("author"), pk=revision)
    against_id = parse_number(request.GET.get("against"))
    against = (
        get_object_or_404(post.revisions.select_related("author"), pk=against_id)
        if against_id is not None
        else None
    )
    older, newer = (chosen, None)
    if against is not None:
        older, newer = sorted([chosen, against], key=lambda r: (r.created_at, r.pk))
    changes = revisions.diff(older.data, newer.data if newer else revisions.snapshot(post))
    context = {
        "section": "posts",
        "post": post,
        "older": older,
        "newer": newer,
        "changes": changes,
        "can_restore": permissions.can_edit_post(request.user, post)
        and (not post.is_published or permissions.can_publish_post(request.user, post)),
    }
    return render(request, "studio/revision_detail.html", context)


@require_POST
@staff_view()
def revision_restore(request: AuthenticatedHttpRequest, pk: int, revision: int) -> HttpResponse:
    post = _editable_post(request, pk)
    chosen = get_object_or_404(Revision, pk=revision, post=post)
    services.restore_revision(actor=request.user, revision=chosen)
    when = date_format(timezone.localtime(chosen.created_at), "DATETIME_FORMAT")
    messages.success(request, f"Restored the version of {when}; the restore is a new revision.")
    return redirect("studio:post_edit", pk=post.pk)

"""The Admin API: posts, pages and tags read and written, images uploaded, as the
integration's own account (its role's rights) through the studio's actions.

Deleting a post moves it to the trash, where a writer can restore it: one API call never
destroys writing. An edit must carry the `updated_at` it started from; a stale one is a
409 and, as in the studio, the version sent is kept as a revision.
"""

import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse

from broadsheet.accounts import permissions
from broadsheet.accounts.models import Role, User
from broadsheet.api import selectors, serializers, writes
from broadsheet.api.answers import answer, counted_options, post_options
from broadsheet.api.errors import Invalid, NotFound, TooLarge, UpdateCollision
from broadsheet.api.http import json_response
from broadsheet.api.params import Options
from broadsheet.content import services
from broadsheet.content.models import Page, Post, Tag
from broadsheet.core.addresses import site_origin
from broadsheet.core.selectors import get_site_settings
from broadsheet.core.uploads import takes_files
from broadsheet.integrations.models import Integration
from broadsheet.media import services as media
from broadsheet.media.uploads import was_too_large
from broadsheet.newsletter.services import start_send


def _options(request: HttpRequest, orders: dict[str, str]) -> Options:
    return post_options(request, orders, admin=True)


def browse_posts(request: HttpRequest, integration: Integration) -> HttpResponse:
    options = _options(request, selectors.POST_ORDERS)
    found = selectors.posts(options, public=False)
    return answer(request, "posts", found, options, many=True, admin=True)


def read_post(
    request: HttpRequest,
    integration: Integration,
    id: str | None = None,
    slug: str | None = None,
) -> HttpResponse:
    options = _options(request, selectors.POST_ORDERS)
    found = selectors.post(selectors.lookup_by(id=id, slug=slug), options, public=False)
    return answer(request, "posts", found, options, admin=True)


def _answer_post(request: HttpRequest, post: Post, *, status: int = 200) -> HttpResponse:
    options = _options(request, selectors.POST_ORDERS)
    found = selectors.post({"pk": post.pk}, options, public=False)
    return answer(request, "posts", found, options, admin=True, status=status)


def default_author(integration: Integration) -> User | None:
    """Whose name a post goes out under when the client names nobody: the owner's, as
    in Ghost, else whoever made the integration. A role that may not write in another's
    name (contributor, author) writes in its own: None, the service's default."""
    if not permissions.can(integration.user, permissions.Action.WRITE_FOR_OTHERS):
        return None
    return (
        User.objects.filter(role=Role.OWNER, is_active=True).first()
        or integration.created_by
        or integration.user
    )


def add_post(request: HttpRequest, integration: Integration) -> HttpResponse:
    data = writes.sent_object(request, "posts")
    edit = writes.post_edit(data, source=request.GET.get("source", ""))
    edit.fields.setdefault("title", "")
    edit.author = writes.author(data) or default_author(integration)
    post = _act(request, integration, Post(), edit, data)
    return _answer_post(request, post, status=201)


def edit_post(request: HttpRequest, integration: Integration, id: str) -> HttpResponse:
    data = writes.sent_object(request, "posts")
    post = _stored_post(id)
    edit = writes.post_edit(data, source=request.GET.get("source", ""))
    edit.author = writes.author(data)
    edit.based_on = _based_on(data, post.modified_at)
    try:
        post = _act(request, integration, post, edit, data)
    except services.EditConflict as conflict:
        raise UpdateCollision(
            "Saving failed: someone else changed this post since updated_at "
            f"{serializers.timestamp(conflict.post.modified_at)}. What you sent is kept "
            "in its history.",
            context="updated_at",
        ) from conflict
    return _answer_post(request, post)


def _stored_post(id: str) -> Post:
    post = Post.objects.filter(trashed_at__isnull=True, **selectors.lookup_by(id=id)).first()
    if post is None:
        raise NotFound("Post not found.")
    return post


def _based_on(data: dict, current: datetime.datetime) -> datetime.datetime:
    """The version the client's edit starts from. Ghost's dates stop at milliseconds, so
    the one it read matches the stored one to the millisecond."""
    sent = writes.moment(data, "updated_at")
    if sent is None:
        raise Invalid("Send the updated_at the edit starts from.", context="updated_at")
    same = abs(sent - current) < datetime.timedelta(milliseconds=1) and (
        serializers.timestamp(sent) == serializers.timestamp(current)
    )
    return current if same else sent


def _act(
    request: HttpRequest, integration: Integration, post: Post, edit: services.Edit, data: dict
) -> Post:
    """The studio's action that does what the client asked of the post's status."""
    actor = integration.user
    wanted = writes.status(data)
    current = serializers.ghost_status(post) if post.pk else "draft"
    newsletter = request.GET.get("newsletter") or request.GET.get("email_segment")
    if newsletter and not permissions.can(actor, permissions.Action.SEND_NEWSLETTER):
        raise PermissionDenied("This integration's role cannot send the newsletter.")
    conflict = None
    with transaction.atomic():
        try:
            if wanted == "published" and current != "published":
                post = services.publish(actor=actor, post=post, edit=edit)
            elif wanted == "scheduled":
                publish_at = writes.moment(data, "published_at") or post.published_at
                post = services.schedule(actor=actor, post=post, publish_at=publish_at, edit=edit)
            elif wanted == "draft" and current != "draft":
                post = services.unpublish(actor=actor, post=post, edit=edit)
            else:
                post = services.save_changes(actor=actor, post=post, edit=edit)
        except services.EditConflict as error:
            # Raised out of this block it would roll back the version the service kept.
            conflict = error
        else:
            if newsletter and post.is_published:
                start_send(actor=actor, post=post, origin=site_origin(request))
    if conflict is not None:
        raise conflict
    return post


def delete_post(request: HttpRequest, integration: Integration, id: str) -> HttpResponse:
    services.trash_post(actor=integration.user, post=_stored_post(id))
    return HttpResponse(status=204)


def browse_pages(request: HttpRequest, integration: Integration) -> HttpResponse:
    options = _options(request, selectors.PAGE_ORDERS)
    found = selectors.pages(options, public=False)
    return answer(request, "pages", found, options, many=True, admin=True)


def read_page(
    request: HttpRequest,
    integration: Integration,
    id: str | None = None,
    slug: str | None = None,
) -> HttpResponse:
    options = _options(request, selectors.PAGE_ORDERS)
    found = selectors.page(selectors.lookup_by(id=id, slug=slug), public=False)
    return answer(request, "pages", found, options, admin=True)


def _stored_page(id: str) -> Page:
    return selectors.page(selectors.lookup_by(id=id), public=False).rows[0]


def _save_page(request: HttpRequest, integration: Integration, page: Page, *, status: int):
    data = writes.sent_object(request, "pages")
    based_on = _based_on(data, page.modified_at) if page.pk is not None else None
    page = writes.page_fields(data, page, source=request.GET.get("source", ""))
    page.full_clean(exclude=["slug"] if not page.slug else None)
    try:
        page = services.save_page(actor=integration.user, page=page, based_on=based_on)
    except services.StalePage as stale:
        raise UpdateCollision(
            "Saving failed: someone else changed this page.", context="updated_at"
        ) from stale
    options = _options(request, selectors.PAGE_ORDERS)
    return answer(request, "pages", selectors.Found([page], 1), options, admin=True, status=status)


def add_page(request: HttpRequest, integration: Integration) -> HttpResponse:
    return _save_page(request, integration, Page(), status=201)


def edit_page(request: HttpRequest, integration: Integration, id: str) -> HttpResponse:
    return _save_page(request, integration, _stored_page(id), status=200)


def delete_page(request: HttpRequest, integration: Integration, id: str) -> HttpResponse:
    services.delete_page(actor=integration.user, page=_stored_page(id))
    return HttpResponse(status=204)


def browse_tags(request: HttpRequest, integration: Integration) -> HttpResponse:
    options = counted_options(request, selectors.TAG_ORDERS)
    return answer(request, "tags", selectors.tags(options), options, many=True)


def read_tag(
    request: HttpRequest,
    integration: Integration,
    id: str | None = None,
    slug: str | None = None,
) -> HttpResponse:
    options = counted_options(request, selectors.TAG_ORDERS)
    found = selectors.tag(selectors.lookup_by(id=id, slug=slug), options)
    return answer(request, "tags", found, options)


def _save_tag(request: HttpRequest, integration: Integration, tag: Tag, *, status: int):
    tag = writes.tag_fields(writes.sent_object(request, "tags"), tag)
    tag.full_clean(exclude=["slug"] if not tag.slug else None)
    tag = services.save_tag(actor=integration.user, tag=tag)
    options = counted_options(request, selectors.TAG_ORDERS)
    return answer(request, "tags", selectors.Found([tag], 1), options, status=status)


def _stored_tag(id: str) -> Tag:
    return selectors.tag(selectors.lookup_by(id=id), Options()).rows[0]


def add_tag(request: HttpRequest, integration: Integration) -> HttpResponse:
    return _save_tag(request, integration, Tag(), status=201)


def edit_tag(request: HttpRequest, integration: Integration, id: str) -> HttpResponse:
    return _save_tag(request, integration, _stored_tag(id), status=200)


def delete_tag(request: HttpRequest, integration: Integration, id: str) -> HttpResponse:
    services.delete_tag(actor=integration.user, tag=_stored_tag(id))
    return HttpResponse(status=204)


@takes_files
def upload_image(request: HttpRequest, integration: Integration) -> HttpResponse:
    """`images/upload/`: a multipart `file` (and Ghost's optional `ref`), through the
    media library's checks; the answer is the image's address."""
    file = request.FILES.get("file")  # reads the form: only then is a too large file marked
    if was_too_large(request):
        raise TooLarge(media.too_large_message())
    if file is None:
        raise Invalid("Send the image as a multipart form field named file.", context="file")
    image = media.upload_image(file=file, alt="", uploaded_by=integration.user)
    ref = request.POST.get("ref") or None
    return json_response(
        {"images": [{"url": site_origin(request) + image.url, "ref": ref}]}, status=201
    )


def read_site(request: HttpRequest, integration: Integration) -> HttpResponse:
    site = serializers.site_object(get_site_settings(), origin=site_origin(request))
    return json_response({"site": site})

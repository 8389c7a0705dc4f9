"""The like buttons' POST views: forms on cached public pages, so same-origin, not tokens."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from broadsheet.analytics.services import is_crawler
from broadsheet.core.addresses import client_address
from broadsheet.core.csrf import same_origin_required
from broadsheet.core.ratelimit import RateLimited
from broadsheet.likes.readers import new_reader_id, reader_id_from, set_reader_cookie
from broadsheet.likes.selectors import get_likeable_comment, get_likeable_post
from broadsheet.likes.services import toggle_like


@require_POST
@same_origin_required
def like_post(request: HttpRequest, pk: int) -> HttpResponse:
    post = get_likeable_post(pk)
    return _toggle(request, f"{post.get_absolute_url()}#likes", post=post)


@require_POST
@same_origin_required
def like_comment(request: HttpRequest, pk: int) -> HttpResponse:
    comment = get_likeable_comment(pk)
    return _toggle(request, comment.get_absolute_url(), comment=comment)


def _toggle(request: HttpRequest, back_to: str, **target) -> HttpResponse:
    """Refusals are quiet redirects: a robot learns nothing, a person is told why."""
    if is_crawler(request.headers.get("User-Agent", "")):
        return redirect(back_to)
    known_id = reader_id_from(request)
    reader_id = known_id or new_reader_id()
    address = client_address(request.META)
    try:
        liked_now, _count = toggle_like(reader_id=reader_id, address=address, **target)
    except RateLimited as error:
        messages.info(request, str(error))
        return redirect(back_to)
    messages.success(request, "You liked this." if liked_now else "Like taken back.")
    response = redirect(back_to)
    if known_id is None:
        set_reader_cookie(request, response, reader_id)
    return response

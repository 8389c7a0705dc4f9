"""The studio's newsletter page: who subscribes, and sending a post to them."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from broadsheet.accounts.http import AuthenticatedHttpRequest
from broadsheet.accounts.permissions import Action
from broadsheet.content.models import Post
from broadsheet.core.addresses import site_origin
from broadsheet.core.staff import staff_view
from broadsheet.newsletter import selectors, services
from broadsheet.newsletter.models import Send


@staff_view(Action.SEND_NEWSLETTER)
def overview(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Counts by status, and the recent posts with a send button or their send's progress."""
    context = {
        "section": "newsletter",
        "counts": selectors.subscriber_counts(),
        "rows": selectors.recent_posts_with_sends(),
    }
    return render(request, "newsletter/studio.html", context)


@staff_view(Action.SEND_NEWSLETTER)
@require_http_methods(["GET", "POST"])
def send_post(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """GET asks for confirmation (naming how many people); POST starts the send."""
    post = get_object_or_404(Post.objects.published(), pk=pk)
    active = selectors.subscriber_counts()["active"]
    existing = Send.objects.filter(post=post).first()
    context = {"section": "newsletter", "post": post, "active": active, "existing": existing}
    if request.method != "POST":
        return render(request, "newsletter/studio_send.html", context)
    try:
        send = services.start_send(actor=request.user, post=post, origin=site_origin(request))
    except ValidationError as error:
        context["error"] = " ".join(error.messages)
        return render(request, "newsletter/studio_send.html", context, status=400)
    messages.success(request, f"“{post.title}” is being sent to {send.total} subscribers.")
    return redirect("newsletter_studio:overview")


@staff_view(Action.SEND_NEWSLETTER)
@require_POST
def resume(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Queue a stalled send again (its worker died); nobody gets a post twice."""
    send = get_object_or_404(Send, pk=pk)
    if services.resume_send(actor=request.user, send=send):
        messages.success(request, f"Sending “{send.post.title}” resumes.")
    else:
        messages.info(request, f"“{send.post.title}” has nothing left to send.")
    return redirect("newsletter_studio:overview")

"""The moderation queue: editors and above approve, reject, mark spam, delete, block."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from broadsheet.accounts.http import AuthenticatedHttpRequest
from broadsheet.accounts.permissions import Action
from broadsheet.comments import selectors, services
from broadsheet.comments.models import Comment
from broadsheet.core.addresses import site_origin
from broadsheet.core.pagination import page_number, paginate
from broadsheet.core.staff import staff_view

QUEUE_PAGE_SIZE = 30
TABS = [
    (Comment.Status.PENDING, "Held"),
    (Comment.Status.SPAM, "Spam"),
    (Comment.Status.APPROVED, "Approved"),
    (Comment.Status.REJECTED, "Rejected"),
]


@staff_view(Action.MODERATE_COMMENTS)
def comment_queue(request: AuthenticatedHttpRequest) -> HttpResponse:
    status = request.GET.get("status", Comment.Status.PENDING)
    if status not in Comment.Status.values:
        status = Comment.Status.PENDING
    context = {
        "section": "comments",
        "status": status,
        "tabs": TABS,
        "page_obj": paginate(
            selectors.moderation_queue(status),
            page_number(request.GET.get("page")),
            per_page=QUEUE_PAGE_SIZE,
        ),
    }
    return render(request, "studio/comment_queue.html", context)


@require_POST
@staff_view(Action.MODERATE_COMMENTS)
def comment_moderate(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    comment = get_object_or_404(Comment.objects.select_related("post"), pk=pk)
    back = request.POST.get("status", Comment.Status.PENDING)
    action = request.POST.get("action", "")
    try:
        outcome = services.moderate(
            actor=request.user, comment=comment, action=action, origin=site_origin(request)
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, outcome)
    status = back if back in Comment.Status.values else Comment.Status.PENDING
    return redirect(f"{reverse('studio:comments')}?status={status}")

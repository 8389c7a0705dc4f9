"""Tags in the studio: editors and above rename, describe, merge by hand and delete them."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from broadsheet.accounts.http import AuthenticatedHttpRequest
from broadsheet.accounts.permissions import Action
from broadsheet.content import selectors, services
from broadsheet.content.models import Tag
from broadsheet.core.staff import staff_view
from broadsheet.studio.forms import TagForm


@staff_view(Action.MANAGE_TAGS)
def tag_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    context = {"section": "tags", "tags": selectors.tags_with_post_counts()}
    return render(request, "studio/tag_list.html", context)


@staff_view(Action.MANAGE_TAGS)
def tag_edit(request: AuthenticatedHttpRequest, pk: int | None = None) -> HttpResponse:
    tag = get_object_or_404(Tag, pk=pk) if pk else Tag()
    form = TagForm(request.POST or None, instance=tag)
    if request.method == "POST" and form.is_valid():
        services.save_tag(actor=request.user, tag=form.save(commit=False))
        messages.success(request, f"Tag “{tag.name}” saved.")
        return redirect("studio:tags")
    if form.is_bound and tag.pk:  # checking the form set what was typed on it
        tag.refresh_from_db()  # the page is about the tag as it is
    context = {"section": "tags", "form": form, "tag": tag}
    return render(request, "studio/tag_edit.html", context, status=400 if form.errors else 200)


@require_POST
@staff_view(Action.MANAGE_TAGS)
def tag_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    tag = get_object_or_404(Tag, pk=pk)
    services.delete_tag(actor=request.user, tag=tag)
    messages.success(request, f"Tag “{tag.name}” deleted; its posts keep their other tags.")
    return redirect("studio:tags")

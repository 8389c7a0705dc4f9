"""Standalone pages (About, Contact) in the studio: editors and above."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from broadsheet.accounts.http import AuthenticatedHttpRequest
from broadsheet.accounts.permissions import Action
from broadsheet.content import services
from broadsheet.content.models import Page
from broadsheet.core.staff import staff_view
from broadsheet.studio.forms import PageForm


@staff_view(Action.MANAGE_PAGES)
def page_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(
        request, "studio/page_list.html", {"section": "pages", "pages": Page.objects.all()}
    )


@staff_view(Action.MANAGE_PAGES)
def page_edit(request: AuthenticatedHttpRequest, pk: int | None = None) -> HttpResponse:
    page = get_object_or_404(Page, pk=pk) if pk else Page()
    form = PageForm(request.POST or None, instance=page)
    if request.method == "POST" and form.is_valid():
        services.save_page(actor=request.user, page=form.save(commit=False))
        messages.success(request, "Page saved.")
        return redirect("studio:page_edit", pk=page.pk)
    if form.is_bound and page.pk:  # checking the form set what was typed on it
        page.refresh_from_db()  # the links around the form need its real address
    context = {"section": "pages", "form": form, "page": page}
    return render(request, "studio/page_edit.html", context, status=400 if form.errors else 200)

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from broadsheet.accounts.permissions import Action
from broadsheet.studio.decorators import studio_view


@studio_view(Action.MANAGE_PAGES)
def page_list(request: HttpRequest) -> HttpResponse:
    return render(request, "studio/base.html", {"section": "pages"})


@studio_view(Action.MANAGE_PAGES)
def page_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    return render(request, "studio/base.html", {"section": "pages"})

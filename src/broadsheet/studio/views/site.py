from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from broadsheet.accounts.permissions import Action
from broadsheet.studio.decorators import studio_view


@studio_view(Action.MANAGE_SETTINGS)
def settings_edit(request: HttpRequest) -> HttpResponse:
    return render(request, "studio/base.html", {"section": "settings"})

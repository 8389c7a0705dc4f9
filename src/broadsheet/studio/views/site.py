"""Site settings in the studio: owners and administrators."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render

from broadsheet.accounts.http import AuthenticatedHttpRequest
from broadsheet.accounts.permissions import Action
from broadsheet.core.selectors import editable_site_settings
from broadsheet.core.services import save_site_settings
from broadsheet.core.staff import staff_view
from broadsheet.studio.forms import SiteSettingsForm


@staff_view(Action.MANAGE_SETTINGS)
def settings_edit(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = SiteSettingsForm(request.POST or None, instance=editable_site_settings())
    if request.method == "POST" and form.is_valid():
        save_site_settings(form.save(commit=False), actor=request.user)
        messages.success(request, "Settings saved.")
        return redirect("studio:settings")
    context = {"section": "settings", "form": form}
    return render(request, "studio/settings.html", context, status=400 if form.errors else 200)

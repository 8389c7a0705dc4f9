"""The studio's integration pages (owners and administrators): the list, a new
integration's keys (shown once), an integration's webhooks and its delivery log."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from broadsheet.accounts.http import AuthenticatedHttpRequest
from broadsheet.accounts.permissions import Action
from broadsheet.core.addresses import site_origin
from broadsheet.core.staff import staff_view
from broadsheet.integrations import selectors, services
from broadsheet.integrations.forms import IntegrationForm, WebhookForm
from broadsheet.integrations.models import Integration, Webhook

_ISSUED = "integrations:issued"  # the session key that holds new keys until they are shown


@staff_view(Action.MANAGE_INTEGRATIONS)
@require_http_methods(["GET", "POST"])
def integration_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Every integration, and the form for a new one; made, its keys are shown once."""
    if request.method != "POST":
        return _list_page(request, IntegrationForm())
    form = IntegrationForm(request.POST)
    if not form.is_valid():
        return _list_page(request, form, status=400)
    try:
        integration, keys = services.create_integration(
            actor=request.user, name=form.cleaned_data["name"], role=form.cleaned_data["role"]
        )
    except ValidationError as error:
        form.add_error(None, error)
        return _list_page(request, form, status=400)
    # Kept only until the page that shows them is loaded (a redirect, so a reload does not
    # make a second integration), then gone from the session.
    request.session[_ISSUED] = {
        "pk": integration.pk,
        "content_key": keys.content_key,
        "admin_key": keys.admin_key,
    }
    return redirect("integrations:keys", integration.pk)


def _list_page(
    request: AuthenticatedHttpRequest, form: IntegrationForm, status: int = 200
) -> HttpResponse:
    context = {"section": "integrations", "form": form, "integrations": selectors.integrations()}
    return render(request, "integrations/list.html", context, status=status)


@staff_view(Action.MANAGE_INTEGRATIONS)
@require_safe
@never_cache
def keys(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The new keys, once: the session forgets them as this page is made."""
    integration = get_object_or_404(Integration, pk=pk)
    issued = request.session.get(_ISSUED)
    shown = issued if issued and issued.get("pk") == integration.pk else None
    if shown is not None:
        del request.session[_ISSUED]
    context = {
        "section": "integrations",
        "integration": integration,
        "issued": shown,
        "urls": selectors.api_urls(site_origin(request)),
    }
    return render(request, "integrations/keys.html", context)


@staff_view(Action.MANAGE_INTEGRATIONS)
@require_safe
def detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    integration = get_object_or_404(Integration, pk=pk)
    return _detail_page(request, integration, WebhookForm())


def _detail_page(
    request: AuthenticatedHttpRequest,
    integration: Integration,
    form: WebhookForm,
    status: int = 200,
) -> HttpResponse:
    context = {
        "section": "integrations",
        "integration": integration,
        "webhooks": list(integration.webhooks.all()),
        "deliveries": selectors.recent_deliveries(integration),
        "form": form,
        "urls": selectors.api_urls(site_origin(request)),
    }
    return render(request, "integrations/detail.html", context, status=status)


@staff_view(Action.MANAGE_INTEGRATIONS)
@require_POST
def revoke(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    integration = get_object_or_404(Integration, pk=pk)
    services.revoke_integration(actor=request.user, integration=integration)
    messages.success(request, f"{integration.name} is revoked: its keys no longer work.")
    return redirect("integrations:detail", integration.pk)


@staff_view(Action.MANAGE_INTEGRATIONS)
@require_POST
def add_webhook(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    integration = get_object_or_404(Integration, pk=pk)
    form = WebhookForm(request.POST)
    if not form.is_valid():
        return _detail_page(request, integration, form, status=400)
    try:
        services.add_webhook(actor=request.user, integration=integration, **form.cleaned_data)
    except ValidationError as error:
        form.add_error(None, error)
        return _detail_page(request, integration, form, status=400)
    messages.success(request, "Webhook added.")
    return redirect("integrations:detail", integration.pk)


@staff_view(Action.MANAGE_INTEGRATIONS)
@require_POST
def delete_webhook(request: AuthenticatedHttpRequest, pk: int, webhook_pk: int) -> HttpResponse:
    webhook = get_object_or_404(Webhook, pk=webhook_pk, integration_id=pk)
    services.delete_webhook(actor=request.user, webhook=webhook)
    messages.success(request, "Webhook deleted.")
    return redirect("integrations:detail", pk)

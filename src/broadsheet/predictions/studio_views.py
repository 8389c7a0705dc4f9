"""The studio's Predictions pages: the writer's own (everyone's, for editors and up),
those whose date has passed first, and resolving or correcting one."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from broadsheet.accounts import permissions
from broadsheet.accounts.http import AuthenticatedHttpRequest
from broadsheet.accounts.permissions import Action
from broadsheet.core.pagination import page_number
from broadsheet.core.staff import staff_view
from broadsheet.predictions import selectors, services
from broadsheet.predictions.forms import ResolveForm
from broadsheet.predictions.models import Outcome, Prediction
from broadsheet.predictions.rendering import card_of


@staff_view(Action.RESOLVE_PREDICTIONS)
def prediction_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    context = {
        "section": "predictions",
        "lists": selectors.studio_predictions(
            request.user,
            page=page_number(request.GET.get("page")),
            today=selectors.site_today(),
        ),
    }
    return render(request, "predictions/studio_list.html", context)


@staff_view(Action.RESOLVE_PREDICTIONS)
@require_http_methods(["GET", "POST"])
def resolve(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """GET shows the prediction and the form (with its resolution, to correct it); POST
    resolves."""
    prediction = get_object_or_404(
        Prediction.objects.select_related("post", "author").prefetch_related("changes"), pk=pk
    )
    if not permissions.can_resolve_prediction(request.user, prediction):
        raise PermissionDenied("Only its author or an editor can resolve this prediction.")
    if request.method != "POST":
        initial = {
            "outcome": prediction.outcome,
            "note": prediction.resolution_note,
            "source": prediction.resolution_source,
        }
        return _resolve_page(request, prediction, ResolveForm(initial=initial))
    form = ResolveForm(request.POST)
    if not form.is_valid():
        return _resolve_page(request, prediction, form, status=400)
    try:
        services.resolve(actor=request.user, prediction=prediction, **form.cleaned_data)
    except ValidationError as error:
        form.add_error(None, error.messages)
        return _resolve_page(request, prediction, form, status=400)
    outcome = Outcome(form.cleaned_data["outcome"]).label
    verb = "Corrected" if prediction.is_resolved else "Resolved"
    messages.success(request, f"{verb}: “{prediction.statement}” {outcome}.")
    return redirect("predictions_studio:list")


def _resolve_page(
    request: AuthenticatedHttpRequest, prediction: Prediction, form: ResolveForm, status: int = 200
) -> HttpResponse:
    context = {
        "section": "predictions",
        "prediction": prediction,
        "card": card_of(prediction, today=selectors.site_today()),
        "form": form,
        "correcting": prediction.is_resolved,
    }
    return render(request, "predictions/studio_resolve.html", context, status=status)

"""The newsletter's public pages: subscribe, confirm, unsubscribe. Rules are in `services`."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from broadsheet.accounts.http import AuthenticatedHttpRequest
from broadsheet.core.addresses import client_address, site_origin
from broadsheet.core.csrf import same_origin_required
from broadsheet.core.mailforms import send_from_form
from broadsheet.fastpath.decorators import reader_page
from broadsheet.newsletter import services
from broadsheet.newsletter.forms import SubscribeForm

CHECK_EMAIL = (
    "Thank you. Unless this address is already subscribed, an email with a confirmation "
    "link is on its way: posts start once you confirm."
)


@reader_page
@require_http_methods(["GET", "HEAD"])
def home(request: HttpRequest) -> HttpResponse:
    """The subscribe form on a page of its own (the same page for every reader)."""
    return render(request, "newsletter/home.html", {"form": SubscribeForm()})


@never_cache
@same_origin_required
@require_POST
def subscribe(request: HttpRequest) -> HttpResponse:
    """The form's POST, from any public page; the same answer for new and known addresses."""
    form = SubscribeForm(request.POST)
    if not form.is_valid():
        return render(request, "newsletter/home.html", {"form": form}, status=400)
    status = send_from_form(
        form,
        lambda: services.request_subscription(
            email=form.cleaned_data["email"],
            ip=client_address(request.META),
            origin=site_origin(request),
        ),
    )
    if status:
        return render(request, "newsletter/home.html", {"form": form}, status=status)
    return render(
        request, "newsletter/done.html", {"title": "Check your email", "message": CHECK_EMAIL}
    )


def _invalid(request: HttpRequest, error: Exception) -> HttpResponse:
    context = {"reason": str(error), "next_url": reverse("newsletter:home")}
    context["next_label"] = "Subscribe again"
    return render(request, "invalid_link.html", context, status=400)


@never_cache
@same_origin_required
@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a button (mail scanners follow links); only the POST confirms."""
    try:
        if request.method != "POST":
            subscriber = services.subscriber_for_confirm_token(token)
            return render(request, "newsletter/confirm.html", {"subscriber": subscriber})
        services.confirm_subscription(token=token)
    except services.InvalidToken as error:
        return _invalid(request, error)
    return render(
        request,
        "newsletter/done.html",
        {"title": "You are subscribed", "message": "Confirmed: new posts will come by email."},
    )


@never_cache
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """One button; the POST also serves mail clients' RFC 8058 one-click requests.

    Not same-origin checked: mail clients post from nowhere, and the signed token is the
    protection (unsubscribing someone needs their token).
    """
    try:
        if request.method != "POST":
            subscriber = services.subscriber_for_unsubscribe_token(token)
            return render(request, "newsletter/unsubscribe.html", {"subscriber": subscriber})
        subscriber = services.unsubscribe(token=token)
    except services.InvalidToken as error:
        return _invalid(request, error)
    return render(
        request,
        "newsletter/done.html",
        {
            "title": "You are unsubscribed",
            "message": f"{subscriber.email} will get no more posts by email.",
        },
    )


@login_required(login_url="members:start")
@require_POST
def member_subscribe(request: AuthenticatedHttpRequest) -> HttpResponse:
    """One click from the account page (the address is proven by signing in)."""
    services.subscribe_member(user=request.user)
    messages.success(request, "You will get new posts by email.")
    return redirect("members:account")


@login_required(login_url="members:start")
@require_POST
def member_unsubscribe(request: AuthenticatedHttpRequest) -> HttpResponse:
    services.unsubscribe_member(user=request.user)
    messages.success(request, "You will get no more posts by email.")
    return redirect("members:account")
